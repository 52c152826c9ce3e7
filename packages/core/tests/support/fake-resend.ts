import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.resend.com on loopback, answering with Resend's documented shapes: 403
 * (error 1010) without a User-Agent, 401 without the key, `{ id }` on success, the original
 * answer for a repeated Idempotency-Key, and 429 with `retry-after` (or any other answer) when
 * told to.
 */
export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeResend {
  baseUrl: string;
  apiKey: string;
  /** Every authorised request, in order, refused ones included. */
  readonly received: ReceivedRequest[];
  /** Requests Resend accepted as new mails: one per distinct idempotency key. */
  readonly accepted: ReceivedRequest[];
  /** The next `count` requests get 429 with this `retry-after` (seconds). */
  rateLimit(count: number, retryAfterSeconds?: number): void;
  /** The next request gets this answer. */
  failNext(status: number, body: unknown): void;
  /** The next request gets its answer only after this long. */
  delayNext(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeResend(apiKey = 're_test_0123456789abcdef'): Promise<FakeResend> {
  let received: ReceivedRequest[] = [];
  let accepted: ReceivedRequest[] = [];
  let sentById = new Map<string, string>();
  let rateLimitNext = 0;
  let retryAfter = 1;
  let failNextWith: { status: number; body: unknown } | undefined;
  let delayNextMs = 0;

  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const delay = delayNextMs;
      delayNextMs = 0;
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const answer = () => {
          if (response.destroyed) return;
          response.writeHead(status, { 'content-type': 'application/json', ...headers });
          response.end(JSON.stringify(body));
        };
        if (delay > 0) setTimeout(answer, delay).unref();
        else answer();
      };
      if (!request.headers['user-agent']) return reply(403, { error_code: 1010, message: 'Forbidden' });
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        return reply(401, {
          statusCode: 401,
          name: 'missing_api_key',
          message: 'Missing API key in the authorization header.',
        });
      }
      const entry = { headers: request.headers, body: JSON.parse(raw) };
      received.push(entry);
      if (rateLimitNext > 0) {
        rateLimitNext--;
        return reply(
          429,
          { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
          {
            'retry-after': String(retryAfter),
            'ratelimit-limit': '2',
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(retryAfter),
          },
        );
      }
      if (failNextWith) {
        const { status, body } = failNextWith;
        failNextWith = undefined;
        return reply(status, body);
      }
      const key = request.headers['idempotency-key'] as string | undefined;
      const known = key ? sentById.get(key) : undefined;
      const id = known ?? randomUUID();
      if (!known) accepted.push(entry);
      if (key) sentById.set(key, id);
      return reply(200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    get received() {
      return received;
    },
    get accepted() {
      return accepted;
    },
    rateLimit(count, retryAfterSeconds = 1) {
      rateLimitNext = count;
      retryAfter = retryAfterSeconds;
    },
    failNext(status, body) {
      failNextWith = { status, body };
    },
    delayNext(ms) {
      delayNextMs = ms;
    },
    reset() {
      received = [];
      accepted = [];
      sentById = new Map();
      rateLimitNext = 0;
      retryAfter = 1;
      failNextWith = undefined;
      delayNextMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
