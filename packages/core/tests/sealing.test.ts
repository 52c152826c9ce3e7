import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSealed, openField, type SealContext, sealField } from '../src/platform/crypto/sealing.js';
import { SealedDataError } from '../src/platform/errors.js';

const key = createSecretKey(randomBytes(32));
const context: SealContext = { tenantId: 't_1', entity: 'message', field: 'text', itemKey: 'ms_1' };

describe('sealField / openField', () => {
  it('round-trips any text, emoji and Turkish letters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const sealed = sealField(key, text, context);
        expect(isSealed(sealed)).toBe(true);
        expect(openField(key, sealed, context)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('never reveals the plaintext and differs on every seal', () => {
    const a = sealField(key, 'Siparişim nerede? 🙏', context);
    const b = sealField(key, 'Siparişim nerede? 🙏', context);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64url').toString('utf8')).not.toContain('Sipari');
  });

  it.each(['tenantId', 'entity', 'field', 'itemKey'] as const)('refuses to open when %s differs', (part) => {
    const sealed = sealField(key, 'secret', context);
    expect(() => openField(key, sealed, { ...context, [part]: `${context[part]}x` })).toThrow(SealedDataError);
  });

  it('refuses tampered data, truncated data and the wrong key', () => {
    const sealed = sealField(key, 'secret', context);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    expect(() => openField(key, `v1.${raw.toString('base64url')}`, context)).toThrow(SealedDataError);
    expect(() => openField(key, 'v1.AAAA', context)).toThrow(SealedDataError);
    expect(() => openField(key, 'plain text', context)).toThrow(SealedDataError);
    expect(() => openField(createSecretKey(randomBytes(32)), sealed, context)).toThrow(SealedDataError);
  });
});
