import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { FakeMetaState, FakeToken, ScriptedError } from './meta-state.js';

/**
 * How the fake Meta fails, in Meta's own words: the Graph error envelope
 * `{ error: { message, type, code, error_subcode, fbtrace_id } }`, token checks, and the failures
 * a test injects (a share of sends, or scripted next answers).
 */

/** Thrown inside a route; the app's error handler answers with the envelope. */
export class GraphFailure extends Error {
  constructor(readonly failure: ScriptedError) {
    super(failure.message ?? `(#${failure.code})`);
  }
}

/** Meta's wording for the codes the fake produces. */
const MESSAGES: Record<number, [string, string]> = {
  1: ['An unknown error occurred', 'OAuthException'],
  2: ['(#2) Service temporarily unavailable', 'OAuthException'],
  4: ['(#4) Application request limit reached', 'OAuthException'],
  10: ['(#10) This message is sent outside of allowed window.', 'OAuthException'],
  100: ['(#100) Invalid parameter', 'OAuthException'],
  190: ['Invalid OAuth access token - Cannot parse access token', 'OAuthException'],
  130429: ['(#130429) Rate limit hit', 'OAuthException'],
  368: ['(#368) Temporarily blocked for policies violations', 'OAuthException'],
  131000: ['(#131000) Something went wrong', 'OAuthException'],
  131016: ['(#131016) Service unavailable', 'OAuthException'],
  131026: ['(#131026) Message undeliverable', 'OAuthException'],
  131031: ['(#131031) Business Account locked', 'OAuthException'],
  131047: ['(#131047) Re-engagement message', 'OAuthException'],
  131048: ['(#131048) Spam rate limit hit', 'OAuthException'],
  131049: ['(#131049) This message was not delivered to maintain healthy ecosystem engagement.', 'OAuthException'],
  131050: [
    '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    'OAuthException',
  ],
  131056: ['(#131056) (Business Account, Consumer Account) pair rate limit hit', 'OAuthException'],
  131057: ['(#131057) Account in maintenance mode', 'OAuthException'],
  132001: ['(#132001) Template name does not exist in the translation', 'OAuthException'],
  132015: ['(#132015) Template is paused', 'OAuthException'],
  133005: ['(#133005) Two step verification PIN Mismatch', 'OAuthException'],
  133010: ['(#133010) Account not registered', 'OAuthException'],
};

export const fbtraceId = () => `A${randomBytes(12).toString('base64url')}`;

export function graphErrorBody(failure: ScriptedError) {
  const [message, type] = MESSAGES[failure.code] ?? [`(#${failure.code}) Error`, 'OAuthException'];
  return {
    error: {
      message: failure.message ?? message,
      type: failure.type ?? type,
      code: failure.code,
      ...(failure.details !== undefined
        ? { error_data: { messaging_product: 'whatsapp', details: failure.details } }
        : {}),
      ...(failure.subcode !== undefined ? { error_subcode: failure.subcode } : {}),
      fbtrace_id: fbtraceId(),
    },
  };
}

/** Answers a failure in Meta's envelope (with Retry-After when scripted). */
export function failureResponse(c: Context, failure: ScriptedError) {
  if (failure.retryAfter !== undefined) c.header('retry-after', String(failure.retryAfter));
  return c.json(graphErrorBody(failure), failure.status as 400);
}

export const fail = (status: number, code: number, message?: string, subcode?: number): never => {
  throw new GraphFailure({ status, code, message, subcode });
};

export const missingParameter = (name: string): never => fail(400, 100, `(#100) The parameter ${name} is required`);

/** The token a request carries: `Authorization: Bearer`, else `access_token` in the query. */
export function tokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return c.req.query('access_token') || undefined;
}

/**
 * The token's record when it is one the fake issued, still valid, and (when `target` is given)
 * granted on that object; Meta's errors otherwise.
 */
export function authorize(state: FakeMetaState, c: Context, target?: string): FakeToken {
  const value = tokenOf(c);
  if (!value) fail(400, 2500, 'An active access token must be used to query information about the current user.');
  const token = state.tokens.get(value as string);
  if (!token) return fail(401, 190);
  if (token.expiresAt !== 0 && token.expiresAt * 1000 < Date.now()) {
    return fail(401, 190, 'Error validating access token: Session has expired.', 463);
  }
  if (target !== undefined && !token.targets.has(target)) {
    return fail(
      400,
      100,
      `Unsupported post request. Object with ID '${target}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    );
  }
  return token;
}

/** The HTTP status Cloud API answers a code with (its error-code table); 400 when the table says none. */
export function httpStatusOfCode(code: number): number {
  if (code === 0 || code === 190) return 401;
  if (code === 10 || code === 368 || code === 131031 || code === 130497 || (code >= 200 && code <= 299)) return 403;
  if (code === 132001) return 404;
  if (code === 2 || code === 133004) return 503;
  if (code === 3 || code === 131000 || code === 131016 || code === 131057) return 500;
  return 400;
}

/** Whether this send fails by the injected rate, and how (429 → 130429, 5xx → 131000). */
export function injectedSendFailure(state: FakeMetaState): ScriptedError | undefined {
  const { rate, statuses } = state.failures;
  if (rate <= 0 || statuses.length === 0 || state.random() >= rate) return undefined;
  const status = statuses[Math.floor(state.random() * statuses.length)] ?? 500;
  if (status === 429) return { status: 429, code: 130429, retryAfter: 1 };
  if (status >= 500) return { status, code: 131000 };
  return { status, code: 100 };
}
