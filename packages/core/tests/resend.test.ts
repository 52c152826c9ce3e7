import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createResendClient, ResendRateLimitedError, ResendRejectedError } from '../src/notify/resend.js';

/**
 * A stand-in for api.resend.com on loopback, answering with Resend's documented shapes: 403
 * (error 1010) without a User-Agent, 401 without a key, `{ id }` on success, the original
 * answer for a repeated Idempotency-Key, and 429 with `retry-after` when told to.
 */
interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

const API_KEY = 're_test_0123456789abcdef';
let server: Server;
let baseUrl: string;
let received: Received[] = [];
let sentById = new Map<string, string>();
let rateLimitNext = 0;
let failNextWith: { status: number; body: unknown } | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      };
      if (!request.headers['user-agent']) return reply(403, { error_code: 1010, message: 'Forbidden' });
      if (request.headers.authorization !== `Bearer ${API_KEY}`) {
        return reply(401, {
          statusCode: 401,
          name: 'missing_api_key',
          message: 'Missing API key in the authorization header.',
        });
      }
      received.push({ headers: request.headers, body: JSON.parse(raw) });
      if (rateLimitNext > 0) {
        rateLimitNext--;
        return reply(
          429,
          { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests.' },
          { 'retry-after': '1', 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
        );
      }
      if (failNextWith) {
        const { status, body } = failNextWith;
        failNextWith = undefined;
        return reply(status, body);
      }
      const key = request.headers['idempotency-key'] as string | undefined;
      const id = (key && sentById.get(key)) ?? randomUUID();
      if (key) sentById.set(key, id);
      return reply(200, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  sentById = new Map();
  rateLimitNext = 0;
  failNextWith = undefined;
});

const email = {
  from: 'Asistone <no-reply@mail.example.com>',
  to: ['ayse@example.com'],
  subject: 'Reset your password',
  html: '<p>Hello</p>',
  text: 'Hello',
  tags: [{ name: 'kind', value: 'password-reset' }],
};

function client(overrides: Partial<Parameters<typeof createResendClient>[0]> = {}) {
  const waits: number[] = [];
  const resend = createResendClient({
    apiKey: API_KEY,
    baseUrl,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { resend, waits };
}

describe('Resend client', () => {
  it('sends with the bearer key, a User-Agent and the idempotency key, and returns the id', async () => {
    const { resend } = client();
    const { id } = await resend.sendEmail(email, 'password-reset/r1');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [request] = received;
    expect(request?.headers['user-agent']).toBe('asistone/1.0');
    expect(request?.headers['idempotency-key']).toBe('password-reset/r1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toEqual(email);
  });

  it('gets the original answer back when the same key is sent again', async () => {
    const { resend } = client();
    const first = await resend.sendEmail(email, 'invite/i1');
    const again = await resend.sendEmail(email, 'invite/i1');
    expect(again.id).toBe(first.id);
  });

  it('waits out a 429 for as long as retry-after says, then sends', async () => {
    rateLimitNext = 2;
    const { resend, waits } = client();
    const { id } = await resend.sendEmail(email, 'verify-email/v1');
    expect(id).toBeTruthy();
    expect(waits).toEqual([1000, 1000]);
    expect(received.map((request) => request.headers['idempotency-key'])).toEqual([
      'verify-email/v1',
      'verify-email/v1',
      'verify-email/v1',
    ]);
  });

  it('gives up with the wait Resend asked for once the retries are spent', async () => {
    rateLimitNext = 5;
    const { resend } = client({ retries: 1 });
    const error = await resend.sendEmail(email, 'verify-email/v2').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResendRateLimitedError);
    expect((error as ResendRateLimitedError).retryAfterSeconds).toBe(1);
  });

  it('reports a refused mail with Resend’s error name, without echoing the address', async () => {
    failNextWith = {
      status: 422,
      body: { statusCode: 422, name: 'validation_error', message: 'Invalid `to` field: ayse@example.com' },
    };
    const { resend } = client();
    const error = await resend.sendEmail(email, 'invite/i2').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResendRejectedError);
    expect((error as ResendRejectedError).status).toBe(422);
    expect((error as ResendRejectedError).resendName).toBe('validation_error');
    expect((error as Error).message).not.toContain('ayse@example.com');
  });

  it('is refused without a User-Agent, which is why it always sends one', async () => {
    const response = await fetch(`${baseUrl}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'user-agent': '' },
      body: JSON.stringify(email),
    });
    expect(response.status).toBe(403);
    const { resend } = client({ userAgent: '' });
    await expect(resend.sendEmail(email, 'invite/i3')).rejects.toThrow(ResendRejectedError);
  });

  it('refuses an idempotency key longer than Resend accepts', async () => {
    const { resend } = client();
    await expect(resend.sendEmail(email, 'x'.repeat(257))).rejects.toThrow(RangeError);
    expect(received).toHaveLength(0);
  });
});
