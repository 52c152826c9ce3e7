import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, matchTotp, newTotpSecret, otpauthUrl, totpCode } from '../src/accounts/totp.js';

// RFC 6238 appendix B, SHA-1: the 20-byte ASCII seed "12345678901234567890".
const RFC_SEED = base32Encode(Buffer.from('12345678901234567890'));
const RFC_VECTORS: ReadonlyArray<[seconds: number, eightDigits: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (last six digits)', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      expect(totpCode(RFC_SEED, Math.floor(seconds / 30))).toBe(code.slice(2));
    }
  });

  it('round-trips base32', () => {
    const bytes = Buffer.from('any bytes at all \u0000\u00ff');
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Encode(Buffer.from('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('accepts the previous, current and next step, and nothing further', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    for (const drift of [-1, 0, 1]) expect(matchTotp(secret, totpCode(secret, step + drift), now)).toBe(step + drift);
    for (const drift of [-2, 2]) expect(matchTotp(secret, totpCode(secret, step + drift), now)).toBeUndefined();
  });

  it('refuses codes that are not six digits', () => {
    const secret = newTotpSecret();
    expect(matchTotp(secret, '12345', Date.now())).toBeUndefined();
    expect(matchTotp(secret, 'abcdef', Date.now())).toBeUndefined();
  });

  it('builds the otpauth URL authenticator apps scan', () => {
    const url = new URL(otpauthUrl('JBSWY3DPEHPK3PXP', 'ayse@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Asistone:ayse@example.com');
    expect(url.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(url.searchParams.get('period')).toBe('30');
  });
});
