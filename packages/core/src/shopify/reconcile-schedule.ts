import type { Access, FunctionSettings } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';

/**
 * Every 15 minutes: asks each connected shop for the customers, orders and products changed
 * since its cursor and applies them (shopify/reconcile.ts), repairing what a lost webhook
 * missed. Its own function: it finds shops by Query (the business list, each business's
 * connection), reads and writes the local copy and the cursors, opens tokens and seals what it
 * stores with existing keys, and refreshes an expiring token (the app's client id and secret).
 * No objects, no Scan.
 */
export const SHOPIFY_RECONCILE_SCHEDULE = {
  name: 'shopify-reconcile',
  description: 'Repairs the local copy of each connected Shopify store from what changed since the last run',
  handler: 'functions/schedules/shopify-reconcile.handler',
  // Every 15 minutes, off the quarter hours other jobs favour; Shopify retries a failed webhook
  // for 4 hours, so this repairs a lost one long before that. A list of minutes, because both
  // EventBridge and the local scheduler read it (`7/15` is EventBridge's alone).
  cron: '7,22,37,52 * * * *',
  // A big shop's first pages may wait on the throttle; the page limit keeps a run well inside this.
  timeoutSeconds: 600,
  // Sends each order it applies to the order notices (order-notices/queue.ts), and stock
  // adjustments whose queue message was lost back to `shopify-stock` (stock.ts sweep).
  access: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
    tenantKeys: ['Decrypt'],
    sends: ['order-notices', 'shopify-stock', 'cart-recovery', 'stock-alerts'],
  } satisfies Access,
  settings: {
    secrets: ['SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET', 'SHOPIFY_APP_PRIVATE_KEY'],
  } satisfies FunctionSettings,
} as const satisfies ScheduleDeclaration;
