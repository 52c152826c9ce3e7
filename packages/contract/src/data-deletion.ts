import * as z from 'zod';

/**
 * Meta's data deletion callback's status page (public, no sign-in): a person who removed the app
 * in their Facebook or Instagram settings follows the link Meta showed them. It says how far the
 * deletion is, nothing about the person or the businesses.
 */

/** `GET /privacy/data-deletion/:code` → 200, or 404 for a code we never gave. */
export const dataDeletionStatusAnswer = z.object({
  confirmationCode: z.string(),
  /** `received`: queued, not finished yet; `done`: every business's data removed. */
  status: z.enum(['received', 'done']),
  receivedAt: z.string(),
  completedAt: z.string().nullable(),
});
export type DataDeletionStatus = z.output<typeof dataDeletionStatusAnswer>;
