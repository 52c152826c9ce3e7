import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CART_RECOVERY_QUEUE } from '@asistone/core/cart-recovery/queue';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { ORDER_NOTICES_QUEUE } from '@asistone/core/order-notices/queue';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { eraseContact } from '@asistone/core/privacy/contact-rights';
import { contactRightsDeps } from '@asistone/core/privacy/contact-rights-deps';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { purgeClasses } from '@asistone/core/privacy/purge';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { handleCompliance } from '@asistone/core/privacy/shopify-compliance';
import type { ApplyDeps } from '@asistone/core/shopify/apply';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { processShopifyDelivery, type ShopifyEventDeps } from '@asistone/core/shopify/events';
import { SHOPIFY_EVENTS_QUEUE } from '@asistone/core/shopify/events-queue';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `shopify-events`: each signed delivery is applied to its business's local copy of the
 * store (customers, orders, products, stock, checkouts), or marks the connection uninstalled; the
 * compliance topics go to the privacy engine (privacy/shopify-compliance.ts).
 */
const log = createLogger('shopify-events');

let deps: (ShopifyEventDeps & Pick<ApplyDeps, 'orderSeen' | 'checkoutSeen'>) | undefined;
function eventDeps(): ShopifyEventDeps {
  if (!deps) {
    const { aws, config, blobs, storeOf, keyring, producer } = platform();
    const store = storeOf({
      ...SHOPIFY_STORE_RECORDS,
      ...SHOPIFY_CONNECTION_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...PRIVACY_REQUEST_RECORDS,
    });
    const rights = contactRightsDeps({ storeOf, keyring, blobs });
    const purge = {
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
      blobs,
      store: storeOf({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
      dataClasses: DATA_CLASSES,
    };
    deps = {
      store,
      keyring,
      log,
      // A stock level that crosses a low-stock threshold queues its mail (stock/low-stock.ts).
      producer,
      // Each order delivered is checked for due notices off this worker (order-notices/notices.ts).
      orderSeen: (tenantId, orderId) => producer.send(ORDER_NOTICES_QUEUE, { tenantId, orderId }),
      // Each checkout applied starts, retimes or ends its abandoned cart (cart-recovery/carts.ts).
      checkoutSeen: (tenantId, checkoutKey) =>
        producer.send(CART_RECOVERY_QUEUE, { kind: 'checkout', tenantId, checkoutKey }),
      compliance: (tenantId, delivery, text) =>
        handleCompliance(
          {
            store,
            keyring,
            log,
            eraseContact: (requester, tenant, contactId) => eraseContact(rights, requester, tenant, contactId),
            purgeClasses: (tenant, classes, by) => purgeClasses(purge, tenant, classes, { by }),
          },
          tenantId,
          delivery,
          text,
        ),
    };
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
