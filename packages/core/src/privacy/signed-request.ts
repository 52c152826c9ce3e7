import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's `signed_request` (the data deletion callback, the deauthorize callback):
 * `<base64url signature>.<base64url JSON payload>`, the signature being HMAC-SHA256 of the
 * payload part, as sent, with the app's secret. Checked on the raw characters in constant time
 * before the payload is decoded; nothing in it is trusted until then.
 */

/** Meta's are a few hundred characters; anything far larger is not one. */
export const SIGNED_REQUEST_MAX_CHARS = 4096;

/** Which of the platform's apps signed it: the Facebook app, or the Instagram app (Instagram Login). */
export type SigningApp = 'facebook' | 'instagram';

export interface SignedRequestPayload {
  /** The app-scoped id of the person who removed the app. */
  userId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
}

export type SignedRequestCheck =
  | { ok: true; app: SigningApp; payload: SignedRequestPayload }
  | { ok: false; status: 400 | 401 | 413; reason: string };

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function fromBase64Url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bare = part.replace(/=+$/, '');
  // A length of 1 mod 4 cannot be base64 of anything.
  if (bare.length % 4 === 1) return undefined;
  return Buffer.from(bare, 'base64url');
}

/**
 * Verifies and decodes a `signed_request` against the apps' secrets (a missing one is skipped).
 * 413 for an oversized value, 400 for a malformed one, 401 when no secret signed it; only a
 * verified request's payload is decoded, and then it must say `HMAC-SHA256` and name a user.
 *
 * @example
 * const check = verifySignedRequest(form.get('signed_request') ?? '', { facebook: appSecret });
 * if (!check.ok) return reply(check.status, check.reason);
 */
export function verifySignedRequest(
  value: string,
  secrets: Partial<Record<SigningApp, string | undefined>>,
): SignedRequestCheck {
  if (value.length > SIGNED_REQUEST_MAX_CHARS) return { ok: false, status: 413, reason: 'signed_request too large' };
  const parts = value.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    return { ok: false, status: 400, reason: 'signed_request is not <signature>.<payload>' };
  }
  const [signaturePart, payloadPart] = parts as [string, string];
  const signature = fromBase64Url(signaturePart);
  if (!signature || !fromBase64Url(payloadPart))
    return { ok: false, status: 400, reason: 'signed_request is not base64url' };

  let app: SigningApp | undefined;
  for (const name of ['facebook', 'instagram'] as const) {
    const secret = secrets[name];
    if (!secret) continue;
    const expected = createHmac('sha256', secret).update(payloadPart, 'utf8').digest();
    // Every configured secret is tried, whatever the first gave: the time taken tells nothing.
    if (signature.length === expected.length && timingSafeEqual(expected, signature) && !app) app = name;
  }
  if (!app) return { ok: false, status: 401, reason: 'bad signature' };

  let payload: unknown;
  try {
    payload = JSON.parse((fromBase64Url(payloadPart) as Buffer).toString('utf8'));
  } catch {
    return { ok: false, status: 400, reason: 'payload is not JSON' };
  }
  if (typeof payload !== 'object' || payload === null)
    return { ok: false, status: 400, reason: 'payload is not an object' };
  const { algorithm, user_id: userId, issued_at: issuedAt } = payload as Record<string, unknown>;
  if (typeof algorithm !== 'string' || algorithm.toUpperCase() !== 'HMAC-SHA256') {
    return { ok: false, status: 400, reason: 'unsupported algorithm' };
  }
  const id = typeof userId === 'number' && Number.isSafeInteger(userId) ? String(userId) : userId;
  // App-scoped ids are decimal digits; anything else is not an id we could have stored.
  if (typeof id !== 'string' || !/^\d{1,32}$/.test(id))
    return { ok: false, status: 400, reason: 'user_id missing or malformed' };
  if (typeof issuedAt !== 'number' || !Number.isSafeInteger(issuedAt) || issuedAt <= 0) {
    return { ok: false, status: 400, reason: 'issued_at missing or malformed' };
  }
  return { ok: true, app, payload: { userId: id, issuedAt } };
}

/**
 * Signs a payload the way Meta does: for the fake Meta (local stack) and tests.
 *
 * @example
 * signRequest(appSecret, { algorithm: 'HMAC-SHA256', issued_at: 1764500000, user_id: '1784…' })
 */
export function signRequest(secret: string, payload: Record<string, unknown>): string {
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const signature = createHmac('sha256', secret).update(payloadPart, 'utf8').digest('base64url');
  return `${signature}.${payloadPart}`;
}
