import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import type { MiddlewareHandler } from 'hono';
import { problem } from './problems.js';

/**
 * What every API request passes before any route runs, besides the front door: it comes from
 * the app's own pages, its body is JSON, and its answer is never cached.
 */

/**
 * Refuses, with 403, a request whose `Origin` is another site's. Browsers send `Origin` on every
 * cross-site request and on same-site writes, so a page elsewhere cannot post to the API (sign a
 * visitor in, spend their refresh cookie) even where SameSite or the content type would let it.
 * Requests without `Origin` (curl, providers' servers) are not browsers acting for someone.
 *
 * @example
 * api.use('*', sameOrigin(async () => (await accounts()).appUrl));
 */
export function sameOrigin(appUrl: () => Promise<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || origin === new URL(await appUrl()).origin) return next();
    // Locally the app is also reached as http://127.0.0.1:<port>: the address the browser used.
    const host = c.req.header('host');
    if (host && origin === `http://${host}` && isLocalStack(platform().config)) return next();
    return problem(c, 403, 'forbidden', 'Use the Asistone web app address');
  };
}

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Refuses, with 415, any request that carries a body other than `application/json`. A form on
 * another site can send `text/plain`, `multipart/form-data` or url-encoded bodies without asking
 * the browser's permission; it cannot send JSON. Runs after the body limit, so reading the body
 * to see whether there is one at all costs at most that much.
 */
export function jsonBodiesOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (!c.req.raw.body || JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) return next();
    // An empty body (a form with no fields, `content-length: 0`) carries nothing to refuse.
    if ((await c.req.arrayBuffer()).byteLength === 0) return next();
    return problem(c, 415, 'unsupported_media_type', 'Send the body as application/json');
  };
}

/**
 * Every answer is `Cache-Control: no-store` unless its route says otherwise: most carry personal
 * data (members, invitations, the audit log, sessions), and a shared or browser cache must keep
 * none of it.
 */
export function noStoreByDefault(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  };
}
