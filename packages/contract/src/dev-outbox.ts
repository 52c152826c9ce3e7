import * as z from 'zod';

/** `GET /api/dev/outbox` (local stage only; 404 elsewhere): the mails the product would have sent. */
export const outboxMailSchema = z.object({
  id: z.string(),
  /** `verify-email`, `sign-up-notice`, `password-reset`, `invite` or `security-notice`. */
  kind: z.string(),
  sentAt: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  /** The URLs found in the text. */
  links: z.array(z.string()),
});
export const outboxAnswer = z.object({ mails: z.array(outboxMailSchema) });
