import { metaReceiver } from '@asistone/core/channels/meta/receive';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { metaAppDirectory } from '@asistone/core/tenancy/meta-app';
import { webhookHandler } from '../lib/function-url.js';

/** Meta (WhatsApp, Instagram, Messenger) webhook: `POST|GET <url>/webhooks/meta/<tenantId>`. */
const log = createLogger('meta-webhook');

let receive: ReturnType<typeof metaReceiver> | undefined;
function receiver() {
  if (!receive) {
    const { store, keyring, producer } = platform();
    receive = metaReceiver({
      secretsFor: metaAppDirectory({ store, keyring }),
      enqueue: (delivery) => producer.send('meta-events', delivery),
    });
  }
  return receive;
}

export const handler = webhookHandler(log, '/webhooks/meta', async (request) => {
  const { response, outcome, tenantId } = await receiver()(request);
  log.info('meta webhook', { outcome, tenantId, bytes: request.body.length });
  return response;
});
