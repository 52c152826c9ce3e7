import * as z from 'zod';
import type { Access } from '../platform/access.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/** An order a webhook or the reconcile delivered: only its ids; the stored order says what is due. */
export const OrderNoticeMessage = z.object({
  tenantId: z.string().min(1),
  orderId: z.string().regex(/^[0-9]{1,20}$/),
});
export type OrderNoticeMessage = z.infer<typeof OrderNoticeMessage>;

/**
 * Orders to check for due notices, off the Shopify consumers: a slow mail or SMS provider never
 * holds up applying Shopify's deliveries, and a failed send is retried on its own.
 */
export const ORDER_NOTICES_QUEUE = {
  name: 'order-notices',
  description: 'Orders seen from Shopify, to send their due confirmation and shipping notices',
  message: OrderNoticeMessage,
  // Six times the consumer's timeout; a claim left by a stopped sender is taken over after 2 minutes (notices.ts).
  visibilityTimeoutSeconds: 360,
  batchSize: 5,
  maxReceiveCount: 5,
  consumer: {
    description:
      "Sends each order's due notices once per channel (email, SMS, WhatsApp template) and records the outcome",
    handler: 'functions/workers/order-notices.handler',
    timeoutSeconds: 60,
    // Reads the order, its customer, the contact's restriction and consent, the settings, the
    // WhatsApp numbers and templates, the business's NetGSM account; writes the notices, the
    // contact and conversation a WhatsApp template goes in, the queued message, the SMS job and
    // the tracked mail; opens sealed fields and seals new ones; queues the template to `outbound`.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['outbound'],
    },
    settings: { secrets: ['RESEND_API_KEY'] },
  },
} as const satisfies QueueDeclaration;

/** What the Shopify consumers (webhook worker, reconcile) add to their access to tell this queue of an order. */
export const ORDER_NOTICES_SENDER_ACCESS = { sends: ['order-notices'] } as const satisfies Access;
