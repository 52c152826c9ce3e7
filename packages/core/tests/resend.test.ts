import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeMailHeaderError } from '../src/notify/headers.js';
import { createResendClient, ResendRateLimitedError, ResendRejectedError } from '../src/notify/resend.js';
import { PermanentError } from '../src/platform/errors.js';
import { type FakeResend, startFakeResend } from './support/fake-resend.js';

/** The client against a loopback stand-in for api.resend.com speaking Resend's shapes. */
let resendApi: FakeResend;

beforeAll(async () => {
  resendApi = await startFakeResend();
});
afterAll(() => resendApi.close());
beforeEach(() => resendApi.reset());

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
    apiKey: resendApi.apiKey,
    baseUrl: resendApi.baseUrl,
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
    const [request] = resendApi.received;
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
    resendApi.rateLimit(2);
    const { resend, waits } = client();
    const { id } = await resend.sendEmail(email, 'verify-email/v1');
    expect(id).toBeTruthy();
    expect(waits).toEqual([1000, 1000]);
    expect(resendApi.received.map((request) => request.headers['idempotency-key'])).toEqual([
      'verify-email/v1',
      'verify-email/v1',
      'verify-email/v1',
    ]);
  });

  it('gives up with the wait Resend asked for once the retries are spent', async () => {
    resendApi.rateLimit(5);
    const { resend } = client({ retries: 1 });
    const error = await resend.sendEmail(email, 'verify-email/v2').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResendRateLimitedError);
    expect((error as ResendRateLimitedError).retryAfterSeconds).toBe(1);
  });

  it('tries again later when a request with the same key is still in progress, and refuses a reused key', async () => {
    resendApi.failNext(409, {
      statusCode: 409,
      name: 'concurrent_idempotent_requests',
      message: 'Same idempotency key used while original request is still in progress.',
    });
    const { resend, waits } = client();
    expect((await resend.sendEmail(email, 'invite/i5')).id).toBeTruthy();
    expect(waits).toEqual([1000]);

    resendApi.failNext(409, {
      statusCode: 409,
      name: 'invalid_idempotent_request',
      message: 'Same idempotency key used with a different request payload.',
    });
    const error = await resend.sendEmail(email, 'invite/i5').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResendRejectedError);
    expect((error as ResendRejectedError).resendName).toBe('invalid_idempotent_request');
  });

  it('reports a refused mail with Resend’s error name, without echoing the address', async () => {
    resendApi.failNext(422, {
      statusCode: 422,
      name: 'validation_error',
      message: 'Invalid `to` field: ayse@example.com',
    });
    const { resend } = client();
    const error = await resend.sendEmail(email, 'invite/i2').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ResendRejectedError);
    expect((error as ResendRejectedError).status).toBe(422);
    expect((error as ResendRejectedError).resendName).toBe('validation_error');
    expect((error as Error).message).not.toContain('ayse@example.com');
  });

  it('is refused without a User-Agent, which is why it always sends one', async () => {
    const response = await fetch(`${resendApi.baseUrl}/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${resendApi.apiKey}`, 'user-agent': '' },
      body: JSON.stringify(email),
    });
    expect(response.status).toBe(403);
    const { resend } = client({ userAgent: '' });
    await expect(resend.sendEmail(email, 'invite/i3')).rejects.toThrow(ResendRejectedError);
  });

  it('abandons a request that gets no answer in time, so a caller can retry it later', async () => {
    resendApi.delayNext(2_000);
    const { resend } = client({ timeoutMs: 200 });
    const started = Date.now();
    const error = await resend.sendEmail(email, 'invite/i4').catch((thrown: unknown) => thrown);
    expect((error as Error).name).toBe('TimeoutError');
    expect(error).not.toBeInstanceOf(ResendRejectedError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('never hands Resend a subject that could break out of its mail header', async () => {
    // Resend writes the subject into the mail's `Subject:` header: a line break there would add
    // headers of the sender's choosing (a Bcc, a second body).
    const { resend } = client();
    for (const [index, subject] of [
      'Join Lale Butik\r\nBcc: attacker@example.com',
      'Join Lale Butik\nBcc: attacker@example.com',
      'Join Lale Butik\rBcc: attacker@example.com',
      'Join\u0000Lale\u0085Butik\u2028Bcc: attacker@example.com\t',
    ].entries()) {
      await resend.sendEmail({ ...email, subject }, `invite/header-${index}`);
    }
    const subjects = resendApi.received.map((request) => String(request.body.subject));
    expect(subjects).toEqual([
      'Join Lale Butik Bcc: attacker@example.com',
      'Join Lale Butik Bcc: attacker@example.com',
      'Join Lale Butik Bcc: attacker@example.com',
      'Join Lale Butik Bcc: attacker@example.com',
    ]);
    for (const subject of subjects) expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
  });

  it('refuses an address or sender with a line break, sending nothing', async () => {
    const { resend } = client();
    const badTo = resend.sendEmail({ ...email, to: ['ayse@example.com\r\nBcc: attacker@example.com'] }, 'invite/to');
    await expect(badTo).rejects.toThrow(UnsafeMailHeaderError);
    const badFrom = resend.sendEmail({ ...email, from: 'Asistone\n<no-reply@mail.example.com>' }, 'invite/from');
    await expect(badFrom).rejects.toThrow(UnsafeMailHeaderError);
    const badReplyTo = resend.sendEmail({ ...email, reply_to: 'a@example.com\nBcc: b@example.com' }, 'invite/reply');
    await expect(badReplyTo).rejects.toThrow(UnsafeMailHeaderError);
    expect(resendApi.received).toHaveLength(0);
    // Permanent: the mail goes to the dead-letter queue, not round and round; the address is not echoed.
    const error = await badTo.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).not.toContain('attacker');
  });

  it('refuses an idempotency key longer than Resend accepts', async () => {
    const { resend } = client();
    await expect(resend.sendEmail(email, 'x'.repeat(257))).rejects.toThrow(RangeError);
    expect(resendApi.received).toHaveLength(0);
  });
});
