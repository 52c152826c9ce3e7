import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { metaReceiver } from '@asistone/core/channels/meta/receive';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { metaAppDirectory } from '@asistone/core/tenancy/meta-app';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { webhookHandler } from '../lib/function-url.js';

/** Meta (WhatsApp, Instagram, Messenger) webhook: `POST|GET <url>/webhooks/meta/<tenantId>`. */
const log = createLogger('meta-webhook');

let receive: ReturnType<typeof metaReceiver> | undefined;
function receiver() {
  if (!receive) {
    const { storeOf, keyring, producer } = platform();
    receive = metaReceiver({
      secretsFor: metaAppDirectory({ store: storeOf(TENANCY_RECORDS), keyring }),
      enqueue: (delivery) => producer.send(META_EVENTS_QUEUE, delivery),
    });
  }
  return receive;
}

export const handler = webhookHandler(log, '/webhooks/meta', async (request) => {
  const { response, outcome, tenantId } = await receiver()(request);
  log.info('meta webhook', { outcome, tenantId, bytes: request.body.length });
  return response;
});
