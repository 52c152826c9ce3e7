import * as z from 'zod';
import { isSealed } from '../platform/crypto/sealing.js';
import { MAIL_KINDS } from './mailer.js';

/**
 * Shapes of mail work on the `mail` queue, kept free of heavier imports: every producer's
 * bundle carries the queue schemas.
 */

/** A field sealed with a tenant's key (`v1.…`): queue messages carry no personal data in clear. */
export const sealedText = z.string().refine(isSealed, 'must be a sealed value');

/** Sealing context of a queued mail's fields; the item is the mail's idempotency key. */
export const SEALED_MAIL = 'queuedMail';
export const SEALED_MAIL_FIELDS = ['to', 'subject', 'text', 'html'] as const;

/** "Send this rendered mail", its fields sealed under `tenantId`'s key. */
export const DeliverMailMessage = z.object({
  kind: z.literal('deliver'),
  tenantId: z.string().min(1),
  mail: z.object({
    kind: z.enum(MAIL_KINDS),
    /** Also Resend's Idempotency-Key, which allows 1 to 256 characters. */
    idempotencyKey: z.string().min(1).max(256),
    to: sealedText,
    subject: sealedText,
    text: sealedText,
    html: sealedText,
  }),
});

export type DeliverMailMessage = z.infer<typeof DeliverMailMessage>;
