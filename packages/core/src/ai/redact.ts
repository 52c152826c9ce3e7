/**
 * What the model must never see, taken out of a customer's text before anything is sent to it:
 * card numbers, IBANs, Turkish national ids and secrets a customer types into a chat ("şifrem:
 * ...", "cvv 123"). Each kind is checked the way its issuer defines it (Luhn, IBAN mod 97, the
 * TCKN checksum), so order numbers, phone numbers and amounts stay: the agent needs those to
 * answer, and a false redaction would make it hand off for nothing.
 */

export type RedactionKind = 'card' | 'iban' | 'national-id' | 'secret';

export interface Redaction {
  kind: RedactionKind;
  count: number;
}

/** What the model reads in place of each kind (Turkish: the model answers in the customer's language anyway). */
export const REDACTED: Record<RedactionKind, string> = {
  card: '[kart numarası gizlendi]',
  iban: '[IBAN gizlendi]',
  'national-id': '[TC kimlik no gizlendi]',
  secret: '[gizli bilgi gizlendi]',
};

/** Luhn (ISO/IEC 7812): every card number carries it; most random digit runs fail it. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The TCKN checksum: 11 digits, no leading 0, the 10th and 11th digits computed from the others. */
export function nationalIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const d = [...digits].map(Number) as number[];
  const odd = (d[0] ?? 0) + (d[2] ?? 0) + (d[4] ?? 0) + (d[6] ?? 0) + (d[8] ?? 0);
  const even = (d[1] ?? 0) + (d[3] ?? 0) + (d[5] ?? 0) + (d[7] ?? 0);
  const tenth = (((odd * 7 - even) % 10) + 10) % 10;
  const eleventh = d.slice(0, 10).reduce((a, b) => a + b, 0) % 10;
  return d[9] === tenth && d[10] === eleventh;
}

/** IBAN lengths by country for the countries a Turkish shop's customers bank in most; others: 15..34. */
const IBAN_LENGTHS: Record<string, number> = { TR: 26, DE: 22, GB: 22, NL: 18, FR: 27, IT: 27, ES: 24, AT: 20, BE: 16 };

/** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function ibanValid(compact: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const moved = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of moved) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/**
 * Card numbers are written in one block or in groups: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
 * Requiring one of these keeps a phone number followed by another number from reading as a card.
 */
function cardGrouping(groups: readonly string[]): boolean {
  if (groups.length === 1) return true;
  const lengths = groups.map((group) => group.length);
  const fours = lengths.slice(0, -1).every((length) => length === 4) && (lengths.at(-1) ?? 0) <= 4;
  const amexOrDiners = lengths.length === 3 && lengths[0] === 4 && lengths[1] === 6 && [4, 5].includes(lengths[2] ?? 0);
  return fours || amexOrDiners;
}

/**
 * Card networks' first digits: 2-6 (Mastercard 2-series, Amex/Diners 3, Visa 4, Mastercard 5,
 * Discover/UnionPay 6) and Troy's 9792 (Turkey's domestic network). Tracking and reference
 * numbers starting otherwise stay even when they happen to pass Luhn (one in ten does).
 */
const CARD_PREFIX = /^(?:[2-6]|9792)/;

function cardNumber(groups: readonly string[]): boolean {
  const digits = groups.join('');
  return (
    digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && cardGrouping(groups) && luhnValid(digits)
  );
}

/**
 * Runs of digits joined by single spaces or dashes. Within a run, the longest stretch of whole
 * groups that is a card number is replaced (a card followed by an expiry or a quantity still goes).
 */
function redactCards(text: string, count: (kind: RedactionKind) => void): string {
  return text.replace(/(?<![\d])\d+(?:[ -]\d+)*(?![\d])/g, (run) => {
    const parts = run.split(/([ -])/);
    const groups = parts.filter((_, i) => i % 2 === 0);
    const separators = parts.filter((_, i) => i % 2 === 1);
    if (groups.join('').length < 13) return run;
    const out: string[] = [];
    let i = 0;
    while (i < groups.length) {
      let matched = -1;
      for (let j = groups.length - 1; j >= i; j--) {
        if (cardNumber(groups.slice(i, j + 1))) {
          matched = j;
          break;
        }
      }
      if (matched >= 0) {
        out.push(REDACTED.card);
        count('card');
        i = matched + 1;
      } else {
        out.push(groups[i] as string);
        i += 1;
      }
      if (i < groups.length) out.push(separators[i - 1] as string);
    }
    return out.join('');
  });
}

/** Where an IBAN may start: a country code and two check digits, at the start of a word. */
const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}/g;

/**
 * IBANs as typed: compact or in groups of four, upper or lower case. Each possible start is
 * tried on its own, so a word that only looks like a start cannot hide an IBAN after it.
 */
function redactIbans(text: string, count: (kind: RedactionKind) => void): string {
  let out = '';
  let copied = 0;
  for (const start of text.matchAll(IBAN_START)) {
    const at = start.index;
    if (at < copied) continue;
    // Compact characters and, for each, where it ends in the typed text (single spaces allowed).
    let compact = '';
    const ends: number[] = [];
    for (let i = at; i < text.length && compact.length < 34; i++) {
      const char = text[i] as string;
      if (/[A-Za-z0-9]/.test(char)) {
        compact += char.toUpperCase();
        ends.push(i + 1);
      } else if (char !== ' ' || text[i + 1] === ' ') break;
    }
    const known = IBAN_LENGTHS[compact.slice(0, 2)];
    const lengths = known ? [known] : Array.from({ length: 20 }, (_, k) => 34 - k);
    for (const length of lengths) {
      if (compact.length < length) continue;
      const end = ends[length - 1] as number;
      // The IBAN must end where a word ends, not in the middle of the next one.
      if (/[A-Za-z0-9]/.test(text[end] ?? '')) continue;
      if (!ibanValid(compact.slice(0, length))) continue;
      count('iban');
      out += text.slice(copied, at) + REDACTED.iban;
      copied = end;
      break;
    }
  }
  return out + text.slice(copied);
}

function redactNationalIds(text: string, count: (kind: RedactionKind) => void): string {
  return text.replace(/(?<![\d])\d{11}(?![\d])/g, (digits) => {
    if (!nationalIdValid(digits)) return digits;
    count('national-id');
    return REDACTED['national-id'];
  });
}

// Turkish letters typed with or without their marks, in either case (JS's /i does not fold İ).
const I = '[iİıI]';
const S = '[şŞsS]';
const U = '[üÜuU]';
const G = '[ğĞgG]';
const O = '[öÖoO]';
/** Words after which a customer writes a secret: password, PIN, card security code, one-time code. */
const SECRET_WORDS = [
  `${S}${I}fre(?:m|n${I}z|m${I}z|s${I})?`,
  `parola(?:m|s${I})?`,
  'passwords?',
  'passcode',
  'p[iİıI]n(?: ?kodu(?:m)?)?',
  'cvv2?',
  'cvc2?',
  `${G}${U}venl${I}k kodu`,
  `(?:do${G}rulama|onay|sms|tek kullan${I}ml${I}k) kodu`,
  `${O}tp`,
  'verification code',
].join('|');
/** With ":" or "=" (or "is") whatever follows is the secret; without, only a value holding a digit ("şifremi unuttum" stays). */
const SECRET_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(${SECRET_WORDS})(?:(\\s*[:=]\\s*|\\s+(?:is|şu|su)\\s*:?\\s*)(\\S+)|(\\s+)(\\S*\\d\\S*))`,
  'giu',
);

function redactSecrets(text: string, count: (kind: RedactionKind) => void): string {
  return text.replace(SECRET_PATTERN, (_match, word: string, separator?: string, _value?: string, space?: string) => {
    // The whole token goes, punctuation too: a password may end in "!" or ".".
    count('secret');
    return `${word}${separator ?? space ?? ''}${REDACTED.secret}`;
  });
}

/**
 * The text as the model may read it, and what was taken out (kinds and counts, never the
 * values: this is what may be logged or stored on the reply record).
 *
 * @example
 * redactForModel('kartım 4111 1111 1111 1111, şifrem: gizli123');
 * // → { text: 'kartım [kart numarası gizlendi], şifrem: [gizli bilgi gizlendi]',
 * //     redactions: [{ kind: 'card', count: 1 }, { kind: 'secret', count: 1 }] }
 */
export function redactForModel(text: string): { text: string; redactions: Redaction[] } {
  const counts = new Map<RedactionKind, number>();
  const count = (kind: RedactionKind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  // Secrets first (a PIN or CVV is digits too), then IBANs (their digits would otherwise be
  // read as cards), then cards, then national ids (11 digits, never a card length).
  let out = redactSecrets(text, count);
  out = redactIbans(out, count);
  out = redactCards(out, count);
  out = redactNationalIds(out, count);
  const order: RedactionKind[] = ['card', 'iban', 'national-id', 'secret'];
  return {
    text: out,
    redactions: order.flatMap((kind) => (counts.get(kind) ? [{ kind, count: counts.get(kind) as number }] : [])),
  };
}
