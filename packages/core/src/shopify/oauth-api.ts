import type { Access, FunctionSettings } from '../platform/access.js';

/**
 * What the API does for the connection routes: installs, connection records, audit events,
 * sealing and opening tokens with existing keys; the app's client id and secret; the web
 * app's URL (the OAuth redirect and the store page are there). Apart from oauth.ts, so the area
 * declaration does not pull Shopify's library into every bundle that reads it.
 */
export const SHOPIFY_CONNECTION_API = {
  // sends: a connect queues the shop's first import (backfill.ts).
  access: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
    tenantKeys: ['Decrypt'],
    sends: ['shopify-backfill'],
  },
  settings: { secrets: ['SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET'], appUrl: true },
} as const satisfies { access: Access; settings: FunctionSettings };
