import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mask, maskingReplacer, maskText } from '../src/platform/masking.js';

describe('maskText', () => {
  it.each([
    ['call +90 555 111 22 33 now', '555 111'],
    ['wa_id 905551112233', '905551112233'],
    ['tel 0555 111 22 33', '111 22'],
    ['mail ayse.yilmaz@example.com.tr', 'yilmaz@example'],
    ['card 4111 1111 1111 1111', '4111 1111 1111'],
    ['Authorization: Bearer abc.def.ghi', 'abc.def.ghi'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', 'eyJzdWIiOiIxIn0'],
    ['key re_123456789abcdef', 're_123456789abcdef'],
    ['secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['msg wamid.HBgMOTA1NTUxMTEyMjMzFQIAEhg=', 'HBgMOTA1NTUxMTEyMjMzFQIAEhg='],
    ['from 85.105.12.34', '12.34'],
  ])('hides the sensitive part of %j', (text, secret) => {
    expect(maskText(text)).not.toContain(secret);
  });

  it('leaves ordinary identifiers readable', () => {
    const text = 'request cd4195cf-642c-4512-8828-e3d53f4db123 at 2026-11-29T01:37:38.248Z, order #1042';
    expect(maskText(text)).toBe(text);
  });

  it('never lets a phone number or email through, wherever it sits in the text', () => {
    const phone = fc
      .tuple(fc.constantFrom('+90', '+49', '+1', ''), fc.stringMatching(/^[1-9]\d{9,11}$/))
      .map(([cc, rest]) => `${cc}${rest}`);
    const email = fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{1,10}$/), fc.stringMatching(/^[a-z]{2,8}\.(com|tr|de)$/))
      .map(([user, domain]) => `${user}@${domain}`);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.oneof(phone, email),
        fc.string({ maxLength: 20 }),
        (before, secret, after) => {
          const masked = maskText(`${before} ${secret} ${after}`);
          expect(masked).not.toContain(secret.replace(/^\+/, ''));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('maskingReplacer', () => {
  it('masks sensitive keys at any depth and patterns in other strings', () => {
    const out = JSON.stringify(
      {
        user: { email: 'a@b.co', password: 'hunter2', profile: { phone: '+905551112233' } },
        note: 'reach me at a@b.co',
        count: 3,
      },
      maskingReplacer,
    );
    expect(out).not.toMatch(/hunter2|a@b\.co|905551112233/);
    expect(JSON.parse(out).count).toBe(3);
  });

  it('masks whole objects stored under a sensitive key', () => {
    expect(mask({ body: { text: 'Merhaba' } })).toEqual({ body: '[redacted]' });
  });
});
