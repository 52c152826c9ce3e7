import {
  STOCK_ADJUSTMENT_STATES as CONTRACT_STOCK_ADJUSTMENT_STATES,
  STOCK_REASONS as CONTRACT_STOCK_REASONS,
  PUSHED_REASONS,
} from '@asistone/contract/stock';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Stock adjustments made in Asistone (stock.ts): who changed how many units of which item at
 * which location, why, and what became of the push to Shopify. No customer data: the actor is a
 * member's id, as the audit log keeps it.
 */

/** Why stock moved, in the merchant's words; each maps to one of Shopify's adjustment reasons (stock.ts). */
export const STOCK_REASONS = CONTRACT_STOCK_REASONS;
export type StockReason = (typeof STOCK_REASONS)[number];

/**
 * `pending`: recorded and applied locally, waiting for (or retrying) the push. `pushed`: Shopify
 * applied it as we expected. `resolved-stale`: Shopify's number had moved, and the delta was
 * re-applied on top of Shopify's (the written rule in stock.ts). `failed`: Shopify refused it or
 * stayed unreachable; `failureReason` says why.
 */
export const STOCK_ADJUSTMENT_STATES = CONTRACT_STOCK_ADJUSTMENT_STATES;
export type StockAdjustmentState = (typeof STOCK_ADJUSTMENT_STATES)[number];

export const StockAdjustmentRecord = new Entity({
  model: { entity: 'shopStockAdjustment', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /**
     * A time-ordered UUID (v7: newest sort last); Shopify's `@idempotent` key is derived from it,
     * so a retried push applies once.
     */
    adjustmentId: { type: 'string', required: true, readOnly: true },
    /** Numeric ids (the GIDs' last part). */
    inventoryItemId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    delta: { type: 'number', required: true, readOnly: true },
    /** The ledger entry's reason (every reason a member's move can have). */
    reason: { type: PUSHED_REASONS, required: true, readOnly: true },
    /** The member who made it. */
    actorId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    /** The local quantity it was made against: what we believed Shopify had (`changeFromQuantity`). */
    quantityBefore: { type: 'number', required: true, readOnly: true },
    status: { type: STOCK_ADJUSTMENT_STATES, required: true },
    /** When the push met `CHANGE_FROM_QUANTITY_STALE`: the quantity Shopify actually had. */
    shopifyFound: { type: 'number' },
    /** Shopify's quantity after our delta landed. */
    shopifyAfter: { type: 'number' },
    /** Codes only (`CHANGE_FROM_QUANTITY_STALE`, `TIMEOUT`, HTTP status), never a token or a body. */
    failureReason: { type: 'string' },
    pushAttempts: { type: 'number', required: true, default: 0 },
    /** When the sweep last queued it again (its first message was lost), ms. */
    requeuedAt: { type: 'number' },
    settledAt: { type: 'number' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['adjustmentId'], template: 'shopstockadj#${adjustmentId}', casing: 'none' },
    },
  },
});

export const SHOPIFY_STOCK_RECORDS = { shopStockAdjustment: StockAdjustmentRecord };
export type ShopifyStockStore = Store<typeof SHOPIFY_STOCK_RECORDS>;

export const SHOPIFY_STOCK_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.stock-adjustments',
    description: 'Stock adjustments made in Asistone: item, location, delta, reason, member id, push outcome',
    personal: false,
    // The business's own stock history: kept while the business lives, like the catalog.
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'shopstockadj#' }]),
  },
];
