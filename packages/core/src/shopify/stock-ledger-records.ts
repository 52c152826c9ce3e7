import { LEDGER_REASONS } from '@asistone/contract/stock';
import { Entity } from 'electrodb';

/**
 * The stock ledger (stock-ledger.ts) in the business's partition (`t#<tenant>`):
 * - entries (`stockledger#<item>#<location>#<position>`): one per move of one variant at one
 *   location, numbered 1, 2, 3… without gaps, each holding the stock after it; only ever added.
 *   The running balance is the level (`shopstock#<item>#<location>`, store-records.ts), which
 *   also carries the low-stock threshold;
 * - low-stock alerts (`stockalert#<time>#…`), one per crossing.
 * No customer data: the actor is a member's id. Their data classes are the back office's
 * (stock/records.ts).
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** A ledger position as a sortable key: 12 digits, a trillion moves per variant and location. */
export const positionOf = (seq: number) => String(seq).padStart(12, '0');

export const StockLedgerEntryRecord = new Entity({
  model: { entity: 'stockLedgerEntry', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    inventoryItemId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    /** {@link positionOf} `seq`: the key. */
    position: { type: 'string', required: true, readOnly: true },
    seq: { type: 'number', required: true, readOnly: true },
    delta: { type: 'number', required: true, readOnly: true },
    balanceAfter: { type: 'number', required: true, readOnly: true },
    reason: { type: LEDGER_REASONS, required: true, readOnly: true },
    /** The member; absent for Shopify's own changes. */
    actorId: { type: 'string', readOnly: true },
    at: { type: 'number', required: true, readOnly: true },
    /** The move's own id: a transfer leg or a repair carries one, so a retried move lands once. */
    opId: { type: 'string', required: true, readOnly: true },
    /** The level remembers this move's id, so a retry of it lands once. */
    once: { type: 'boolean', readOnly: true },
    note: { type: 'string', readOnly: true },
    transferId: { type: 'string', readOnly: true },
    /** The push to Shopify this entry makes (a `shopStockAdjustment` id), at a Shopify location. */
    pushId: { type: 'string', readOnly: true },
    /** Shopify's time for a `shopify` entry: the level's newer-only clock moves with it. */
    shopifyUpdatedAt: { type: 'number', readOnly: true },
  },
  indexes: {
    byPosition: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['inventoryItemId', 'locationId', 'position'],
        template: 'stockledger#${inventoryItemId}#${locationId}#${position}',
        casing: 'none',
      },
    },
  },
});

export const StockAlertRecord = new Entity({
  model: { entity: 'stockAlert', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** `<15-digit ms>#<item>#<location>#<crossing>`: newest last, unique per crossing. */
    alertKey: { type: 'string', required: true, readOnly: true },
    inventoryItemId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    threshold: { type: 'number', required: true, readOnly: true },
    available: { type: 'number', required: true, readOnly: true },
    at: { type: 'number', required: true, readOnly: true },
    clearedAt: { type: 'number' },
  },
  indexes: {
    byKey: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['alertKey'], template: 'stockalert#${alertKey}', casing: 'none' },
    },
  },
});
