import { createHmac, timingSafeEqual } from 'node:crypto';

/** A webhook call as it arrived: the body is the exact bytes the provider signed. */
export interface WebhookRequest {
  method: string;
  /** Path below the provider's endpoint, e.g. `/t_demo`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface WebhookResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * A plain-text response; webhooks never echo what they received (except a handshake's checked
 * challenge). `nosniff` keeps a browser from reading the text as HTML or script: webhook
 * function URLs answer directly, without CloudFront's security headers.
 */
export const reply = (status: number, body: string): WebhookResponse => ({
  status,
  body,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
});

/**
 * Checks `<prefix><hex HMAC-SHA256>` over the raw bytes, in constant time. Meta uses the
 * prefix `sha256=`; the hex is compared as bytes after both sides are decoded.
 *
 * @example
 * verifyHexSignature(appSecret, rawBody, headers['x-hub-signature-256'], 'sha256=')
 */
export function verifyHexSignature(secret: string, raw: Buffer, header: string | undefined, prefix = ''): boolean {
  if (!header?.startsWith(prefix)) return false;
  const hex = header.slice(prefix.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/** Checks a base64 HMAC-SHA256 (Shopify's form) over the raw bytes, in constant time. */
export function verifyBase64Signature(secret: string | Buffer, raw: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const given = Buffer.from(header, 'base64');
  const expected = createHmac('sha256', secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** Constant-time equality of two strings (verify tokens, shared secrets). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHmac('sha256', 'compare').update(a).digest();
  const right = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(left, right);
}
