import { BILLING_EVENTS_QUEUE } from '@asistone/core/billing/events-queue';
import { iyzicoReceiver, iyzicoWebhookSettings } from '@asistone/core/billing/iyzico-webhook';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { webhookHandler } from '../lib/function-url.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * iyzico's merchant notifications: `POST <url>/webhooks/iyzico`. It checks the notification's
 * merchant and signature and queues it on `billing-events`: no table read and no tenant key
 * before it answers, so it carries only the queue client.
 */
const log = createLogger('iyzico-webhook');

/** Read from SSM once per cold start, again after a failure. */
const settings = once(async () => iyzicoWebhookSettings(await withSecrets(process.env)));

const receive = iyzicoReceiver({
  settings,
  enqueue: (message) => queueOnlyPlatform().producer.send(BILLING_EVENTS_QUEUE, message),
});

export const handler = webhookHandler(log, '/webhooks/iyzico', async (request) => {
  const { response, outcome } = await receive(request);
  log.info('iyzico webhook', { outcome, bytes: request.body.length });
  return response;
});
