import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/**
 * Where the scheduled reconciliation of one shop stands: per resource, the newest Shopify
 * `updatedAt` it has applied (ms), so the next run asks only for what changed since; and what the
 * last run did, for the store page. Advanced only after a page is applied, so a run that dies
 * half-way starts again from the last page it finished.
 */
export const ShopSyncCursorRecord = new Entity({
  model: { entity: 'shopSyncCursor', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    shopDomain: { type: 'string', required: true, readOnly: true },
    customersUpdatedAt: { type: 'number' },
    ordersUpdatedAt: { type: 'number' },
    productsUpdatedAt: { type: 'number' },
    /** The newest stock level `updatedAt` applied, moved only after every location was read through. */
    inventoryUpdatedAt: { type: 'number' },
    /** When the last run finished every resource (ms). */
    lastReconciledAt: { type: 'number' },
    /** What the last finished run saw and applied, per resource (counts only). */
    lastCounts: {
      type: 'map',
      properties: {
        customersSeen: { type: 'number' },
        customersApplied: { type: 'number' },
        ordersSeen: { type: 'number' },
        ordersApplied: { type: 'number' },
        productsSeen: { type: 'number' },
        productsApplied: { type: 'number' },
        inventorySeen: { type: 'number' },
        inventoryApplied: { type: 'number' },
      },
    },
    /** The shop's currency (`shop { currencyCode }`, read by each run): the one its product prices are in. */
    currencyCode: { type: 'string' },
    /**
     * The host of the shop's primary domain (`shop { primaryDomain { host } }`), where its
     * customers see the storefront: links to it are the store's own (the agent's link check).
     */
    primaryDomain: { type: 'string' },
    /** The kind of the last run's failure (ShopifyError kind), cleared by a finished run. */
    lastErrorKind: { type: 'string' },
    lastErrorAt: { type: 'number' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now(), watch: '*' },
  },
  indexes: {
    byShop: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['shopDomain'], template: 'shopsync#${shopDomain}', casing: 'none' },
    },
  },
});

export const SHOPIFY_RECONCILE_RECORDS = { shopSyncCursor: ShopSyncCursorRecord };

/** The cursors hold times and counts only: no personal data. */
export const SHOPIFY_RECONCILE_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.sync',
    description: "Where the scheduled reconciliation of the business's Shopify store stands: times and counts",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'shopsync#' }]),
  },
];
