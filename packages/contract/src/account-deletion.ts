import * as z from 'zod';
import { PASSWORD_MAX_LENGTH } from './accounts.js';
import { secondFactorCodeSchema } from './auth.js';

/**
 * Deleting a business account (its owner only, `data.delete`) and taking all of its data away
 * (`data.export`). A deletion waits out a grace period in which the business works as before
 * and the owner can cancel; then the business's key is destroyed (crypto-shredding) and every
 * item and object of it is purged, leaving only the receipt.
 */

/** Days between the request and the deletion, shown as a countdown; cancellable until then. */
export const ACCOUNT_DELETION_GRACE_DAYS = 7;

/**
 * `POST /businesses/:tenantId/privacy/account-deletion`: the owner retypes the business's name
 * (so the wrong business is never deleted by a slip) and proves it is them with the password,
 * and a current code when two-step sign-in is on, as for a change to the second factor.
 */
export const accountDeletionBody = z
  .object({
    businessName: z.string().trim().min(1).max(200),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    /** A code from the app or a recovery code; required only when two-step sign-in is on. */
    code: secondFactorCodeSchema.optional(),
  })
  .strict();
export type AccountDeletionBody = z.output<typeof accountDeletionBody>;

/** Where a deletion stands: waiting out its grace period, withdrawn, or carried out. */
export const ACCOUNT_DELETION_STATUSES = ['scheduled', 'cancelled', 'done'] as const;

/**
 * The deletion request (the answer of GET, POST and DELETE). `graceEndsAt` is when the business
 * is deleted; `dueAt` the policy's 30-day deadline for it to be gone.
 */
export const accountDeletionAnswer = z.object({
  requestId: z.string(),
  status: z.enum(ACCOUNT_DELETION_STATUSES),
  /** ISO times. */
  requestedAt: z.string(),
  graceEndsAt: z.string(),
  dueAt: z.string(),
});
export type AccountDeletion = z.output<typeof accountDeletionAnswer>;

/** `GET …/privacy/account-deletion`: the newest request, or null when none was ever made. */
export const accountDeletionStateAnswer = z.object({ deletion: accountDeletionAnswer.nullable() });

/**
 * `POST …/privacy/account-export` (202) and `GET …/privacy/account-export/:requestId`: the
 * archive is built off a queue; `url` is a fresh 10-minute link once it is `done`.
 */
export const accountExportAnswer = z.object({
  requestId: z.string(),
  status: z.enum(['open', 'done', 'cancelled']),
  requestedAt: z.string(),
  url: z.string().nullable(),
  /** ISO time the link stops working, with `url`. */
  expiresAt: z.string().nullable(),
});
export type AccountExport = z.output<typeof accountExportAnswer>;
