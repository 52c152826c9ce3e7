import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/**
 * `shopify-backfill`: one message per shop whose history is to be imported (shopify/backfill.ts),
 * queued when a shop is connected or by hand (`npm run invoke -- worker-shopify-backfill …`).
 * A run that reaches its time budget queues the same message again and the next one resumes from
 * the last committed line; a run that dies is delivered again and does the same.
 */
export const SHOPIFY_BACKFILL_QUEUE = {
  name: 'shopify-backfill',
  description: "First imports of connected Shopify stores' customers, products and orders (bulk operations)",
  // `restart`: start a finished or failed backfill over (by hand only).
  message: z.object({
    tenantId: z.string().min(1),
    shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
    restart: z.boolean().optional(),
  }),
  // 6× the consumer's timeout, as AWS advises; longer than a crashed run's lease (2 minutes).
  visibilityTimeoutSeconds: 5400,
  batchSize: 1,
  // Each receive resumes where the last stopped, so a few failures still finish a big store.
  maxReceiveCount: 5,
  // One shop at a time per consumer: each streams a large file and keeps the table busy.
  sequential: true,
  consumer: {
    description: "Imports a connected shop's history from Shopify's bulk operation files",
    handler: 'functions/workers/shopify-backfill.handler',
    // Lambda's longest: a store of a hundred thousand orders takes several runs anyway (it resumes).
    timeoutSeconds: 900,
    // Reads the connection (and refreshes its token), writes the local copy by conditional puts,
    // the consent ledger, the progress record and the shop's currency; seals with the business's key; queues its own
    // continuation.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
      tenantKeys: ['Decrypt'],
      // The stock it imports may cross a low-stock threshold (stock/low-stock.ts).
      sends: ['shopify-backfill', 'stock-alerts'],
    },
    settings: { secrets: ['SHOPIFY_CLIENT_ID', 'SHOPIFY_CLIENT_SECRET', 'SHOPIFY_APP_PRIVATE_KEY'] },
  },
} as const satisfies QueueDeclaration;
