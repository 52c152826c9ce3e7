import { type LedgerReason, PUSHED_REASONS } from '@asistone/contract/stock';
import { isConditionFailure } from '../platform/store/service.js';
import type { LedgerDeps, LedgerEntryItem, StockSlot } from './stock-ledger.js';
import { timeOrderedIdOf } from './stock-ledger.js';
import { SHOPIFY_STOCK_QUEUE } from './stock-queue.js';

/**
 * A move made in Asistone at one of Shopify's locations is pushed to Shopify (shopify/stock.ts
 * pushStockAdjustment: compare-and-set on the stock we believed Shopify had, idempotent). The
 * push's id is derived from the entry, so whoever folds the entry writes the same push once.
 * Asistone's own locations (`as-…`) are never pushed, and neither are Shopify's own changes.
 */

export const isShopifyLocation = (locationId: string) => /^[0-9]{1,20}$/.test(locationId);

type PushedReason = (typeof PUSHED_REASONS)[number];
const isPushed = (reason: LedgerReason): reason is PushedReason =>
  (PUSHED_REASONS as readonly string[]).includes(reason);

/** The push an entry makes, if any: `{ pushId }` to store on the entry. */
export function shopifyPushOf(slot: StockSlot, seq: number, at: number, reason: LedgerReason): { pushId?: string } {
  if (!isShopifyLocation(slot.locationId) || !isPushed(reason)) return {};
  return { pushId: timeOrderedIdOf(at, `${slot.tenantId}:${slot.inventoryItemId}:${slot.locationId}:${seq}`) };
}

/**
 * Writes the entry's push (`pending`) unless it is written already, and queues it. A failed send
 * is only warned of: the push is recorded, and the reconcile's sweep queues pushes left waiting.
 */
export async function queueShopifyPush(deps: LedgerDeps, entry: LedgerEntryItem) {
  if (!entry.pushId || !isPushed(entry.reason)) return;
  const { tenantId, pushId } = entry;
  try {
    await deps.store.entities.shopStockAdjustment
      .create({
        tenantId,
        adjustmentId: pushId,
        inventoryItemId: entry.inventoryItemId,
        locationId: entry.locationId,
        delta: entry.delta,
        reason: entry.reason,
        actorId: entry.actorId ?? '-',
        createdAt: entry.at,
        // What we believed Shopify had: the stock before this entry.
        quantityBefore: entry.balanceAfter - entry.delta,
        status: 'pending',
        pushAttempts: 0,
      })
      .go();
  } catch (error) {
    // Written by whoever folded this entry first: its message went then (or the sweep sends it).
    if (isConditionFailure(error)) return;
    throw error;
  }
  try {
    await deps.producer?.send(SHOPIFY_STOCK_QUEUE, { tenantId, adjustmentId: pushId });
  } catch (error) {
    deps.log?.warn('stock push not queued; the sweep will queue it', {
      tenantId,
      adjustmentId: pushId,
      error: error instanceof Error ? error.name : 'error',
    });
  }
}
