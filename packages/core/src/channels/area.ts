import { defineArea } from '../platform/area.js';
import { META_EVENTS_QUEUE } from './meta/queue.js';

/** Messaging channels: what Meta sends (WhatsApp, Instagram, Messenger) and how it reaches the inbox. */
export const channelsArea = defineArea({
  name: 'channels',
  queues: [META_EVENTS_QUEUE],
  webhooks: [
    {
      name: 'meta',
      description: 'Meta: WhatsApp Cloud API, Instagram and Messenger deliveries and the GET handshake',
      handler: 'functions/webhooks/meta.handler',
      timeoutSeconds: 10,
      // Reads the tenant's app secret (sealed: needs the tenant key), queues the delivery, and
      // stores bodies too large for SQS under the tenant's prefix (claim check).
      access: { table: ['GetItem'], tenantKeys: ['Decrypt'], sends: ['meta-events'], blobs: ['PutObject'] },
    },
  ],
});
