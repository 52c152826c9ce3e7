import { planLimitError, readOnlyError } from '@asistone/contract/billing';
import { ERROR_STATUS, type ErrorCode, type Issue } from '@asistone/contract/errors';
import { PlanLimitError, planLimitMessage, READ_ONLY_MESSAGE, ReadOnlyError } from '@asistone/core/billing/limits';
import { ProductError, RateLimitedError, ValidationError } from '@asistone/core/platform/errors';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { callerLanguage } from './language.js';

/**
 * Error answers, one shape for all (the contract's `problemSchema`): `{ error, message }` plus
 * `issues` (400) or `retryAfterSeconds` (429), as docs/api.md describes. A plan's limit and a
 * read-only business answer 402 with billing's own shapes (contract/billing.ts).
 */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  error: ErrorCode,
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

/**
 * The code a domain error answers with (the contract's, with its status there); a link that no
 * longer works reads as not found. A domain code not listed is our own failure (500), so a new
 * error cannot leak by accident.
 */
const ANSWERED_AS: Record<string, ErrorCode> = {
  invalid_credentials: 'invalid_credentials',
  totp_required: 'totp_required',
  unauthenticated: 'unauthenticated',
  email_not_verified: 'email_not_verified',
  forbidden: 'forbidden',
  wrong_account: 'wrong_account',
  not_found: 'not_found',
  invalid_link: 'not_found',
  conflict: 'conflict',
  window_closed: 'window_closed',
  rate_limited: 'rate_limited',
};

/** The answer for an error a caller caused, or undefined for our own failures. */
export function answerForClientError(c: Context, error: unknown): Response | undefined {
  if (error instanceof RateLimitedError) {
    c.header('retry-after', String(error.retryAfterSeconds));
    return problem(c, 429, 'rate_limited', error.message, { retryAfterSeconds: error.retryAfterSeconds });
  }
  // Billing's answers (contract/billing.ts): 402, written in the caller's language.
  if (error instanceof PlanLimitError) {
    c.header('cache-control', 'no-store');
    const { limit, allowed, used } = error;
    const message = planLimitMessage(error, callerLanguage(c));
    return c.json(planLimitError.parse({ error: 'plan_limit', message, limit, allowed, used }), 402);
  }
  if (error instanceof ReadOnlyError) {
    c.header('cache-control', 'no-store');
    return c.json(readOnlyError.parse({ error: 'read_only', message: READ_ONLY_MESSAGE[callerLanguage(c)] }), 402);
  }
  if (error instanceof ValidationError) {
    return invalidRequest(
      c,
      error.message,
      error.issues.map((path) => ({ path, message: error.message })),
    );
  }
  if (error instanceof ProductError && Object.hasOwn(ANSWERED_AS, error.code)) {
    const code = ANSWERED_AS[error.code] as ErrorCode;
    return problem(c, ERROR_STATUS[code], code, error.message);
  }
  return undefined;
}
