import * as z from 'zod';
import type { Access } from '../platform/access.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/** An adjustment to push: only its ids; the record holds the rest (and its state). */
export const StockPushMessage = z.object({
  tenantId: z.string().min(1),
  adjustmentId: z.uuid(),
});
export type StockPushMessage = z.infer<typeof StockPushMessage>;

/**
 * Stock adjustments waiting for Shopify: pushed off the API request, so an outage at Shopify
 * leaves them `pending` and retried, then dead-lettered (and marked `failed`) after the last try.
 */
export const SHOPIFY_STOCK_QUEUE = {
  name: 'shopify-stock',
  description: 'Stock adjustments made in Asistone, waiting to be pushed to Shopify',
  message: StockPushMessage,
  visibilityTimeoutSeconds: 180,
  batchSize: 5,
  maxReceiveCount: 8,
  consumer: {
    description: "Pushes each stock adjustment to the business's Shopify store (compare-and-set, idempotent)",
    handler: 'functions/workers/shopify-stock.handler',
    timeoutSeconds: 30,
    // Reads the adjustment, the stock level and the connection (tokens opened, refreshed
    // single-flight); writes the adjustment's state and Shopify's quantity to the ledger (which
    // may raise a low-stock alert).
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'], sends: ['stock-alerts'] },
    settings: { secrets: ['SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET', 'SHOPIFY_APP_PRIVATE_KEY'] },
  },
} as const satisfies QueueDeclaration;

/** What the API does for the stock routes beside the connection's: queue each adjustment's push. */
export const SHOPIFY_STOCK_API_ACCESS = { sends: ['shopify-stock'] } as const satisfies Access;
