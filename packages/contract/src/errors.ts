import * as z from 'zod';

/**
 * The `error` codes the API answers with. Every error answer is `{ error, message }`, plus
 * `issues` (400) or `retryAfterSeconds` (429, with a `Retry-After` header). A link that is
 * unknown, used or expired answers `not_found`, like anything else that is not there.
 */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_credentials',
  'totp_required',
  'unauthenticated',
  'email_not_verified',
  'forbidden',
  'wrong_account',
  'not_found',
  'conflict',
  /** A free-form reply outside the customer's messaging window: only a template may go. */
  'window_closed',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The status each code comes with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_credentials: 401,
  totp_required: 401,
  unauthenticated: 401,
  email_not_verified: 403,
  forbidden: 403,
  /** Signed in, but as someone other than the person a link (an invitation) was sent to. */
  wrong_account: 403,
  not_found: 404,
  conflict: 409,
  window_closed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

/** One problem with a field of a 400: `path` is dotted (`password`, `members.0.role`). */
export const issueSchema = z.object({ path: z.string(), message: z.string() });
export type Issue = z.output<typeof issueSchema>;

export const problemSchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(issueSchema).optional(),
  retryAfterSeconds: z.number().int().optional(),
});
export type Problem = z.output<typeof problemSchema>;
