import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jsonBodiesOnly, noStoreByDefault, sameOrigin } from './lib/boundary.js';
import { accounts, log } from './lib/deps.js';
import { frontDoor } from './lib/front-door.js';
import { mountRoutes } from './lib/mount.js';
import { answerForClientError, problem } from './lib/problems.js';
import { routes } from './registry.js';

/**
 * iyzico's return from its hosted forms: the owner's browser posts iyzico's form (url-encoded,
 * from iyzico's page) to it. It carries only a token the business's own request stored, and what
 * it does is read iyzico's outcome, so neither the origin nor the JSON rule applies there.
 */
const IYZICO_RETURN = '/api/billing/callback';
const exceptIyzicoReturn =
  (middleware: MiddlewareHandler): MiddlewareHandler =>
  (c, next) =>
    c.req.path === IYZICO_RETURN ? next() : middleware(c, next);

/** Largest JSON body the API reads; nothing in the contract comes near it. */
const MAX_BODY_BYTES = 64 * 1024;

/** The whole API as one Hono app: the same object serves Lambda and the local gateway. */
export const api = new Hono().basePath('/api');

// First of all: a request that did not come through CloudFront (or the local gateway) gets 403.
api.use('*', frontDoor());

// Then: no other site's page may call it, whatever the route (login CSRF, the refresh cookie).
api.use('*', exceptIyzicoReturn(sameOrigin(async () => (await accounts()).appUrl)));

api.use(
  '*',
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem(c, 413, 'payload_too_large', `Bodies are limited to ${MAX_BODY_BYTES / 1024} KiB`),
  }),
);

// Bodies are JSON or nothing: what a form on another site can send is refused with 415.
api.use('*', exceptIyzicoReturn(jsonBodiesOnly()));
api.use('*', noStoreByDefault());

mountRoutes(api, routes);

api.notFound((c) => problem(c, 404, 'not_found', 'No such API route'));
api.onError((error, c) => {
  const answer = answerForClientError(c, error);
  if (answer) return answer;
  log.error('api request failed', { error, path: c.req.path, method: c.req.method });
  return problem(c, 500, 'internal', 'Something went wrong on our side');
});
