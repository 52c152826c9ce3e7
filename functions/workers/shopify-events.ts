import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { processShopifyDelivery, type ShopifyEventDeps } from '@asistone/core/shopify/events';
import { SHOPIFY_EVENTS_QUEUE } from '@asistone/core/shopify/events-queue';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `shopify-events`: each signed delivery is applied to its business's local copy of the
 * store (customers, orders, products, stock, checkouts), or marks the connection uninstalled.
 */
const log = createLogger('shopify-events');

let deps: ShopifyEventDeps | undefined;
function eventDeps(): ShopifyEventDeps {
  if (!deps) {
    const { storeOf, keyring } = platform();
    const store = storeOf({
      ...SHOPIFY_STORE_RECORDS,
      ...SHOPIFY_CONNECTION_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
    });
    deps = { store, keyring, log };
  }
  return deps;
}

const worker = queueWorker(
  SHOPIFY_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (delivery) => {
    await processShopifyDelivery(eventDeps(), delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
