import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { backgroundShopAccess } from '@asistone/core/shopify/app-token';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { shopifyGraphql } from '@asistone/core/shopify/graphql';
import { shopifyAppSettings, shopOrigin } from '@asistone/core/shopify/settings';
import { pushStockAdjustment, type StockPushDeps } from '@asistone/core/shopify/stock';
import { SHOPIFY_STOCK_QUEUE } from '@asistone/core/shopify/stock-queue';
import { SHOPIFY_STOCK_RECORDS } from '@asistone/core/shopify/stock-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/**
 * Consumes `shopify-stock`: pushes each stock adjustment made in Asistone to the business's
 * Shopify store (compare-and-set, idempotent), resolving a stale one by stock.ts's rule.
 */
const log = createLogger('shopify-stock');

const stockDeps = once(async (): Promise<StockPushDeps> => {
  const { storeOf, keyring, producer } = platform();
  const settings = shopifyAppSettings(await withSecrets(process.env));
  const store = storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_STOCK_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
  });
  return {
    store,
    keyring,
    log,
    producer,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(settings, shop) }),
    shopAccess: (tenantId) => backgroundShopAccess({ store, keyring, settings }, tenantId),
  };
});

const worker = queueWorker(
  SHOPIFY_STOCK_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message, delivery) => {
    await pushStockAdjustment(await stockDeps(), message, delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
