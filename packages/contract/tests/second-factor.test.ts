import { describe, expect, it } from 'vitest';
import { recoveryCodeSchema, secondFactorCodeSchema, signInBody, totpEnableBody } from '../src/auth.js';

describe('recovery codes in the contract', () => {
  it('take a code typed back in any case, with or without its hyphen, and read it in lower case', () => {
    for (const typed of ['abcde-fghij', ' ABCDE-FGHIJ ', 'abcdefghij', 'abcde fghij']) {
      expect(recoveryCodeSchema.parse(typed)).toBe(typed.trim().toLowerCase());
    }
  });

  it('refuse what no recovery code looks like', () => {
    for (const typed of ['abcde-fghi', 'abcde-fghij2', 'abcde-fgh1j', 'abcde--fghij', '123456', '']) {
      expect(recoveryCodeSchema.safeParse(typed).success).toBe(false);
    }
  });

  it('stand in for the app code at sign-in and when changing the second factor', () => {
    const signIn = signInBody.parse({ email: 'ayse@example.com', password: 'p', recoveryCode: 'ABCDE-FGHIJ' });
    expect(signIn.recoveryCode).toBe('abcde-fghij');
    expect(secondFactorCodeSchema.safeParse('123456').success).toBe(true);
    expect(secondFactorCodeSchema.safeParse('abcde-fghij').success).toBe(true);
    expect(secondFactorCodeSchema.safeParse('12345').success).toBe(false);
  });

  it('make turning the second factor on take the password, and the first code from the app only', () => {
    expect(totpEnableBody.safeParse({ code: '123456' }).success).toBe(false);
    expect(totpEnableBody.safeParse({ password: 'p', code: 'abcde-fghij' }).success).toBe(false);
    expect(totpEnableBody.safeParse({ password: 'p', code: '123456' }).success).toBe(true);
  });
});
