import { handle } from 'hono/aws-lambda';
import { api } from './app.js';

/** The API Lambda: every `/api/*` request, routed by one Hono app. */
export const handler = handle(api);
