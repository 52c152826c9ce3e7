import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { SHOPIFY_EVENTS_QUEUE } from '@asistone/core/shopify/events-queue';
import { shopifyClientSecret, shopifyReceiver } from '@asistone/core/shopify/webhook-receive';
import { webhookHandler } from '../lib/function-url.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Shopify webhook for the one public app: `POST <url>/webhooks/shopify`. It checks the HMAC with
 * the app's client secret and queues the body: no table read and no tenant key before it answers,
 * so it carries only the queue client (and the blob store for bodies too large for SQS).
 */
const log = createLogger('shopify-webhook');

/** Read from SSM once per cold start, again after a failure. */
const clientSecret = once(async () => shopifyClientSecret(await withSecrets(process.env)));

const receive = shopifyReceiver({
  clientSecret,
  enqueue: (delivery) => queueOnlyPlatform().producer.send(SHOPIFY_EVENTS_QUEUE, delivery),
});

export const handler = webhookHandler(log, '/webhooks/shopify', async (request) => {
  const { response, outcome } = await receive(request);
  log.info('shopify webhook', { outcome, bytes: request.body.length });
  return response;
});
