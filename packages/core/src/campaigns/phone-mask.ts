/**
 * A number as the team may see it in a list: country code, the first three digits and the last
 * two (`+90 532 *** ** 67`); enough to recognise a customer, not to call them. Apart from the
 * normalisation (phone.ts) so that the API, which only shows numbers, does not carry the phone
 * number library's metadata: the country calling code is found from the E.164 prefix alone.
 */

/**
 * Country calling codes of one and two digits (ITU-T E.164 assignments); every other code has
 * three. The codes are prefix-free, so the first match is the code.
 */
const SHORT_CODES = new Set(
  `1 7
  20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56
  57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98`.split(/\s+/),
);

export function maskPhone(e164: string): string {
  const digits = /^\+(\d{7,15})$/.exec(e164)?.[1];
  if (!digits) return '***';
  const codeLength = SHORT_CODES.has(digits.slice(0, 1)) ? 1 : SHORT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  const code = digits.slice(0, codeLength);
  const national = digits.slice(codeLength);
  if (national.length < 6) return `+${code} ***`;
  return `+${code} ${national.slice(0, 3)} *** ** ${national.slice(-2)}`;
}
