import { CART_RECOVERY_QUEUE } from '@asistone/core/cart-recovery/queue';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { ORDER_NOTICES_QUEUE } from '@asistone/core/order-notices/queue';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { backgroundShopAccess } from '@asistone/core/shopify/app-token';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '@asistone/core/shopify/apply';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { shopifyGraphql } from '@asistone/core/shopify/graphql';
import { reconcileShops } from '@asistone/core/shopify/reconcile';
import { SHOPIFY_RECONCILE_RECORDS } from '@asistone/core/shopify/reconcile-records';
import { shopifyAppSettings, shopOrigin } from '@asistone/core/shopify/settings';
import { requeueStuckStockAdjustments } from '@asistone/core/shopify/stock';
import { SHOPIFY_STOCK_RECORDS } from '@asistone/core/shopify/stock-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';
import { withSecrets } from '../lib/secrets.js';

/** Every 15 minutes: repairs each connected shop's local copy from what changed since its cursor. */
const log = createLogger('shopify-reconcile');

export const handler = middy(async (event: unknown) => {
  const { storeOf, keyring, producer } = platform();
  const settings = shopifyAppSettings(await withSecrets(process.env));
  const store = storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_RECONCILE_RECORDS,
    ...SHOPIFY_STOCK_RECORDS,
  });
  // An order a lost webhook never brought may still be due a notice (order-notices/notices.ts decides).
  const applyDeps = {
    store,
    keyring,
    producer,
    orderSeen: (tenantId: string, orderId: string) => producer.send(ORDER_NOTICES_QUEUE, { tenantId, orderId }),
    // An order placed from a checkout ends its abandoned cart (cart-recovery/carts.ts).
    checkoutSeen: (tenantId: string, checkoutKey: string) =>
      producer.send(CART_RECOVERY_QUEUE, { kind: 'checkout', tenantId, checkoutKey }),
  };
  const started = runTime(event);
  const reports = await reconcileShops({
    store,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(settings, shop) }),
    shopAccess: (tenantId) => backgroundShopAccess({ store, keyring, settings }, tenantId),
    apply: {
      customer: (tenantId, customer) => applyCustomer(applyDeps, tenantId, customer),
      order: (tenantId, order) => applyOrder(applyDeps, tenantId, order),
      product: (tenantId, product) => applyProduct(applyDeps, tenantId, product),
      inventoryLevel: (tenantId, level) => applyInventoryLevel(applyDeps, tenantId, level),
    },
    // Stock adjustments whose queue send failed, queued again (stock.ts).
    sweep: (tenantId) => requeueStuckStockAdjustments({ store, producer, log }, tenantId),
    // Ids and field names only: a node's values may be a customer's.
    onSkipped: (shop, error) =>
      log.warn('shopify node skipped', { tenantId: shop.tenantId, nodeId: error.nodeId, fields: error.fields }),
  });
  // Counts, shop domains and error kinds: no token, no customer data.
  log.info('shopify reconcile done', { shops: reports.length, reports, ms: Date.now() - started });
  return { shops: reports.length, failed: reports.filter((report) => report.error).length };
}).use(injectLambdaContext(log, { resetKeys: true }));
