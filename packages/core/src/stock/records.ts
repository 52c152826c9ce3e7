import { TRANSFER_STATES } from '@asistone/contract/stock';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * The back office's own records, in the business's partition (`t#<tenant>`): locations of
 * Asistone's own (`stocklocation#as-…`: a back room, a van; Shopify's are the reconcile's
 * `shopLocation`) and transfers (`stocktransfer#<id>`). The ledger and its low-stock alerts live
 * with the Shopify copy's levels (shopify/stock-ledger-records.ts), which are its balances. No
 * customer data: the actor is a member's id, as the audit log keeps it. The data classes of all
 * four are declared here, with the back office they belong to.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const OwnStockLocationRecord = new Entity({
  model: { entity: 'stockLocation', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** `as-` and 10 characters: never a Shopify number, so no push is ever made for it. */
    locationId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['locationId'], template: 'stocklocation#${locationId}', casing: 'none' },
    },
  },
});

export const StockTransferRecord = new Entity({
  model: { entity: 'stockTransfer', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** Time-ordered: the newest are read first. */
    transferId: { type: 'string', required: true, readOnly: true },
    inventoryItemId: { type: 'string', required: true, readOnly: true },
    fromLocationId: { type: 'string', required: true, readOnly: true },
    toLocationId: { type: 'string', required: true, readOnly: true },
    quantity: { type: 'number', required: true, readOnly: true },
    note: { type: 'string', readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    state: { type: TRANSFER_STATES, required: true },
    doneAt: { type: 'number' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['transferId'], template: 'stocktransfer#${transferId}', casing: 'none' },
    },
  },
});

export const STOCK_RECORDS = {
  stockLocation: OwnStockLocationRecord,
  stockTransfer: StockTransferRecord,
};
export type StockRecordsStore = Store<typeof STOCK_RECORDS>;

const kept = { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' } as const;
const inBusiness = (skPrefix: string) => atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix }]);

export const STOCK_DATA_CLASSES: DataClass[] = [
  {
    name: 'stock.ledger',
    description: 'Stock moves per variant and location: change, stock after, reason, member id, time',
    personal: false,
    // The business's own stock history: kept while the business lives, like the catalog.
    retention: kept,
    partitions: inBusiness('stockledger#'),
  },
  {
    name: 'stock.locations',
    description: "The business's own stock locations: name, who added it",
    personal: false,
    retention: kept,
    partitions: inBusiness('stocklocation#'),
  },
  {
    name: 'stock.transfers',
    description: 'Transfers between locations: variant, locations, quantity, note, member id, state',
    personal: false,
    retention: kept,
    partitions: inBusiness('stocktransfer#'),
  },
  {
    name: 'stock.alerts',
    description: 'Low-stock alerts: variant, location, threshold, stock when it crossed, time',
    personal: false,
    retention: kept,
    partitions: inBusiness('stockalert#'),
  },
];
