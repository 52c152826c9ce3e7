import { idOfGid } from '../shopify/apply.js';
import type { CartWorkStore } from './carts.js';

/** A checkout's line as the checkout record keeps it (Shopify's ids are GIDs). */
export type CartLine = { title: string; quantity: number; productId?: string; variantId?: string };

/**
 * The places a cart's items would ship from: the location the business named in its settings,
 * or else every location Shopify ships online orders from (as the reconcile last listed them),
 * or, before any location is known, undefined: stock anywhere counts.
 */
async function shippingLocations(
  store: CartWorkStore,
  tenantId: string,
  shippingLocationId: string | null,
): Promise<Set<string> | undefined> {
  if (shippingLocationId) return new Set([shippingLocationId]);
  const { data } = await store.entities.shopLocation.query
    .byId({ tenantId })
    .go({ pages: 'all', attributes: ['locationId', 'fulfillsOnlineOrders'] });
  const shipping = data.filter((location) => location.fulfillsOnlineOrders).map((location) => location.locationId);
  return shipping.length ? new Set(shipping) : undefined;
}

/**
 * The first line with less stock at the shipping location than the cart holds, or undefined.
 * A variant Shopify does not track anywhere sells regardless; one tracked elsewhere but not at
 * the shipping location has nothing there to send. The products are read in one batch.
 */
export async function outOfStockLine(
  store: CartWorkStore,
  tenantId: string,
  lines: CartLine[],
  shippingLocationId: string | null,
): Promise<string | undefined> {
  const stocked = lines.filter((line) => line.productId && line.variantId);
  if (!stocked.length) return undefined;
  const productIds = [...new Set(stocked.map((line) => idOfGid(line.productId as string)))];
  const { data: products } = await store.entities.shopProduct
    .get(productIds.map((productId) => ({ tenantId, productId })))
    .go();
  const inventoryItemOf = new Map<string, string>();
  for (const product of products) {
    for (const variant of (product.variants ?? []) as { id: string; inventoryItemId?: string }[]) {
      if (variant.inventoryItemId) inventoryItemOf.set(variant.id, idOfGid(variant.inventoryItemId));
    }
  }
  const shipFrom = await shippingLocations(store, tenantId, shippingLocationId);
  for (const line of stocked) {
    const inventoryItemId = inventoryItemOf.get(line.variantId as string);
    if (!inventoryItemId) continue;
    const { data: levels } = await store.entities.shopInventoryLevel.query
      .byItem({ tenantId, inventoryItemId })
      .go({ pages: 'all', attributes: ['inventoryItemId', 'locationId', 'available'] });
    const tracked = levels.filter((level) => level.inventoryItemId === inventoryItemId);
    if (tracked.length === 0) continue;
    const available = tracked
      .filter((level) => !shipFrom || shipFrom.has(level.locationId))
      .reduce((sum, level) => sum + Math.max(0, level.available), 0);
    if (available < line.quantity) return line.title;
  }
  return undefined;
}
