import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Svix's webhook signature, which Resend's delivery webhooks carry: `svix-id`, `svix-timestamp`
 * (Unix seconds) and `svix-signature`, a space-separated list of `v1,<base64 HMAC-SHA256>` over
 * `<id>.<timestamp>.<raw body>`, keyed by the base64 part of the endpoint's `whsec_…` secret.
 * Several `v1,` entries arrive while a secret is being rotated: one match is enough.
 */

/** Svix's own library refuses a timestamp further than this from now, either way (replays). */
export const SVIX_TOLERANCE_SECONDS = 5 * 60;

export type SvixVerdict = 'valid' | 'invalid' | 'stale';

/** The HMAC key of a `whsec_…` secret; undefined when it is not one. */
export function svixKey(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : undefined;
}

/** The base64 signature Svix puts after `v1,` (the fake Resend signs with this; receivers verify). */
export function svixSignature(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * Checks one delivery on its raw bytes. Unsigned, badly signed or signed with another secret is
 * `invalid`; a timestamp more than 5 minutes away is `stale`, even when its signature matches (a
 * captured delivery replayed later).
 *
 * @example
 * verifySvix(key, { id: h['svix-id'], timestamp: h['svix-timestamp'], signature: h['svix-signature'] }, raw, Date.now())
 */
export function verifySvix(
  key: Buffer,
  headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  body: Buffer,
  nowMs: number,
): SvixVerdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const expected = Buffer.from(svixSignature(key, id, timestamp, body), 'base64');
  // Every entry is compared (no early exit on a match's position), each in constant time.
  let matched = false;
  for (const entry of signature.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return 'invalid';
  return Math.abs(nowMs / 1000 - Number(timestamp)) > SVIX_TOLERANCE_SECONDS ? 'stale' : 'valid';
}
