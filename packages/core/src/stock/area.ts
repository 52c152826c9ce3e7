import { defineArea } from '../platform/area.js';
import { STOCK_ALERTS_QUEUE } from '../shopify/low-stock.js';
import { STOCK_DATA_CLASSES, STOCK_RECORDS } from './records.js';
import { STOCK_TRANSFERS_QUEUE } from './transfers.js';

/**
 * The back office's stock: the ledger per variant and location (its balances are the Shopify
 * copy's levels, which this area's moves write through the same ledger), Asistone's own
 * locations, transfers, low-stock alerts and the reconciliation with Shopify. Moves at Shopify's
 * locations reach Shopify through the Shopify area's `shopify-stock` push.
 */
export const stockArea = defineArea({
  name: 'stock',
  // The ledger and its alerts are bound with the Shopify copy's levels (shopify/store-records.ts),
  // since whoever stores Shopify's stock writes them: declared there, once.
  records: { stockLocation: STOCK_RECORDS.stockLocation, stockTransfer: STOCK_RECORDS.stockTransfer },
  dataClasses: STOCK_DATA_CLASSES,
  queues: [STOCK_TRANSFERS_QUEUE, STOCK_ALERTS_QUEUE],
  // The routes record moves (their pushes and alerts), queue transfers and read Shopify's stock
  // for the reconciliation (the Shopify area's connection access covers its token).
  api: {
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
      sends: ['stock-transfers', 'stock-alerts', 'shopify-stock'],
    },
  },
});
