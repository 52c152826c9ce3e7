import { can } from '@asistone/contract/roles';
import type { Reconciliation, ReconciliationRow } from '@asistone/contract/stock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { ShopifyGraphql } from '../shopify/graphql.js';
import { isShopifyLocation } from '../shopify/ledger-pushes.js';
import { levelFromNode, RECONCILE_INVENTORY_LEVELS_QUERY } from '../shopify/reconcile-queries.js';
import { readShopifyLevel, timeOrderedId } from '../shopify/stock.js';
import { type LedgerDeps, readLevel, recordMove } from '../shopify/stock-ledger.js';
import { SHOPIFY_STOCK_QUEUE } from '../shopify/stock-queue.js';
import type { ShopAccess } from '../shopify/tokens.js';
import { type StockActor, slotOf } from './moves.js';
import { type StockViewStore, variantNames } from './views.js';

/**
 * The reconciliation: Asistone's stock at each of Shopify's locations beside Shopify's own number,
 * read live, and the variants where they differ. A push still on its way is named, since that
 * difference closes by itself. Each difference can be repaired in either direction:
 * - `from-shopify`: the ledger records the difference (reason `repair`), so Asistone holds
 *   Shopify's number (with Shopify's time, so an older webhook cannot undo it);
 * - `to-shopify`: a push of the difference, compare-and-set on the number Shopify has now, so
 *   Shopify holds Asistone's; its echo changes nothing here.
 * Both read Shopify's number again at the moment of repair: the report may be minutes old.
 */

export interface ReconcileDeps extends LedgerDeps {
  store: LedgerDeps['store'] & StockViewStore;
  shopify: ShopifyGraphql;
  shopAccess: (tenantId: string) => Promise<ShopAccess>;
}

const PAGE = 250;
type Page = { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };
const slotKey = (inventoryItemId: string, locationId: string) => `${inventoryItemId}#${locationId}`;

/** Compares every variant at every Shopify location: Asistone's levels and Shopify's, now. */
export async function reconcileStock(deps: ReconcileDeps, tenantId: string): Promise<Reconciliation> {
  const now = deps.now ?? Date.now;
  const [levels, locations, names, pending] = await Promise.all([
    deps.store.entities.shopInventoryLevel.query.byItem({ tenantId }).go({ pages: 'all' }),
    deps.store.entities.shopLocation.query.byId({ tenantId }).go({ pages: 'all' }),
    variantNames(deps.store, tenantId),
    deps.store.entities.shopStockAdjustment.query
      .byId({ tenantId })
      .where((attr, op) => op.eq(attr.status, 'pending'))
      .go({ pages: 'all' }),
  ]);
  const ours = new Map<string, number>();
  const locationIds = new Set(locations.data.map((location) => location.locationId));
  for (const level of levels.data) {
    if (!isShopifyLocation(level.locationId)) continue;
    ours.set(slotKey(level.inventoryItemId, level.locationId), level.available);
    locationIds.add(level.locationId);
  }
  const theirs = new Map<string, number>();
  const access = await deps.shopAccess(tenantId);
  for (const locationId of locationIds) {
    let after: string | undefined;
    for (;;) {
      const answer = await deps.shopify.query<{ location?: { inventoryLevels?: Page } | null }>(
        access,
        RECONCILE_INVENTORY_LEVELS_QUERY,
        { location: `gid://shopify/Location/${locationId}`, first: PAGE, after },
      );
      const page = answer.data.location?.inventoryLevels;
      if (!page) break;
      for (const node of page.nodes) {
        const level = levelFromNode(node, { locationId: `gid://shopify/Location/${locationId}` });
        theirs.set(slotKey(level.inventoryItemId.split('/').pop() ?? '', locationId), level.available);
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  const pushing = new Set(pending.data.map((push) => slotKey(push.inventoryItemId, push.locationId)));
  const differences: ReconciliationRow[] = [];
  for (const key of new Set([...ours.keys(), ...theirs.keys()])) {
    const asistone = ours.get(key);
    const shopify = theirs.get(key);
    const difference = (shopify ?? 0) - (asistone ?? 0);
    if (asistone !== undefined && shopify !== undefined && difference === 0) continue;
    // Stocked nowhere on either side: nothing to tell.
    if (difference === 0) continue;
    const [inventoryItemId = '', locationId = ''] = key.split('#');
    const { productId: _product, ...name } = names.get(inventoryItemId) ?? {};
    differences.push({
      inventoryItemId,
      locationId,
      ...(asistone !== undefined && { asistone }),
      ...(shopify !== undefined && { shopify }),
      difference,
      pushPending: pushing.has(key),
      ...name,
    });
  }
  differences.sort(
    (a, b) =>
      (a.productTitle ?? '').localeCompare(b.productTitle ?? '', 'tr') || a.locationId.localeCompare(b.locationId),
  );
  return { checkedAt: now(), compared: new Set([...ours.keys(), ...theirs.keys()]).size, differences };
}

/** Repairs one difference in the direction the merchant chose (`stock.manage`). */
export async function repairStock(
  deps: ReconcileDeps,
  actor: StockActor,
  tenantId: string,
  input: { inventoryItemId: string; locationId: string; direction: 'from-shopify' | 'to-shopify' },
) {
  if (!can(actor.role, 'stock.manage')) throw new ForbiddenError();
  const slot = slotOf(tenantId, input);
  if (!isShopifyLocation(slot.locationId)) throw new ValidationError('Only Shopify locations are reconciled');
  const access = await deps.shopAccess(tenantId);
  const shopify = await readShopifyLevel(deps.shopify, access, slot);
  if (!shopify) throw new NotFoundError('Shopify does not stock this item at this location');
  if (input.direction === 'from-shopify') {
    const moved = await recordMove(deps, slot, `repair-${timeOrderedId((deps.now ?? Date.now)())}`, (level) => {
      const delta = shopify.available - (level?.available ?? 0);
      if (level && delta === 0) return null;
      return {
        delta,
        reason: 'repair',
        actorId: actor.userId,
        shopifyUpdatedAt: Math.max(shopify.updatedAt, level?.updatedAt ?? 0),
      };
    });
    return {
      direction: input.direction,
      available: shopify.available,
      ...(moved.outcome === 'recorded' && { entry: moved.entry }),
    };
  }
  const level = await readLevel(deps.store, slot);
  if (!level) throw new NotFoundError('This item is not stocked at this location');
  const delta = level.available - shopify.available;
  if (delta === 0) return { direction: input.direction, available: level.available };
  const createdAt = (deps.now ?? Date.now)();
  const adjustment = {
    tenantId,
    adjustmentId: timeOrderedId(createdAt),
    inventoryItemId: slot.inventoryItemId,
    locationId: slot.locationId,
    delta,
    reason: 'correction' as const,
    actorId: actor.userId,
    createdAt,
    // Compare-and-set on what Shopify has now: if it moves again first, the stale rule decides.
    quantityBefore: shopify.available,
    status: 'pending' as const,
    pushAttempts: 0,
  };
  await deps.store.entities.shopStockAdjustment.create(adjustment).go();
  await deps.producer?.send(SHOPIFY_STOCK_QUEUE, { tenantId, adjustmentId: adjustment.adjustmentId });
  const { tenantId: _tenant, pushAttempts: _attempts, ...shown } = adjustment;
  return { direction: input.direction, available: level.available, adjustment: shown };
}
