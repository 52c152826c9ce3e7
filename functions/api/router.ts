import { startTrace } from '@asistone/core/platform/trace';
import { traced } from '@asistone/core/platform/xray';
import { handle } from 'hono/aws-lambda';
import { api } from './app.js';

const route = handle(api);

/**
 * The API Lambda: every `/api/*` request, routed by one Hono app. Each request starts a trace
 * (platform/trace.ts), so what it logs and what it queues (a reply's send, a mail) share one id.
 */
export const handler: typeof route = (...request) => startTrace(() => traced('api', () => route(...request)));
