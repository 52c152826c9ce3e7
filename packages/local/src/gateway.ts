import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { LOCAL_MEDIA_PATH } from '@asistone/core/platform/blobs';
import { ORIGIN_SECRET_HEADER } from '@asistone/core/platform/front-door';
import { SECURITY_HEADERS } from '@asistone/core/platform/security-headers';
import { PRODUCT } from '@asistone/core/product/areas';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { proxyTo } from './dev-proxy.js';
import { BodyTooLargeError, fromFunctionUrlResult, toFunctionUrlEvent } from './function-url.js';
import { invoke } from './lambda.js';

/** Function URLs refuse bodies over 6 MB; so does the gateway. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * 413 without reading on: the HTTP server (@hono/node-server) then discards what is still on
 * its way for at most 500 ms or 64 MB and closes the connection, so the sender reads the answer
 * instead of a reset.
 */
function payloadTooLarge(c: Context) {
  return c.text('payload too large', 413);
}

/** The path with its percent-encodings decoded, or undefined when one is malformed (`/%E0%A4%A`). */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

export interface GatewayState {
  /** Set while the stack drains: new requests get 503. */
  stopping: boolean;
}

/**
 * The one local HTTP entry: `/webhooks/<provider>/*` and `/api/*` become function-URL events
 * for the same handlers Lambda runs; everything else is the built web app.
 */
export function createGateway(
  webDist: string,
  state: GatewayState,
  originSecret: string,
  /** The fake Meta's URL: `/dev/meta/*` (its dialogs, the customer simulator) is forwarded there. */
  fakeMetaUrl?: string,
  /** The S3 emulator's URL: media download links (`/local-media/*`) are forwarded there. */
  s3Url?: string,
  /** The fake Shopify's URL: `/dev/shopify/*` (its state, for developers and tests) is forwarded there. */
  fakeShopifyUrl?: string,
  /** The fake iyzico's URL: `/dev/iyzico/*` (its hosted card page, its state) is forwarded there. */
  fakeIyzicoUrl?: string,
) {
  const app = new Hono();

  // Every answer, the API's and the webhooks' included, carries the headers CloudFront adds
  // (overriding the function's, as its policy does).
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });

  app.use('*', async (c, next) => {
    if (state.stopping) return c.text('shutting down', 503);
    const length = Number(c.req.header('content-length') ?? 0);
    // Uploads to presigned links go to S3, not to a function: S3's limits (and the link's
    // signed length) apply, as in AWS, where the browser puts files straight into the bucket.
    const toStorage = s3Url !== undefined && c.req.path.startsWith(`${LOCAL_MEDIA_PATH}/`);
    if (length > MAX_BODY_BYTES && !toStorage) return payloadTooLarge(c);
    await next();
  });

  const toLambda = (declared: string, name: string, timeoutSeconds: number) => async (c: Context) => {
    let event: Awaited<ReturnType<typeof toFunctionUrlEvent>>;
    try {
      // Counted while it arrives (chunked uploads carry no length to check up front).
      event = await toFunctionUrlEvent(c.req.raw, getConnInfo(c).remote.address ?? '127.0.0.1', MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return payloadTooLarge(c);
      throw error;
    }
    // As CloudFront does for the API: the door's own secret, overwriting whatever the caller sent.
    if (name === 'api') event.headers[ORIGIN_SECRET_HEADER] = originSecret;
    else delete event.headers[ORIGIN_SECRET_HEADER];
    return fromFunctionUrlResult(await invoke(declared, name, event, timeoutSeconds));
  };

  const api = PRODUCT.fn('api');
  if (!api) throw new Error('the product declares no API function');
  app.all('/webhooks/:provider/*', (c) => {
    const webhook = PRODUCT.fn(`webhook-${c.req.param('provider')}`);
    if (webhook?.kind !== 'webhook') return c.text('not found', 404);
    return toLambda(webhook.handler, webhook.name, webhook.timeoutSeconds)(c);
  });
  app.all('/api/*', toLambda(api.handler, api.name, api.timeoutSeconds));
  if (fakeMetaUrl) app.all('/dev/meta/*', (c) => proxyTo(c, fakeMetaUrl));
  if (fakeShopifyUrl) app.all('/dev/shopify/*', (c) => proxyTo(c, fakeShopifyUrl));
  // The hosted page shares the web app's origin, so its form may post back to the app's callback.
  if (fakeIyzicoUrl) app.all('/dev/iyzico/*', (c) => proxyTo(c, fakeIyzicoUrl));
  // Presigned downloads and uploads only: the link's signature is what grants it, as with S3 itself.
  if (s3Url) {
    app.get(`${LOCAL_MEDIA_PATH}/*`, (c) => proxyTo(c, s3Url, LOCAL_MEDIA_PATH));
    app.put(`${LOCAL_MEDIA_PATH}/*`, (c) => proxyTo(c, s3Url, LOCAL_MEDIA_PATH));
  }

  app.get('*', async (c) => {
    const index = join(webDist, 'index.html');
    if (!existsSync(index)) {
      return c.html(
        '<!doctype html><title>Asistone</title><p>The web app is being built; reload in a few seconds.</p>',
        503,
      );
    }
    const decoded = decodedPath(c.req.path);
    if (decoded === undefined) return c.text('bad request', 400);
    const path = normalize(decoded).replace(/^(\.\.(\/|\\|$))+/, '');
    const file = join(webDist, path);
    const isAsset = file.startsWith(webDist) && extname(file) !== '' && existsSync(file);
    const body = await readFile(isAsset ? file : index);
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(isAsset ? file : index)] ?? 'application/octet-stream',
      // Hashed assets never change; the page itself must always be fresh.
      'cache-control': isAsset && path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    return c.body(body, 200, headers);
  });

  return app;
}
