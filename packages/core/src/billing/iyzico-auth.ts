import { createHmac, randomBytes } from 'node:crypto';

/**
 * iyzico's IYZWSv2 request authorization (HMACSHA256 Auth): every API call carries
 *
 *   Authorization: IYZWSv2 base64("apiKey:<apiKey>&randomKey:<rnd>&signature:<hex>")
 *   x-iyzi-rnd: <rnd>
 *
 * where `<hex>` is the lowercase hex HMAC-SHA256, keyed with the merchant's secret key, of
 * `rnd + uriPath + body`: `uriPath` is the request's path without its query string, `body` the
 * exact JSON text sent (nothing for a GET, as iyzico's PHP SDK signs it; the Node SDK sends and
 * signs `{}` instead, and iyzico checks what arrives). The fake iyzico checks requests with the
 * same functions, so the two cannot drift apart.
 */

export const IYZICO_AUTH_SCHEME = 'IYZWSv2';
export const IYZICO_RANDOM_HEADER = 'x-iyzi-rnd';

/** The path iyzico signs: the URL's path, without query string or fragment. */
export function signedPath(pathOrUrl: string): string {
  const path = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl;
  return path.split(/[?#]/)[0] ?? '';
}

/** Lowercase hex HMAC-SHA256(secretKey, randomKey + uriPath + body). */
export function iyzicoSignature(secretKey: string, randomKey: string, uriPath: string, body: string): string {
  return createHmac('sha256', secretKey)
    .update(`${randomKey}${signedPath(uriPath)}${body}`, 'utf8')
    .digest('hex');
}

/** The `Authorization` header's value for one request. */
export function iyzicoAuthorization(input: {
  apiKey: string;
  secretKey: string;
  randomKey: string;
  uriPath: string;
  body: string;
}): string {
  const signature = iyzicoSignature(input.secretKey, input.randomKey, input.uriPath, input.body);
  const plain = `apiKey:${input.apiKey}&randomKey:${input.randomKey}&signature:${signature}`;
  return `${IYZICO_AUTH_SCHEME} ${Buffer.from(plain, 'utf8').toString('base64')}`;
}

/** A fresh random key: iyzico only asks that it differ per request. */
export function iyzicoRandomKey(): string {
  return `${Date.now()}${randomBytes(6).toString('hex')}`;
}

/** Both headers a request needs. */
export function iyzicoAuthHeaders(input: {
  apiKey: string;
  secretKey: string;
  uriPath: string;
  body: string;
  randomKey?: string;
}): Record<string, string> {
  const randomKey = input.randomKey ?? iyzicoRandomKey();
  return {
    authorization: iyzicoAuthorization({ ...input, randomKey }),
    [IYZICO_RANDOM_HEADER]: randomKey,
  };
}

/** An `Authorization` header taken apart; undefined when it is not IYZWSv2's shape. */
export function parseIyzicoAuthorization(
  header: string | undefined,
): { apiKey: string; randomKey: string; signature: string } | undefined {
  const match = /^IYZWSv2 ([A-Za-z0-9+/]+={0,2})$/.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const plain = Buffer.from(match[1], 'base64').toString('utf8');
  const fields = /^apiKey:([^&]+)&randomKey:([^&]+)&signature:([0-9a-f]{64})$/.exec(plain);
  if (!fields?.[1] || !fields[2] || !fields[3]) return undefined;
  return { apiKey: fields[1], randomKey: fields[2], signature: fields[3] };
}
