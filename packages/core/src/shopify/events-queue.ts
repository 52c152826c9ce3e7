import type { WebhookDeclaration } from '../platform/area.js';
import type { QueueDeclaration } from '../platform/queue/declarations.js';
import { ShopifyDelivery } from './webhook-receive.js';

/** Signed Shopify deliveries, queued by `/webhooks/shopify` as they arrived, applied to the local copy here. */
export const SHOPIFY_EVENTS_QUEUE = {
  name: 'shopify-events',
  description:
    'Signed Shopify webhook deliveries (customers, orders, products, stock, checkouts, uninstall, compliance) awaiting processing',
  message: ShopifyDelivery,
  // Six times the consumer's timeout, as AWS advises (tests/infra/declared.test.ts).
  visibilityTimeoutSeconds: 720,
  batchSize: 10,
  maxReceiveCount: 5,
  consumer: {
    description: "Applies each signed Shopify delivery to the business's local copy of its store",
    handler: 'functions/workers/shopify-events.handler',
    // A `shop/redact` purges a whole store's copy (batched deletes) inside one delivery.
    timeoutSeconds: 120,
    // Reads the shop directory, the contact a customer matches and the stored versions; writes
    // the copy (conditional puts), the consent ledger, the delivery's dedupe record and an
    // uninstalled connection; seals personal fields with the business's key. The compliance
    // topics (privacy/shopify-compliance.ts) erase a customer and their contact like the app does (items and
    // media objects), record and complete privacy requests, audit, and purge a shop's copy.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchWriteItem'],
      tenantKeys: ['Decrypt'],
      blobs: ['GetObject', 'PutObject', 'DeleteObject'],
      // Each order applied is handed to the order notices (order-notices/queue.ts), each checkout
      // to cart recovery; a stock level that falls to its threshold, to the low-stock mail.
      sends: ['order-notices', 'cart-recovery', 'stock-alerts'],
    },
  },
} as const satisfies QueueDeclaration;

/** `POST /webhooks/shopify`: Shopify's deliveries for every shop of the one app. */
export const SHOPIFY_WEBHOOK = {
  name: 'shopify',
  description: "Shopify: webhook deliveries for every connected shop (HMAC with the app's client secret)",
  handler: 'functions/webhooks/shopify.handler',
  timeoutSeconds: 10,
  // One public app for every shop: the HMAC is checked with a deployment secret, and the business
  // is found by the worker. So no table and no tenant key here: it queues the delivery, storing
  // bodies too large for SQS (claim check).
  access: { sends: ['shopify-events'], blobs: ['PutObject'] },
  settings: { secrets: ['SHOPIFY_CLIENT_SECRET'] },
} as const satisfies WebhookDeclaration;
