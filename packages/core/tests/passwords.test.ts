import { describe, expect, it } from 'vitest';
import { hashPassword, spendPasswordCheck, verifyPassword } from '../src/accounts/passwords.js';

describe('password hashing', () => {
  it('stores scrypt at OWASP cost with a 32-byte salt and a 64-byte key, and verifies it', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, logN, r, p, salt, key] = stored.split('$');
    expect([scheme, logN, r, p]).toEqual(['scrypt', '17', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(32);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(64);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
  });

  it('never matches a malformed hash', async () => {
    expect(await verifyPassword('anything at all', 'plain-text')).toBe(false);
    expect(await verifyPassword('anything at all', 'bcrypt$10$8$1$c2FsdA$a2V5')).toBe(false);
  });

  it('spends a full check when there is no account, and fails it', async () => {
    await spendPasswordCheck('warm the dummy hash');
    const started = performance.now();
    expect(await spendPasswordCheck('whatever was typed')).toBe(false);
    const spent = performance.now() - started;
    const stored = await hashPassword('reference');
    const reference = performance.now();
    await verifyPassword('reference', stored);
    const real = performance.now() - reference;
    expect(spent).toBeGreaterThan(real * 0.3);
  });
});
