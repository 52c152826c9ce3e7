import { createHash } from 'node:crypto';
import type { LedgerReason } from '@asistone/contract/stock';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { queueShopifyPush, shopifyPushOf } from './ledger-pushes.js';
import { clearLowStock, type LowStockChange, lowStockAfter, raiseLowStock } from './low-stock.js';
import { positionOf } from './stock-ledger-records.js';
import { SHOPIFY_STORE_RECORDS } from './store-records.js';

/**
 * The stock ledger: every move of one variant at one location is an entry, numbered 1, 2, 3…
 * without gaps, holding the stock after it. Stock is the last entry's balance, and the level
 * (`shopInventoryLevel`) carries it as a running balance, so a lookup reads one item however long
 * the ledger grows.
 *
 * WHY NO MOVE IS EVER LOST, without transactions (the local emulator has none, and none are needed):
 * 1. A writer reads the level (consistently): it has folded entries 1…n.
 * 2. It writes entry n+1 (balance = the level's + its change) only if no entry n+1 exists. Of two
 *    writers at once, one wins; the other reads again and writes n+2 on top. Entries are the
 *    commit: once n+1 is written, the move happened.
 * 3. It folds n+1 into the level (balance, n+1) only if the level still says n.
 * A writer that dies between 2 and 3 leaves entry n+1 unfolded; the next writer finds n+1 taken,
 * folds it for the dead one (its effects too: the push to Shopify, a low-stock alert, each
 * written once by a conditional put), then writes n+2. So at most one entry is ever ahead of the
 * level, and the level is always some entry's balance: never a sum lost between two writers.
 *
 * A move with its own id (a transfer's leg, a repair) is applied once even when retried: the level
 * remembers the last {@link REMEMBERED_OPS} such ids, and a retry that finds its entry unfolded
 * folds it first and then finds itself remembered.
 */

export const LEDGER_RECORDS = {
  shopInventoryLevel: SHOPIFY_STORE_RECORDS.shopInventoryLevel,
  shopStockAdjustment: SHOPIFY_STORE_RECORDS.shopStockAdjustment,
  stockLedgerEntry: SHOPIFY_STORE_RECORDS.stockLedgerEntry,
  stockAlert: SHOPIFY_STORE_RECORDS.stockAlert,
};
export type LedgerStore = Store<typeof LEDGER_RECORDS>;

export interface LedgerDeps {
  store: LedgerStore;
  /** Queues each push to Shopify and each low-stock mail; without it, they are recorded only (tests, tools). */
  producer?: Pick<Producer, 'send'>;
  now?: () => number;
  log?: Pick<Logger, 'warn'>;
}

/** One variant at one location. Ids are Shopify's digits; an Asistone-only location's is `as-…`. */
export interface StockSlot {
  tenantId: string;
  inventoryItemId: string;
  locationId: string;
}

export interface StockMove {
  delta: number;
  reason: LedgerReason;
  actorId?: string;
  note?: string;
  transferId?: string;
  /** Shopify's time of the level a `shopify` or `repair` entry takes. */
  shopifyUpdatedAt?: number;
}

export type StockLevelItem = NonNullable<
  Awaited<ReturnType<ReturnType<LedgerStore['entities']['shopInventoryLevel']['get']>['go']>>['data']
>;
export type LedgerEntryItem = NonNullable<
  Awaited<ReturnType<ReturnType<LedgerStore['entities']['stockLedgerEntry']['get']>['go']>>['data']
>;

/**
 * What a move is, decided against the level as it is now (absent: nothing there yet). Null
 * records nothing (Shopify's level is no newer; a count that matches). Called again on every
 * retry, so a count always records the difference to the stock it lands on.
 */
export type DecideMove = (level: StockLevelItem | undefined) => StockMove | null;

export type MoveOutcome =
  | { outcome: 'recorded'; entry: LedgerEntryItem; level: StockLevelItem | undefined }
  | { outcome: 'nothing'; level: StockLevelItem | undefined }
  | { outcome: 'already'; level: StockLevelItem };

/** How many moves with their own id a level remembers: far more than can land while one is retried. */
export const REMEMBERED_OPS = 50;
/** Writers at once on one variant and location each win within this many tries. */
const MAX_TRIES = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Records one move of one variant at one location and folds it into the level. `opId` names the
 * move; with `remember`, a retry of the same `opId` finds it done ('already').
 *
 * @example
 * await recordMove(deps, slot, 'transfer-1:out', () => ({ delta: -3, reason: 'transfer-out', actorId }), { remember: true });
 */
export async function recordMove(
  deps: LedgerDeps,
  slot: StockSlot,
  opId: string,
  decide: DecideMove,
  options: { remember?: boolean } = {},
): Promise<MoveOutcome> {
  const now = deps.now ?? Date.now;
  const entries = deps.store.entities.stockLedgerEntry;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const level = await readLevel(deps.store, slot);
    if (level?.ops?.includes(opId)) return { outcome: 'already', level };
    const move = decide(level);
    if (!move) return { outcome: 'nothing', level };
    const seq = (level?.seq ?? 0) + 1;
    const at = now();
    const entry: LedgerEntryItem = {
      ...slot,
      position: positionOf(seq),
      seq,
      delta: move.delta,
      balanceAfter: (level?.available ?? 0) + move.delta,
      reason: move.reason,
      at,
      opId,
      ...(options.remember && { once: true }),
      ...(move.actorId && { actorId: move.actorId }),
      ...(move.note && { note: move.note }),
      ...(move.transferId && { transferId: move.transferId }),
      ...(move.shopifyUpdatedAt !== undefined && { shopifyUpdatedAt: move.shopifyUpdatedAt }),
      ...shopifyPushOf(slot, seq, at, move.reason),
    };
    try {
      await entries.create(entry).go();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another writer took n+1: fold it (it may have died before doing so), then go on top.
      const taken = (await entries.get({ ...slot, position: positionOf(seq) }).go({ consistent: true })).data;
      if (taken) await foldEntry(deps, level, taken);
      await sleep(Math.random() * Math.min(5 + attempt * 2, 40));
      continue;
    }
    const folded = await foldEntry(deps, level, entry);
    return { outcome: 'recorded', entry, level: folded };
  }
  throw new Error('stock ledger: too many writers at once on one variant and location');
}

/** The level as stored now (a consistent read: a writer must see the last fold). */
export async function readLevel(store: LedgerStore, slot: StockSlot): Promise<StockLevelItem | undefined> {
  return (await store.entities.shopInventoryLevel.get(slot).go({ consistent: true })).data ?? undefined;
}

/**
 * Applies an entry's effects (each written once, whoever folds it) and folds it into the level
 * that held the entry before it. The fold is conditional on the level's last entry and its
 * threshold: a level another writer folded already is left as it is; one whose threshold changed
 * meanwhile is read again and folded against it (the low-stock state follows the new threshold).
 * Answers the level as it stands after the fold.
 */
async function foldEntry(
  deps: LedgerDeps,
  level: StockLevelItem | undefined,
  entry: LedgerEntryItem,
): Promise<StockLevelItem | undefined> {
  const slot = { tenantId: entry.tenantId, inventoryItemId: entry.inventoryItemId, locationId: entry.locationId };
  if (entry.pushId) await queueShopifyPush(deps, entry);
  let before = level;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    if ((before?.seq ?? 0) >= entry.seq) return before;
    const lowStock: LowStockChange = lowStockAfter(before, entry);
    if (lowStock.raise) await raiseLowStock(deps, slot, lowStock.raise);
    const folded = await foldOnce(deps, slot, before, entry, lowStock);
    if (folded) {
      if (lowStock.clear && before?.alertKey) await clearLowStock(deps, slot.tenantId, before.alertKey, entry.at);
      return folded;
    }
    before = await readLevel(deps.store, slot);
  }
  throw new Error('stock ledger: the level kept changing while an entry was folded');
}

/** One conditional write of the fold; undefined when the level changed since it was read. */
async function foldOnce(
  deps: LedgerDeps,
  slot: StockSlot,
  before: StockLevelItem | undefined,
  entry: LedgerEntryItem,
  lowStock: LowStockChange,
): Promise<StockLevelItem | undefined> {
  const levels = deps.store.entities.shopInventoryLevel;
  const remembered = entry.once ? [...(before?.ops ?? []), entry.opId].slice(-REMEMBERED_OPS) : (before?.ops ?? []);
  const fields = {
    available: entry.balanceAfter,
    seq: entry.seq,
    ...(remembered.length > 0 && { ops: remembered }),
    low: lowStock.low,
    ...(lowStock.alertKey && { alertKey: lowStock.alertKey }),
    ...(entry.shopifyUpdatedAt !== undefined && { updatedAt: entry.shopifyUpdatedAt }),
  };
  try {
    if (!before) {
      const created = { ...slot, ...fields, updatedAt: entry.shopifyUpdatedAt ?? entry.at };
      await levels.create(created).go();
      return { ...created, storedAt: Date.now() };
    }
    await levels
      .patch(slot)
      .set(fields)
      .where(
        (attr, op) =>
          `${before.seq === undefined ? op.notExists(attr.seq) : op.eq(attr.seq, before.seq)} AND ${
            before.threshold === undefined ? op.notExists(attr.threshold) : op.eq(attr.threshold, before.threshold)
          }`,
      )
      .go();
    return { ...before, ...fields };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return undefined;
  }
}

/**
 * Stock of one variant at one location, exactly: the ledger's last entry (one item read, however
 * many entries came before). Undefined when nothing was ever recorded there.
 */
export async function stockAt(store: LedgerStore, slot: StockSlot): Promise<number | undefined> {
  const { data } = await store.entities.stockLedgerEntry.query
    .byPosition(slot)
    .between({ position: positionOf(0) }, { position: positionOf(999_999_999_999) })
    .go({ order: 'desc', limit: 1, consistent: true });
  return data[0]?.balanceAfter;
}

/** A page of one variant's ledger at one location, newest first; `before` is the last seq already shown. */
export async function ledgerPage(store: LedgerStore, slot: StockSlot, page: { before?: number; limit?: number } = {}) {
  const { data } = await store.entities.stockLedgerEntry.query
    .byPosition(slot)
    .between({ position: positionOf(0) }, { position: positionOf((page.before ?? 1_000_000_000_000) - 1) })
    .go({ order: 'desc', limit: page.limit ?? 50 });
  return data;
}

/** A deterministic, time-ordered UUID (v7 layout): the same entry always names the same push. */
export function timeOrderedIdOf(at: number, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest().subarray(0, 16);
  bytes.writeUIntBE(Math.max(0, Math.floor(at)), 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
