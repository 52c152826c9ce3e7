import type { QueueDeclaration } from '../../platform/queue/declarations.js';
import { MetaDelivery } from './envelope.js';

/** Signed Meta deliveries, queued by the webhook as they arrived and turned into inbox messages here. */
export const META_EVENTS_QUEUE = {
  name: 'meta-events',
  description: 'Signed Meta webhook deliveries (WhatsApp, Instagram, Messenger) awaiting processing',
  message: MetaDelivery,
  visibilityTimeoutSeconds: 180,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description: 'Turns each signed Meta delivery into contacts, conversations and messages',
    handler: 'functions/workers/meta-events.handler',
    timeoutSeconds: 30,
    // Writes contacts, conversations and messages; opens sealed fields; asks for media copies;
    // confirms a customer's consent keyword (STOP, DUR…) with a reply on the outbound queue;
    // hands each customer message to the AI agent (`ai-replies`).
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['media', 'outbound', 'ai-replies'],
    },
    // The platform app's public ids (META_APP_ID...), to tell Asistone's own echoes apart.
    settings: { metaGraph: true },
  },
} as const satisfies QueueDeclaration;
