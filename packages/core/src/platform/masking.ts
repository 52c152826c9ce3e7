/**
 * Masks personal data and secrets before anything is written to a log line. Two nets: keys
 * whose values are always sensitive, and patterns that catch sensitive values wherever they
 * appear (inside messages, error texts, nested payloads).
 */

const SENSITIVE_KEYS = new Set(
  [
    'password',
    'passwordhash',
    'newpassword',
    'currentpassword',
    'secret',
    'appsecret',
    'clientsecret',
    'token',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'verifytoken',
    'authorization',
    'cookie',
    'setcookie',
    'apikey',
    'xapikey',
    'xhubsignature256',
    'phone',
    'phonenumber',
    'e164',
    'email',
    'waid',
    'from',
    'to',
    'body',
    'text',
    'caption',
    'profilename',
    'firstname',
    'lastname',
    'fullname',
    'address',
    'totp',
    'otp',
    'verificationcode',
    'resetcode',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a value stored under `key` must never be logged. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(normalizeKey(key));
}

// Order matters: the most specific shapes first, so a JWT is not half-eaten as a phone.
const PATTERNS: ReadonlyArray<[RegExp, (match: string) => string]> = [
  // JSON Web Tokens.
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, () => '[jwt]'],
  // Bearer and basic credentials in header-like text.
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, (m) => `${m.split(/\s+/)[0]} [redacted]`],
  // Provider secrets and keys with well-known prefixes.
  [/\b(whsec_|re_|shpat_|shpss_|sk-|rk_|AKIA|ASIA)[\w-]{8,}/g, () => '[secret]'],
  // WhatsApp message ids carry the customer's number in base64.
  [/\bwamid\.[\w=+/-]+/g, () => 'wamid.[redacted]'],
  // Email addresses.
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (m) => `${m[0]}***@***`],
  // Payment card numbers: 13-19 digits, optionally grouped by spaces or dashes.
  [/(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w.-])/g, maskDigits],
  // Phone numbers written with a plus: +90 555 111 22 33, +905551112233.
  [/(?<![\w.+-])\+\d[\d\s().-]{7,18}\d(?![\w])/g, maskDigits],
  // Bare digit runs as long as a phone number (WhatsApp ids are numbers without the plus).
  [/(?<![\w.-])\d{10,15}(?![\w.-])/g, maskDigits],
  // National formats with separators: 0555 111 22 33, (555) 111-2233.
  [/(?<![\w.-])0?\(?\d{3}\)?[\s.-]\d{3}[\s.-]?\d{2}[\s.-]?\d{2}(?![\w.-])/g, maskDigits],
  // IPv4 addresses keep their network part only.
  [/\b(\d{1,3}\.\d{1,3})\.\d{1,3}\.\d{1,3}\b/g, (m) => `${m.split('.').slice(0, 2).join('.')}.x.x`],
];

function maskDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  if (digits.length < 10) return match;
  return `${match.startsWith('+') ? '+' : ''}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** Masks sensitive shapes inside free text. */
export function maskText(text: string): string {
  let out = text;
  for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace);
  return out;
}

/**
 * A `JSON.stringify` replacer that masks by key and by pattern, at any depth.
 *
 * @example
 * JSON.stringify({ email: 'a@b.co', note: 'call +905551112233' }, maskingReplacer)
 * // {"email":"[redacted]","note":"call +*********33"}
 */
export function maskingReplacer(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (key && isSensitiveKey(key) && typeof value !== 'object') return '[redacted]';
  if (key && isSensitiveKey(key) && typeof value === 'object') return '[redacted]';
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Deep copy of `value` with every sensitive part masked. */
export function mask<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, maskingReplacer) ?? 'null');
}
