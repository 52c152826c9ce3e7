import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../src/campaigns/phone.js';
import { maskPhone } from '../src/campaigns/phone-mask.js';

/** Numbers as merchants' spreadsheets hold them, made E.164 with Turkey as the default country. */
describe('campaign list phone numbers', () => {
  it.each([
    ['05321234567', '+905321234567'],
    ['5321234567', '+905321234567'],
    ['+905321234567', '+905321234567'],
    ['905321234567', '+905321234567'],
    ['0090 532 123 45 67', '+905321234567'],
    ['0532 123 45 67', '+905321234567'],
    ['0532-123-45-67', '+905321234567'],
    ['(0532) 123 45 67', '+905321234567'],
    ['  +90 532 123 45 67  ', '+905321234567'],
    ['+49 151 12345678', '+4915112345678'],
    ['+44 7911 123456', '+447911123456'],
    // A plan that does not tell mobiles from landlines (North America): kept.
    ['+1 415 555 2671', '+14155552671'],
  ])('%s → %s', (raw, e164) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['0212 123 45 67', 'not-mobile'],
    ['02121234567', 'not-mobile'],
    ['+44 20 7123 4567', 'not-mobile'],
    ['', 'missing-phone'],
    ['   ', 'missing-phone'],
    ['12345', 'invalid-phone'],
    ['0532 123 45', 'invalid-phone'],
    ['ayse@example.com', 'invalid-phone'],
    ['05321234567 ext 12', 'invalid-phone'],
    ['+90 532 123 45 67 89 01 23 45 67 89 01 23 45 67', 'invalid-phone'],
  ])('%s is rejected as %s', (raw, reason) => {
    expect(normalisePhone(raw)).toEqual({ ok: false, reason });
  });

  it('masks a number to its country code, first three and last two digits', () => {
    expect(maskPhone('+905321234567')).toBe('+90 532 *** ** 67');
    expect(maskPhone('+4915112345678')).toBe('+49 151 *** ** 78');
    expect(maskPhone('+14155550123')).toBe('+1 415 *** ** 23');
    expect(maskPhone('+79161234567')).toBe('+7 916 *** ** 67');
    // Three-digit codes: Azerbaijan, Cyprus.
    expect(maskPhone('+994501234567')).toBe('+994 501 *** ** 67');
    expect(maskPhone('+35799123456')).toBe('+357 991 *** ** 56');
    // Whatever the phone library says the country code is, the mask agrees with it.
    for (const e164 of ['+905321234567', '+4915112345678', '+14155550123', '+994501234567', '+447911123456']) {
      const code = parsePhoneNumberFromString(e164)?.countryCallingCode;
      expect(maskPhone(e164)).toMatch(new RegExp(`^\\+${code} \\d{3} \\*\\*\\* \\*\\* \\d{2}$`));
    }
    expect(maskPhone('not a number')).toBe('***');
  });
});
