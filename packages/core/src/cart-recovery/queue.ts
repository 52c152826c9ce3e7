import * as z from 'zod';
import type { Access } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * Cart recovery's two moving parts, each its own function: the `cart-recovery` queue takes what
 * happens to checkouts (from the Shopify consumers) and the steps the detection schedule found
 * due; the schedule reads the carts due, and only those, every five minutes. Messages carry ids
 * only: the cart, its checkout and the settings are read from the table.
 */

const checkoutKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const CartRecoveryMessage = z.discriminatedUnion('kind', [
  /** A checkout was applied (created, changed, completed by an order, deleted). */
  z.object({ kind: z.literal('checkout'), tenantId: z.string().min(1), checkoutKey }),
  /** A cart's next step (or its expiry) is due. */
  z.object({ kind: z.literal('step'), tenantId: z.string().min(1), checkoutKey }),
]);
export type CartRecoveryMessage = z.infer<typeof CartRecoveryMessage>;

export const CART_RECOVERY_QUEUE = {
  name: 'cart-recovery',
  description: 'Checkouts seen from Shopify and cart-recovery steps that are due',
  message: CartRecoveryMessage,
  // Six times the consumer's timeout; a step claim left by a stopped sender is taken over after its lease (steps.ts).
  visibilityTimeoutSeconds: 360,
  batchSize: 5,
  maxReceiveCount: 5,
  consumer: {
    description:
      'Keeps each abandoned cart: starts it, ends it when an order completes it, and sends each due step once (email, SMS, WhatsApp template)',
    handler: 'functions/workers/cart-recovery.handler',
    timeoutSeconds: 60,
    // Reads the checkout, its customer and orders, stock, the contact's restriction and consent,
    // the settings, WhatsApp numbers and templates, the NetGSM account; writes the cart, the
    // message budget, the contact and conversation a template goes in, the queued message, the
    // SMS job and the tracked mail; opens sealed fields and seals new ones.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['outbound'],
    },
    settings: { secrets: ['RESEND_API_KEY'] },
  },
} as const satisfies QueueDeclaration;

/** What the Shopify consumers add to their access to tell this queue of a checkout. */
export const CART_RECOVERY_SENDER_ACCESS = { sends: ['cart-recovery'] } as const satisfies Access;

export const CART_DETECTION_SCHEDULE = {
  name: 'cart-detection',
  description: 'Every five minutes: finds the abandoned carts with a step or an expiry due and queues them',
  handler: 'functions/schedules/cart-detection.handler',
  // A list of minutes, which both EventBridge and the local scheduler read (`*/5` is croner's alone).
  cron: '2,7,12,17,22,27,32,37,42,47,52,57 * * * *',
  timeoutSeconds: 120,
  // Queries the due carts' index and marks each one taken (a lease) before queueing it.
  access: {
    table: ['Query', 'UpdateItem'],
    sends: ['cart-recovery'],
  },
} as const satisfies ScheduleDeclaration;
