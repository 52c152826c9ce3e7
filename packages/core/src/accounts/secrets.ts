import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Random secrets handed to a person (links in mails, refresh tokens) and the ids of the
 * records behind them. Only the SHA-256 of a secret is stored, so a table dump opens nothing.
 */

/** 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function sameSecretHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// 32 symbols, so each random byte maps to one symbol without bias.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A short random id (lowercase letters and digits, 100 random bits), safe in keys, file
 * names and URLs.
 *
 * @example
 * newId('u') // 'u3k9x...'
 */
export function newId(prefix: string): string {
  const bytes = randomBytes(20);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}
