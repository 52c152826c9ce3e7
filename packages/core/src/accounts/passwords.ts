import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt from node:crypto at OWASP's parameters (N=2^17, r=8, p=1):
 * memory-hard, and no native module in any bundle. The stored form names its parameters so
 * they can be raised later without breaking existing hashes.
 */
const COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const SALT_BYTES = 32;
const KEY_BYTES = 64;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below that. */
const MAX_MEMORY = 2 * 128 * COST.N * COST.r;

function derive(password: string, salt: Buffer, options: ScryptOptions, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, bytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password for storage.
 *
 * @example
 * const stored = await hashPassword('correct horse battery'); // 'scrypt$17$8$1$<salt>$<key>'
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, { ...COST, maxmem: MAX_MEMORY }, KEY_BYTES);
  return ['scrypt', Math.log2(COST.N), COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time. Malformed hashes never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const options = { N: 2 ** Number(logN), r: Number(r), p: Number(p) };
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    {
      ...options,
      maxmem: 2 * 128 * options.N * options.r,
    },
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same work as a real check when there is no account to check against, so the
 * answer time does not tell whether an email address is registered.
 */
export async function spendPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}
