import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { backgroundShopAccess } from '@asistone/core/shopify/app-token';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '@asistone/core/shopify/apply';
import { BackfillOperationError, queueBackfill, runBackfill } from '@asistone/core/shopify/backfill';
import { SHOPIFY_BACKFILL_QUEUE } from '@asistone/core/shopify/backfill-queue';
import { SHOPIFY_BACKFILL_RECORDS } from '@asistone/core/shopify/backfill-records';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { shopifyGraphql } from '@asistone/core/shopify/graphql';
import { recordShopFacts } from '@asistone/core/shopify/reconcile';
import { SHOPIFY_RECONCILE_RECORDS } from '@asistone/core/shopify/reconcile-records';
import { shopifyAppSettings, shopOrigin } from '@asistone/core/shopify/settings';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/**
 * Consumes `shopify-backfill`: imports a connected shop's history through bulk operations
 * (shopify/backfill.ts). A run works for at most 12 of its 15 minutes, then queues the same
 * message again; the next resumes from the last committed line.
 */
const log = createLogger('shopify-backfill');

/** Leaves the function 3 minutes to commit, release the lease and queue its continuation. */
const RUN_BUDGET_MS = 12 * 60_000;

const worker = queueWorker(
  SHOPIFY_BACKFILL_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async ({ tenantId, shopDomain, restart }) => {
    const { storeOf, keyring, producer } = platform();
    const settings = shopifyAppSettings(await withSecrets(process.env));
    const store = storeOf({
      ...TENANCY_RECORDS,
      ...INBOX_RECORDS,
      ...SHOPIFY_CONNECTION_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...SHOPIFY_BACKFILL_RECORDS,
      ...SHOPIFY_RECONCILE_RECORDS,
    });
    if (restart) await queueBackfill(store, tenantId, shopDomain, { restart: true });
    const applyDeps = { store, keyring, producer };
    const shopify = shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(settings, shop) });
    const shopAccess = (id: string) => backgroundShopAccess({ store, keyring, settings }, id);
    const started = Date.now();
    try {
      // The products the import brings are priced in the shop's currency, which their payloads
      // do not name: read it first, so the store page never waits for the first reconcile.
      await recordShopFacts({ store, shopify }, await shopAccess(tenantId), { tenantId, shopDomain });
      const result = await runBackfill(
        {
          store,
          shopify,
          shopAccess,
          apply: {
            customer: (id, customer) => applyCustomer(applyDeps, id, customer),
            order: (id, order) => applyOrder(applyDeps, id, order),
            product: (id, product) => applyProduct(applyDeps, id, product),
            inventoryLevel: (id, level) => applyInventoryLevel(applyDeps, id, level),
          },
          until: started + RUN_BUDGET_MS,
          // Ids and field names only: a node's values may be a customer's.
          onSkipped: (error) =>
            log.warn('shopify node skipped', { tenantId, nodeId: error.nodeId, fields: error.fields }),
        },
        tenantId,
        shopDomain,
      );
      // Counts and the shop's domain only.
      log.info('shopify backfill run', { tenantId, shopDomain, ...result, ms: Date.now() - started });
      // Out of time: the next message resumes. Busy: the run holding the shop finishes it.
      if (result.more && !result.busy) await producer.send(SHOPIFY_BACKFILL_QUEUE, { tenantId, shopDomain });
    } catch (error) {
      if (error instanceof BackfillOperationError) {
        // Shopify failed the bulk operation itself: recorded as failed for the store page; a
        // retry of the same message would fail the same way. `restart` starts it over.
        log.error('shopify backfill failed at Shopify', { tenantId, shopDomain, kind: error.kind });
        return;
      }
      throw error;
    }
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
