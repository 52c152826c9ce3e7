import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNED_REQUEST_MAX_CHARS, signRequest, verifySignedRequest } from '../src/privacy/signed-request.js';

/**
 * Meta's `signed_request` as its data deletion callback sends it: only a request signed with
 * one of the apps' secrets over the exact payload characters is decoded, and every malformed,
 * truncated, oversized or tampered value is refused with the right status.
 */
const SECRETS = { facebook: 'facebook-app-secret-0123456789', instagram: 'instagram-app-secret-0123456789' };
const PAYLOAD = { algorithm: 'HMAC-SHA256', issued_at: 1_764_500_000, user_id: '17841400000000003' };
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const sign = (secret: string, payloadPart: string) =>
  createHmac('sha256', secret).update(payloadPart).digest('base64url');

describe("Meta's signed_request", () => {
  it('accepts a request signed by either app and says which', () => {
    expect(verifySignedRequest(signRequest(SECRETS.facebook, PAYLOAD), SECRETS)).toEqual({
      ok: true,
      app: 'facebook',
      payload: { userId: '17841400000000003', issuedAt: 1_764_500_000 },
    });
    const instagram = verifySignedRequest(signRequest(SECRETS.instagram, PAYLOAD), SECRETS);
    expect(instagram).toMatchObject({ ok: true, app: 'instagram' });
    // Without the Instagram app's secret configured, its requests cannot verify.
    expect(verifySignedRequest(signRequest(SECRETS.instagram, PAYLOAD), { facebook: SECRETS.facebook })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('accepts padded base64 and a numeric user id as Meta may send them', () => {
    const payloadPart = `${Buffer.from(JSON.stringify({ ...PAYLOAD, user_id: 1234567 })).toString('base64')}`
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    const check = verifySignedRequest(`${sign(SECRETS.facebook, payloadPart)}.${payloadPart}`, SECRETS);
    expect(check).toMatchObject({ ok: true, payload: { userId: '1234567' } });
  });

  it('refuses a wrong secret, a changed payload and a signature of another length with 401', () => {
    expect(verifySignedRequest(signRequest('someone-elses-secret-000', PAYLOAD), SECRETS)).toMatchObject({
      status: 401,
    });
    const [signature] = signRequest(SECRETS.facebook, PAYLOAD).split('.');
    const changed = b64(JSON.stringify({ ...PAYLOAD, user_id: '999' }));
    expect(verifySignedRequest(`${signature}.${changed}`, SECRETS)).toMatchObject({ status: 401 });
    const payloadPart = b64(JSON.stringify(PAYLOAD));
    expect(
      verifySignedRequest(`${sign(SECRETS.facebook, payloadPart).slice(0, 20)}.${payloadPart}`, SECRETS),
    ).toMatchObject({
      status: 401,
    });
  });

  it('refuses malformed values with 400: no dot, empty parts, bad base64, three parts', () => {
    const good = signRequest(SECRETS.facebook, PAYLOAD);
    for (const value of [
      '',
      'abc',
      '.',
      `${good}.x`,
      `.${good.split('.')[1]}`,
      `${good.split('.')[0]}.`,
      'a+b.c/d',
      'ab$.cd',
      'a.b',
    ]) {
      const check = verifySignedRequest(value, SECRETS);
      expect(check, value).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('refuses a signed payload that is not JSON, names another algorithm or lacks the user', () => {
    const signed = (payloadPart: string) => `${sign(SECRETS.facebook, payloadPart)}.${payloadPart}`;
    expect(verifySignedRequest(signed(b64('not json')), SECRETS)).toMatchObject({
      status: 400,
      reason: 'payload is not JSON',
    });
    expect(verifySignedRequest(signed(b64('"text"')), SECRETS)).toMatchObject({ status: 400 });
    expect(
      verifySignedRequest(signed(b64(JSON.stringify({ ...PAYLOAD, algorithm: 'HMAC-SHA1' }))), SECRETS),
    ).toMatchObject({
      status: 400,
      reason: 'unsupported algorithm',
    });
    expect(
      verifySignedRequest(signed(b64(JSON.stringify({ ...PAYLOAD, algorithm: undefined }))), SECRETS),
    ).toMatchObject({
      status: 400,
    });
    for (const user_id of [undefined, '', 'abc', '1'.repeat(33), '12 34', -5, 1.5]) {
      expect(verifySignedRequest(signed(b64(JSON.stringify({ ...PAYLOAD, user_id }))), SECRETS)).toMatchObject({
        status: 400,
      });
    }
    for (const issued_at of [undefined, '1764500000', 0, -1, 1.5]) {
      expect(verifySignedRequest(signed(b64(JSON.stringify({ ...PAYLOAD, issued_at }))), SECRETS)).toMatchObject({
        status: 400,
      });
    }
  });

  it('refuses an oversized value with 413 before any work', () => {
    const huge = `${'a'.repeat(SIGNED_REQUEST_MAX_CHARS)}.${'b'.repeat(10)}`;
    expect(verifySignedRequest(huge, SECRETS)).toMatchObject({ ok: false, status: 413 });
  });

  it('never accepts a truncation of a good request', () => {
    const good = signRequest(SECRETS.facebook, PAYLOAD);
    for (let length = 0; length < good.length; length++) {
      expect(verifySignedRequest(good.slice(0, length), SECRETS).ok, String(length)).toBe(false);
    }
  });

  it('never throws and never accepts arbitrary or mutated input', () => {
    const good = signRequest(SECRETS.facebook, PAYLOAD);
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (value) => {
        const check = verifySignedRequest(value, SECRETS);
        expect(check.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (at, char) => {
        const mutated = good.slice(0, at) + char + good.slice(at + 1);
        fc.pre(mutated !== good);
        const check = verifySignedRequest(mutated, SECRETS);
        // Base64url has spare bits in the last character: a mutation there may decode to the same bytes.
        if (check.ok)
          expect(Buffer.from(mutated.split('.')[0]!, 'base64url')).toEqual(
            Buffer.from(good.split('.')[0]!, 'base64url'),
          );
        else expect([400, 401]).toContain(check.status);
      }),
      { numRuns: 500 },
    );
  });
});
