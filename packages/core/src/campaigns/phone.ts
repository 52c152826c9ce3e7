import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Phone numbers as merchants' spreadsheets hold them (`0532 123 45 67`, `532-123-4567`,
 * `+90 532…`, `90532…`, `0090…`, foreign numbers with their `+`), made E.164. Turkey is the
 * default country: a number without a country code is read as Turkish. Only mobile numbers are
 * kept: WhatsApp campaigns go to phones, and a landline in a customer list is a typo or a shop's
 * switchboard. The full metadata is needed to tell a mobile number from a landline.
 */

export const PHONE_REJECTIONS = ['missing-phone', 'invalid-phone', 'not-mobile'] as const;
export type PhoneRejection = (typeof PHONE_REJECTIONS)[number];

export type NormalisedPhone = { ok: true; e164: string } | { ok: false; reason: PhoneRejection };

/** Numbers whose plan does not tell mobiles from landlines (the US, Canada…) are accepted. */
const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Longer than any phone number written with spaces and punctuation: not worth parsing. */
const MAX_RAW_LENGTH = 40;

export function normalisePhone(raw: string, defaultCountry: CountryCode = 'TR'): NormalisedPhone {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'missing-phone' };
  // Letters mean it is not a number (an e-mail, a name in the wrong column); `ext.` is not a phone for campaigns.
  if (text.length > MAX_RAW_LENGTH || !/^[+0-9\s().\-/]+$/.test(text)) return { ok: false, reason: 'invalid-phone' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed?.isValid()) return { ok: false, reason: 'invalid-phone' };
  const type = parsed.getType();
  if (!type || !MOBILE_TYPES.has(type)) return { ok: false, reason: 'not-mobile' };
  return { ok: true, e164: parsed.number };
}
