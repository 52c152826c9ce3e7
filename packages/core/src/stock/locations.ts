import { randomBytes } from 'node:crypto';
import { can } from '@asistone/contract/roles';
import type { StockLocation } from '@asistone/contract/stock';
import { ForbiddenError, ValidationError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import type { StockActor } from './moves.js';
import { STOCK_RECORDS } from './records.js';

/**
 * Where stock is kept: Shopify's locations (as the reconcile last listed them) and Asistone's
 * own, which Shopify never hears of (a back room, a van, a market stall). Moves at an own
 * location stay in the ledger; a transfer to a Shopify location brings its units onto sale.
 */

const LOCATION_RECORDS = {
  shopLocation: SHOPIFY_STORE_RECORDS.shopLocation,
  stockLocation: STOCK_RECORDS.stockLocation,
};
export type LocationStore = Store<typeof LOCATION_RECORDS>;

/** Far more than any shop's back rooms: a bound on what the pickers list. */
export const MAX_OWN_LOCATIONS = 50;

export async function listLocations(store: LocationStore, tenantId: string): Promise<StockLocation[]> {
  const [shopify, own] = await Promise.all([
    store.entities.shopLocation.query.byId({ tenantId }).go({ pages: 'all' }),
    store.entities.stockLocation.query.byId({ tenantId }).go({ pages: 'all' }),
  ]);
  return [
    ...shopify.data.map((location) => ({
      locationId: location.locationId,
      name: location.name,
      source: 'shopify' as const,
      fulfillsOnlineOrders: location.fulfillsOnlineOrders,
    })),
    ...own.data.map((location) => ({
      locationId: location.locationId,
      name: location.name,
      source: 'asistone' as const,
      fulfillsOnlineOrders: false,
    })),
  ];
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Adds an Asistone-only location (`stock.manage`). */
export async function addOwnLocation(
  store: LocationStore,
  actor: StockActor,
  tenantId: string,
  name: string,
  now = Date.now(),
): Promise<StockLocation> {
  if (!can(actor.role, 'stock.manage')) throw new ForbiddenError();
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 80 || /\p{Cc}/u.test(trimmed)) {
    throw new ValidationError('Name the location in at most 80 characters');
  }
  const existing = await store.entities.stockLocation.query.byId({ tenantId }).go({ pages: 'all' });
  if (existing.data.length >= MAX_OWN_LOCATIONS) {
    throw new ValidationError(`A business can add at most ${MAX_OWN_LOCATIONS} locations of its own`);
  }
  if (existing.data.some((location) => location.name.toLocaleLowerCase('tr') === trimmed.toLocaleLowerCase('tr'))) {
    throw new ValidationError('A location with this name exists');
  }
  const locationId = `as-${Array.from(randomBytes(10), (byte) => ALPHABET[byte % 36]).join('')}`;
  await store.entities.stockLocation
    .create({ tenantId, locationId, name: trimmed, createdBy: actor.userId, createdAt: now })
    .go();
  return { locationId, name: trimmed, source: 'asistone', fulfillsOnlineOrders: false };
}
