import type { ProviderDeclaration } from '../platform/area.js';
import { PermanentError } from '../platform/errors.js';
import { maskText } from '../platform/masking.js';
import { providerRefused } from '../platform/provider-refusals.js';
import { headerAddress, headerText } from './headers.js';

/**
 * A small client for Resend's `POST /emails`: bearer key, the User-Agent Resend requires
 * (without one it answers 403), an Idempotency-Key so retries never send twice, and waiting
 * out 429s, 5xx and a 409 for a request with the same key still in progress, for as long as
 * Resend's `retry-after` asks, within a budget.
 */
export interface ResendOptions {
  apiKey: string;
  baseUrl?: string;
  userAgent?: string;
  /** Tries after the first; each waits `retry-after` (429) or a short backoff (5xx). */
  retries?: number;
  /** Longest single wait; a longer `retry-after` fails at once with {@link ResendRateLimitedError}. */
  maxWaitSeconds?: number;
  /** Longest wait for one answer; a request that takes longer is abandoned (and may be retried). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface ResendEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  reply_to?: string;
  tags?: { name: string; value: string }[];
}

/** Resend refused the mail; retrying the same request will not help (a queued mail goes to the DLQ). */
export class ResendRejectedError extends PermanentError {
  override name = 'ResendRejectedError';
  constructor(
    readonly status: number,
    readonly resendName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Still rate limited (or unavailable) after the retries; try again after `retryAfterSeconds`. */
/** Resend, which sends the businesses' mail and Asistone's own, as the mail area declares it for its alarms. */
export const RESEND_PROVIDER = {
  name: 'resend',
  auth: 'Resend refused our API key or the sending domain: no mail goes out (sign-in links, order notices)',
  rateLimit: 'Resend kept rate limiting us past our waits: mail waits in the queue and is retried',
} as const satisfies ProviderDeclaration;

export class ResendRateLimitedError extends Error {
  override name = 'ResendRateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Resend rate limit: retry after ${retryAfterSeconds} s`);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const resend = createResendClient({ apiKey: process.env.RESEND_API_KEY });
 * const { id } = await resend.sendEmail(email, 'password-reset/r123');
 */
export function createResendClient(options: ResendOptions) {
  const baseUrl = options.baseUrl ?? 'https://api.resend.com';
  const send = options.fetch ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const retries = options.retries ?? 2;
  const maxWaitSeconds = options.maxWaitSeconds ?? 10;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function sendEmail(email: ResendEmail, idempotencyKey: string): Promise<{ id: string }> {
    if (idempotencyKey.length === 0 || idempotencyKey.length > 256) {
      throw new RangeError('an idempotency key has 1 to 256 characters');
    }
    const payload = JSON.stringify(headerSafe(email));
    for (let attempt = 0; ; attempt++) {
      const response = await send(`${baseUrl}/emails`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'content-type': 'application/json',
          'user-agent': options.userAgent ?? 'asistone/1.0',
          'idempotency-key': idempotencyKey,
        },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.ok) {
        const body = (await response.json()) as { id?: unknown };
        if (typeof body.id !== 'string') throw new ResendRejectedError(response.status, 'invalid_response', 'no id');
        return { id: body.id };
      }
      const error = response.status === 429 || response.status >= 500 ? undefined : await errorBody(response);
      // Another request with this key is still in progress: Resend asks to try again later.
      if (error && !(response.status === 409 && error.name === CONCURRENT_SAME_KEY)) {
        throw rejection(response, error);
      }
      await response.body?.cancel().catch(() => undefined);
      const waitSeconds = retryAfter(response, attempt);
      if (attempt >= retries || waitSeconds > maxWaitSeconds) {
        providerRefused(RESEND_PROVIDER, 'rate-limit', { status: response.status, operation: 'send' });
        throw new ResendRateLimitedError(waitSeconds);
      }
      await sleep(waitSeconds * 1000);
    }
  }

  return { sendEmail };
}

/**
 * Resend writes these fields into the mail's headers: the subject loses its line breaks, and an
 * address with one is refused before anything is sent.
 */
function headerSafe(email: ResendEmail): ResendEmail {
  return {
    ...email,
    from: headerAddress(email.from, 'from'),
    to: email.to.map((address) => headerAddress(address, 'to')),
    subject: headerText(email.subject),
    ...(email.reply_to === undefined ? {} : { reply_to: headerAddress(email.reply_to, 'reply_to') }),
  };
}

/** Seconds to wait: Resend's `retry-after` when given, else 1, 2, 4… */
function retryAfter(response: Response, attempt: number): number {
  const header = Number(response.headers.get('retry-after'));
  return Number.isFinite(header) && header > 0 ? header : 2 ** attempt;
}

/** Resend's answer to a request whose idempotency key is still being processed (409). */
const CONCURRENT_SAME_KEY = 'concurrent_idempotent_requests';

/** Resend's error body is `{ statusCode, name, message }`; its message can echo an address. */
async function errorBody(response: Response): Promise<{ name?: unknown; message?: unknown }> {
  return (await response.json().catch(() => ({}))) as { name?: unknown; message?: unknown };
}

function rejection(response: Response, body: { name?: unknown; message?: unknown }): ResendRejectedError {
  const name = typeof body.name === 'string' ? body.name : 'unknown';
  if (response.status === 401 || response.status === 403) {
    providerRefused(RESEND_PROVIDER, 'auth', { status: response.status, code: name, operation: 'send' });
  }
  const message = typeof body.message === 'string' ? maskText(body.message) : response.statusText;
  return new ResendRejectedError(
    response.status,
    name,
    `Resend refused the mail (${response.status} ${name}): ${message}`,
  );
}
