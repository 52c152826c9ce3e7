import { can } from '@asistone/contract/roles';
import { MAX_UNITS } from '@asistone/contract/stock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { alertKeyOf, clearLowStock, raiseLowStock } from '../shopify/low-stock.js';
import { type LedgerDeps, readLevel, type StockLevelItem } from '../shopify/stock-ledger.js';
import { type StockActor, slotOf } from './moves.js';

/**
 * A variant's low-stock threshold at a location. Setting one where stock is already at or below it
 * raises the alert at once (that is a crossing too: the merchant just drew the line above the
 * stock); removing one clears the open alert's state. The write is conditional on the level's
 * last entry and threshold, so it never overwrites a move folded meanwhile.
 */
export async function setThreshold(
  deps: LedgerDeps,
  actor: StockActor,
  tenantId: string,
  input: { inventoryItemId: string; locationId: string; threshold: number | null },
): Promise<StockLevelItem> {
  if (!can(actor.role, 'stock.manage')) throw new ForbiddenError();
  const slot = slotOf(tenantId, input);
  const { threshold } = input;
  if (threshold !== null && (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_UNITS)) {
    throw new ValidationError(`The threshold must be a whole number from 0 to ${MAX_UNITS}`);
  }
  const now = deps.now ?? Date.now;
  const levels = deps.store.entities.shopInventoryLevel;
  for (let attempt = 0; attempt < 20; attempt++) {
    const level = await readLevel(deps.store, slot);
    if (!level) throw new NotFoundError('This item is not stocked at this location');
    const low = threshold !== null && level.available <= threshold;
    const raise = low && level.low !== true;
    const at = now();
    const alertKey = raise ? alertKeyOf(at, slot, `t${level.seq ?? 0}x${at.toString(36)}`) : level.alertKey;
    // biome-ignore lint/suspicious/noExplicitAny: ElectroDB's where-callback types, as apply.ts olderThan.
    const unchanged = (attr: any, op: any) =>
      `${level.seq === undefined ? op.notExists(attr.seq) : op.eq(attr.seq, level.seq)} AND ${
        level.threshold === undefined ? op.notExists(attr.threshold) : op.eq(attr.threshold, level.threshold)
      }`;
    try {
      const patch = levels.patch(slot);
      const set = patch.set({ low, ...(alertKey && { alertKey }) });
      await (threshold === null ? set.remove(['threshold']) : set.set({ threshold })).where(unchanged).go();
    } catch (error) {
      if (isConditionFailure(error)) continue;
      throw error;
    }
    if (raise && alertKey && threshold !== null) {
      await raiseLowStock(deps, slot, { alertKey, threshold, available: level.available, at });
    }
    if (!low && level.low && level.alertKey) await clearLowStock(deps, tenantId, level.alertKey, at);
    const { threshold: _old, ...rest } = level;
    return { ...rest, ...(threshold !== null && { threshold }), low, ...(alertKey && { alertKey }) };
  }
  throw new ValidationError('The stock is changing too fast; try again');
}
