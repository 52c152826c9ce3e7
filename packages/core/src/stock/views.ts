import type { StockAlert, StockLevel, StockView } from '@asistone/contract/stock';
import type { Store } from '../platform/store/service.js';
import type { StockLevelItem } from '../shopify/stock-ledger.js';
import { SHOPIFY_STOCK_RECORDS } from '../shopify/stock-records.js';
import { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import { listLocations } from './locations.js';
import { shopifyNumber } from './moves.js';
import { STOCK_RECORDS } from './records.js';

/** What the back office reads: levels named by product and variant, locations, pushes and alerts. */

const VIEW_RECORDS = {
  shopInventoryLevel: SHOPIFY_STORE_RECORDS.shopInventoryLevel,
  shopProduct: SHOPIFY_STORE_RECORDS.shopProduct,
  shopLocation: SHOPIFY_STORE_RECORDS.shopLocation,
  shopStockAdjustment: SHOPIFY_STOCK_RECORDS.shopStockAdjustment,
  stockLocation: STOCK_RECORDS.stockLocation,
  stockAlert: SHOPIFY_STORE_RECORDS.stockAlert,
};
export type StockViewStore = Store<typeof VIEW_RECORDS>;

export interface VariantName {
  productId: string;
  productTitle: string;
  variantTitle: string;
  sku?: string;
}

/** Each inventory item's product, variant and SKU, from the local copy of the catalogue. */
export async function variantNames(store: Store<Pick<typeof VIEW_RECORDS, 'shopProduct'>>, tenantId: string) {
  const products = await store.entities.shopProduct.query.byId({ tenantId }).go({ pages: 'all' });
  const names = new Map<string, VariantName>();
  for (const product of products.data) {
    for (const variant of (product.variants ?? []) as { title: string; sku?: string; inventoryItemId?: string }[]) {
      if (!variant.inventoryItemId) continue;
      names.set(shopifyNumber(variant.inventoryItemId, 'inventoryItemId'), {
        productId: product.productId,
        productTitle: product.title,
        variantTitle: variant.title,
        ...(variant.sku ? { sku: variant.sku } : {}),
      });
    }
  }
  return names;
}

const nameOf = (names: Map<string, VariantName>, inventoryItemId: string) => {
  const name = names.get(inventoryItemId);
  return name ? { ...name } : {};
};

export function levelView(level: StockLevelItem, names: Map<string, VariantName>): StockLevel {
  return {
    inventoryItemId: level.inventoryItemId,
    locationId: level.locationId,
    available: level.available,
    seq: level.seq ?? 0,
    updatedAt: level.updatedAt,
    ...(level.threshold !== undefined && { threshold: level.threshold }),
    low: level.low === true,
    ...nameOf(names, level.inventoryItemId),
  };
}

/** The business's stock per variant and location, its locations, and the newest pushes to Shopify. */
export async function stockView(store: StockViewStore, tenantId: string, recent = 50): Promise<StockView> {
  const [levels, names, locations, adjustments] = await Promise.all([
    store.entities.shopInventoryLevel.query.byItem({ tenantId }).go({ pages: 'all' }),
    variantNames(store, tenantId),
    listLocations(store, tenantId),
    // Time-ordered ids: the newest first, only as many as shown.
    store.entities.shopStockAdjustment.query.byId({ tenantId }).go({ order: 'desc', limit: recent }),
  ]);
  // A Shopify location seen in the stock before the reconcile named it: listed by its number.
  const known = new Set(locations.map((location) => location.locationId));
  for (const level of levels.data) {
    if (known.has(level.locationId)) continue;
    known.add(level.locationId);
    locations.push({
      locationId: level.locationId,
      name: `#${level.locationId}`,
      source: 'shopify',
      fulfillsOnlineOrders: false,
    });
  }
  return {
    levels: levels.data.map((level) => levelView(level, names)),
    locations,
    adjustments: adjustments.data.map((a) => ({
      adjustmentId: a.adjustmentId,
      inventoryItemId: a.inventoryItemId,
      locationId: a.locationId,
      delta: a.delta,
      reason: a.reason,
      actorId: a.actorId,
      createdAt: a.createdAt,
      status: a.status,
      quantityBefore: a.quantityBefore,
      ...(a.shopifyFound !== undefined ? { shopifyFound: a.shopifyFound } : {}),
      ...(a.shopifyAfter !== undefined ? { shopifyAfter: a.shopifyAfter } : {}),
      ...(a.failureReason ? { failureReason: a.failureReason } : {}),
    })),
  };
}

/** Low-stock alerts, newest first (their keys begin with the time). */
export async function stockAlerts(store: StockViewStore, tenantId: string, limit = 100): Promise<StockAlert[]> {
  const [alerts, names] = await Promise.all([
    store.entities.stockAlert.query.byKey({ tenantId }).go({ order: 'desc', limit }),
    variantNames(store, tenantId),
  ]);
  return alerts.data.map((alert) => {
    const { productId: _product, ...name } = names.get(alert.inventoryItemId) ?? ({} as Partial<VariantName>);
    return {
      alertId: alert.alertKey,
      inventoryItemId: alert.inventoryItemId,
      locationId: alert.locationId,
      threshold: alert.threshold,
      available: alert.available,
      at: alert.at,
      ...(alert.clearedAt !== undefined && { clearedAt: alert.clearedAt }),
      ...name,
    };
  });
}
