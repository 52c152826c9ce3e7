import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeEqual, verifyBase64Signature, verifyHexSignature } from '../src/platform/webhook.js';

const secret = 'app-secret';
const body = Buffer.from('{"object":"page","entry":[{"text":"\\u015fey \\ud83d\\ude00"}]}');
const hex = createHmac('sha256', secret).update(body).digest('hex');

describe('verifyHexSignature (Meta X-Hub-Signature-256)', () => {
  it('accepts the HMAC of the exact bytes, in either hex case', () => {
    expect(verifyHexSignature(secret, body, `sha256=${hex}`, 'sha256=')).toBe(true);
    expect(verifyHexSignature(secret, body, `sha256=${hex.toUpperCase()}`, 'sha256=')).toBe(true);
  });

  it('refuses a missing header, a wrong prefix, a wrong length and a wrong secret', () => {
    expect(verifyHexSignature(secret, body, undefined, 'sha256=')).toBe(false);
    expect(verifyHexSignature(secret, body, hex, 'sha256=')).toBe(false);
    expect(verifyHexSignature(secret, body, `sha256=${hex.slice(2)}`, 'sha256=')).toBe(false);
    expect(verifyHexSignature('other', body, `sha256=${hex}`, 'sha256=')).toBe(false);
  });

  it('refuses the same JSON re-serialised (the bytes, not the meaning, are signed)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifyHexSignature(secret, reserialised, `sha256=${hex}`, 'sha256=')).toBe(false);
  });

  it('refuses any body that differs by one byte', () => {
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const changed = Buffer.from(body);
        changed[index] = (changed[index] as number) ^ flip;
        expect(verifyHexSignature(secret, changed, `sha256=${hex}`, 'sha256=')).toBe(false);
      }),
    );
  });
});

describe('verifyBase64Signature (Shopify X-Shopify-Hmac-Sha256)', () => {
  it('accepts the base64 HMAC and refuses others', () => {
    const b64 = createHmac('sha256', secret).update(body).digest('base64');
    expect(verifyBase64Signature(secret, body, b64)).toBe(true);
    expect(verifyBase64Signature(secret, body, b64.slice(1))).toBe(false);
    expect(verifyBase64Signature(secret, body, undefined)).toBe(false);
  });
});

describe('safeEqual', () => {
  it('compares strings of any length', () => {
    expect(safeEqual('token', 'token')).toBe(true);
    expect(safeEqual('token', 'tokens')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
