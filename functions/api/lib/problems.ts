import { AccountsError, type AccountsErrorCode, RateLimitedError } from '@asistone/core/accounts/errors';
import { ValidationError } from '@asistone/core/platform/errors';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/**
 * Error answers, one shape for all: `{ error, message }` plus `issues` (400) or
 * `retryAfterSeconds` (429), as docs/api.md describes.
 */
export interface Issue {
  path: string;
  message: string;
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  c.header('cache-control', 'no-store');
  return c.json({ error, message, ...extra }, status);
}

export function invalidRequest(c: Context, message: string, issues: Issue[]) {
  return problem(c, 400, 'invalid_request', message, { issues });
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Status and code of each domain error; a link that no longer works reads as not found. */
const STATUS: Record<AccountsErrorCode, [ContentfulStatusCode, string]> = {
  invalid_credentials: [401, 'invalid_credentials'],
  totp_required: [401, 'totp_required'],
  unauthenticated: [401, 'unauthenticated'],
  email_not_verified: [403, 'email_not_verified'],
  forbidden: [403, 'forbidden'],
  not_found: [404, 'not_found'],
  invalid_link: [404, 'not_found'],
  conflict: [409, 'conflict'],
  rate_limited: [429, 'rate_limited'],
};

/** The answer for an error a caller caused, or undefined for our own failures. */
export function answerForClientError(c: Context, error: unknown): Response | undefined {
  if (error instanceof RateLimitedError) {
    c.header('retry-after', String(error.retryAfterSeconds));
    return problem(c, 429, 'rate_limited', error.message, { retryAfterSeconds: error.retryAfterSeconds });
  }
  if (error instanceof AccountsError) {
    const [status, code] = STATUS[error.code];
    return problem(c, status, code, error.message);
  }
  if (error instanceof ValidationError) {
    return invalidRequest(
      c,
      error.message,
      error.issues.map((path) => ({ path, message: error.message })),
    );
  }
  return undefined;
}
