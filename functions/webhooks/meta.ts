import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { type MetaAppSecrets, metaReceiver } from '@asistone/core/channels/meta/receive';
import { readMetaAppConfig } from '@asistone/core/platform/config';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { webhookHandler } from '../lib/function-url.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Meta (WhatsApp, Instagram, Messenger) webhook for the one platform app: `POST|GET
 * <url>/webhooks/meta`. It checks the signature with the app's deployment secrets and queues the
 * body: no table read and no tenant key before it answers, so it carries only the queue client.
 */
const log = createLogger('meta-webhook');

/** Read from SSM once per cold start, again after a failure. */
const secrets = once(async (): Promise<MetaAppSecrets> => {
  const settings = readMetaAppConfig(await withSecrets(process.env));
  return {
    appSecret: settings.META_APP_SECRET,
    instagramAppSecret: settings.META_INSTAGRAM_APP_SECRET,
    verifyToken: settings.META_VERIFY_TOKEN,
  };
});

const receive = metaReceiver({
  secrets,
  enqueue: (delivery) => queueOnlyPlatform().producer.send(META_EVENTS_QUEUE, delivery),
});

export const handler = webhookHandler(log, '/webhooks/meta', async (request) => {
  const { response, outcome } = await receive(request);
  log.info('meta webhook', { outcome, bytes: request.body.length });
  return response;
});
