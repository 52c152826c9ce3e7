import { MAIL_EVENTS_QUEUE } from '@asistone/core/notify/mail-events-queue';
import { resendReceiver, resendWebhookKey } from '@asistone/core/notify/resend-webhook';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { webhookHandler } from '../lib/function-url.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Resend's delivery webhooks: `POST <url>/webhooks/resend`. It checks the Svix signature with the
 * endpoint's secret and queues the event's ids: no table read and no tenant key before it
 * answers, so it carries only the queue client.
 */
const log = createLogger('resend-webhook');

/** Read from SSM once per cold start, again after a failure. */
const signingKey = once(async () => resendWebhookKey(await withSecrets(process.env)));

const receive = resendReceiver({
  signingKey,
  enqueue: (event) => queueOnlyPlatform().producer.send(MAIL_EVENTS_QUEUE, event),
});

export const handler = webhookHandler(log, '/webhooks/resend', async (request) => {
  const { response, outcome } = await receive(request);
  log.info('resend webhook', { outcome, bytes: request.body.length });
  return response;
});
