import { mergeAccess } from '../platform/access.js';
import { defineArea } from '../platform/area.js';
import { SHOPIFY_BACKFILL_QUEUE } from './backfill-queue.js';
import { SHOPIFY_BACKFILL_RECORDS } from './backfill-records.js';
import { SHOPIFY_CONNECTION_RECORDS } from './connection-records.js';
import { SHOPIFY_CONTACT_DATA } from './contact-data.js';
import { SHOPIFY_DATA_CLASSES } from './data-classes.js';
import { SHOPIFY_EVENTS_QUEUE, SHOPIFY_WEBHOOK } from './events-queue.js';
import { SHOPIFY_CONNECTION_API } from './oauth-api.js';
import { SHOPIFY_PROVIDER } from './provider.js';
import { SHOPIFY_RECONCILE_RECORDS } from './reconcile-records.js';
import { SHOPIFY_RECONCILE_SCHEDULE } from './reconcile-schedule.js';
import { SHOPIFY_STOCK_API_ACCESS, SHOPIFY_STOCK_QUEUE } from './stock-queue.js';
import { SHOPIFY_STOCK_RECORDS } from './stock-records.js';
import { SHOPIFY_STORE_RECORDS } from './store-records.js';

/**
 * A business's Shopify store: the connection (OAuth, expiring tokens, the shop directory), and,
 * added by their own files, the webhooks, the local copy and the reconciliation.
 */
export const SHOPIFY_RECORDS = {
  ...SHOPIFY_CONNECTION_RECORDS,
  ...SHOPIFY_RECONCILE_RECORDS,
  ...SHOPIFY_STORE_RECORDS,
  ...SHOPIFY_STOCK_RECORDS,
  ...SHOPIFY_BACKFILL_RECORDS,
};

export const shopifyArea = defineArea({
  name: 'shopify',
  providers: [SHOPIFY_PROVIDER],
  records: SHOPIFY_RECORDS,
  dataClasses: SHOPIFY_DATA_CLASSES,
  // A contact's export and erasure include the Shopify customers matched to them, with their orders and checkouts.
  contactData: SHOPIFY_CONTACT_DATA,
  // The stock routes queue each adjustment's push (stock.ts).
  api: { ...SHOPIFY_CONNECTION_API, access: mergeAccess(SHOPIFY_CONNECTION_API.access, SHOPIFY_STOCK_API_ACCESS) },
  queues: [SHOPIFY_EVENTS_QUEUE, SHOPIFY_BACKFILL_QUEUE, SHOPIFY_STOCK_QUEUE],
  schedules: [SHOPIFY_RECONCILE_SCHEDULE],
  webhooks: [SHOPIFY_WEBHOOK],
});
