import { createLogger } from '@asistone/core/platform/log';
import { Hono } from 'hono';
import { health } from './routes/health.js';

const log = createLogger('api');

/** The whole API as one Hono app: the same object serves Lambda and the local gateway. */
export const api = new Hono().basePath('/api');

api.route('/', health);

api.notFound((c) => c.json({ error: 'not_found', message: 'No such API route' }, 404));
api.onError((error, c) => {
  log.error('api request failed', { error, path: c.req.path, method: c.req.method });
  return c.json({ error: 'internal', message: 'Something went wrong on our side' }, 500);
});
