import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { SHOPIFY_BACKFILL_DATA_CLASSES } from './backfill-records.js';
import { SHOPIFY_RECONCILE_DATA_CLASSES } from './reconcile-records.js';
import { SHOPIFY_STOCK_DATA_CLASSES } from './stock-records.js';
import { SHOPIFY_STORE_DATA_CLASSES } from './store-data-classes.js';
import { SHOPIFY_SUPPRESSION_DATA_CLASSES } from './suppression.js';

/**
 * The Shopify connection: the business's own tokens (not personal data; kept while the business
 * lives, dropped at disconnect) and the directory entry routing Shopify's webhooks to it.
 */
export const SHOPIFY_CONNECTION_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.connection',
    description:
      "The business's connected Shopify store: sealed access, refresh and application-only tokens, a custom app's sealed client secret, scopes, installs under way",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [
      { partition: `t#${tenantId}`, skPrefix: 'shopify#' },
      { partition: `t#${tenantId}`, skPrefix: 'shopinstall#' },
    ]),
  },
  {
    name: 'shopify.directory',
    description: 'Which business a Shopify store (its myshopify.com domain) belongs to, for webhook routing',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    // The entries live in the directory's partitions, keyed by shop; the owner is their sort
    // key, so the byTenant index finds a business's entries.
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'shopowner#' }]),
  },
];

/**
 * Every Shopify data class, for the area and for the purge's catalog (which must not import the
 * area's queues and webhooks): the local copy's classes are added here.
 */
export const SHOPIFY_DATA_CLASSES: DataClass[] = [
  ...SHOPIFY_CONNECTION_DATA_CLASSES,
  ...SHOPIFY_RECONCILE_DATA_CLASSES,
  ...SHOPIFY_STORE_DATA_CLASSES,
  ...SHOPIFY_STOCK_DATA_CLASSES,
  ...SHOPIFY_BACKFILL_DATA_CLASSES,
  ...SHOPIFY_SUPPRESSION_DATA_CLASSES,
];
