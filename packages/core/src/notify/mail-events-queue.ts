import * as z from 'zod';
import type { WebhookDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * Resend's delivery webhooks, checked by `/webhooks/resend` and queued to `mail-events`. Kept
 * free of heavier imports: the webhook's bundle carries this schema.
 */

/**
 * Deliveries belong to no business when they are queued (the worker finds it by the email id):
 * their claim checks and settlements are kept under this platform id, which business ids never take.
 */
export const RESEND_EVENT_TENANT = 'resend';

/** The events that move a tracked mail's delivery state; the others (opened, clicked, contact.*…) are acknowledged and dropped. */
export const TRACKED_EVENT_TYPES = [
  'email.sent',
  'email.delivered',
  'email.delivery_delayed',
  'email.bounced',
  'email.complained',
  'email.failed',
] as const;
export type TrackedEventType = (typeof TRACKED_EVENT_TYPES)[number];

/**
 * What the webhook queues: ids, the event and the bounce's kind, never the payload itself (it
 * carries the recipient's address and the subject, personal data a queue message must not hold).
 */
export const MailEventMessage = z.object({
  tenantId: z.literal(RESEND_EVENT_TENANT),
  /** `svix-id`: the same on every retry of a delivery, the dedupe key. */
  svixId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  type: z.enum(TRACKED_EVENT_TYPES),
  emailId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  /** The event's `created_at` (ms): events are not ordered, the newer state wins. */
  occurredAt: z.number().int().positive(),
  /** Resend's `bounce.type` / `bounce.subType` (e.g. Permanent / General), without its message (it can echo the address). */
  bounce: z.object({ type: z.string().max(40).optional(), subType: z.string().max(60).optional() }).optional(),
  receivedAt: z.number().int().positive(),
});
export type MailEventMessage = z.infer<typeof MailEventMessage>;

/** Resend's delivery events, queued by `/webhooks/resend`, recorded on the tracked mails here. */
export const MAIL_EVENTS_QUEUE = {
  name: 'mail-events',
  description: "Resend's delivery events (sent, delivered, bounced, complained…) for mails to businesses' customers",
  message: MailEventMessage,
  // Six times the consumer's timeout, as AWS advises (tests/infra/declared.test.ts).
  visibilityTimeoutSeconds: 180,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description:
      'Records each Resend delivery event on its tracked mail once, and suppresses hard-bounced or complaining addresses',
    handler: 'functions/workers/mail-events.handler',
    timeoutSeconds: 30,
    // Reads the email id's pointer, the mail and the dedupe record; writes the state (conditional
    // update), the suppression and the dedupe record. The recipient is already a blind index: no key.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem'] },
  },
} as const satisfies QueueDeclaration;

/** `POST /webhooks/resend`: Resend's delivery webhooks (Svix-signed) for every business's mail. */
export const RESEND_WEBHOOK = {
  name: 'resend',
  description:
    "Resend: delivery webhooks for mails to businesses' customers (Svix signature with the endpoint's secret)",
  handler: 'functions/webhooks/resend.handler',
  timeoutSeconds: 10,
  // One endpoint for every business: the signature is checked with a deployment secret and the
  // business found by the worker. No table and no tenant key here: it only queues.
  access: { sends: ['mail-events'] },
  settings: { secrets: ['RESEND_WEBHOOK_SECRET'] },
} as const satisfies WebhookDeclaration;
