import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  brokenPasswordRule,
  CURRENT_TERMS_VERSION,
  nameSchema,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MESSAGES,
  PASSWORD_MIN_LENGTH,
  passwordSchema,
} from '../src/accounts.js';
import { passwordResetConfirmBody, signInBody, signUpBody } from '../src/auth.js';
import { ERROR_CODES, ERROR_STATUS } from '../src/errors.js';
import { acceptInviteBody } from '../src/invites.js';

const newAccount = {
  businessName: 'Lale Butik',
  name: 'Ayşe Yılmaz',
  email: 'ayse@example.com',
  ageConfirmed: true,
  acceptTerms: true,
  termsVersion: CURRENT_TERMS_VERSION,
};

/** The `issues` a 400 of the API would carry for `value`. */
function issues(schema: z.ZodType, value: unknown) {
  return (schema.safeParse(value).error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('password rule', () => {
  it('asks for 12 to 128 characters', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
    expect(passwordSchema.safeParse('x'.repeat(11)).success).toBe(false);
    expect(passwordSchema.safeParse('x'.repeat(12)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(128)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(129)).success).toBe(false);
  });

  it('names the rule a password breaks, for forms to word it in their language', () => {
    expect(brokenPasswordRule('')).toBe('tooShort');
    expect(brokenPasswordRule('x'.repeat(11))).toBe('tooShort');
    expect(brokenPasswordRule('x'.repeat(12))).toBeNull();
    expect(brokenPasswordRule('x'.repeat(129))).toBe('tooLong');
  });

  it('is the rule of every body that chooses a password, with the message the API returns', () => {
    const short = 'x'.repeat(11);
    const tooShort = [{ path: 'password', message: 'Use at least 12 characters' }];
    expect(PASSWORD_MESSAGES.tooShort).toBe('Use at least 12 characters');
    expect(issues(signUpBody, { ...newAccount, password: short })).toEqual(tooShort);
    expect(issues(acceptInviteBody, { ...newAccount, password: short })).toEqual(tooShort);
    expect(issues(passwordResetConfirmBody, { token: 't'.repeat(40), password: short })).toEqual(tooShort);
    expect(issues(signUpBody, { ...newAccount, password: 'x'.repeat(129) })).toEqual([
      { path: 'password', message: 'Use at most 128 characters' },
    ]);
    expect(signUpBody.safeParse({ ...newAccount, password: 'x'.repeat(12) }).success).toBe(true);
  });

  it('does not apply to signing in with a password chosen under older rules', () => {
    expect(signInBody.safeParse({ email: 'ayse@example.com', password: 'short' }).success).toBe(true);
  });
});

describe('names and consent', () => {
  it('trims names and refuses blank or overlong ones', () => {
    expect(nameSchema.parse('  Ayşe  ')).toBe('Ayşe');
    expect(nameSchema.safeParse('   ').success).toBe(false);
    expect(nameSchema.safeParse('x'.repeat(121)).success).toBe(false);
  });

  it('refuses a sign-up that names older terms', () => {
    expect(issues(signUpBody, { ...newAccount, password: 'x'.repeat(12), termsVersion: '2020-01-01' })).toEqual([
      { path: 'termsVersion', message: 'The terms have changed: reload the page and accept them again' },
    ]);
  });
});

describe('error codes', () => {
  it('lists each code once, each with its status', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('the package', () => {
  it('imports nothing but zod and itself: no server code, no Node APIs', () => {
    const src = join(import.meta.dirname, '..', 'src');
    for (const file of readdirSync(src)) {
      const imports = [...readFileSync(join(src, file), 'utf8').matchAll(/\bfrom '([^']+)'/g)].map(([, from]) => from);
      for (const from of imports) expect(from, `${file} imports ${from}`).toMatch(/^(zod|\.\/[\w-]+\.js)$/);
    }
  });
});
