import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import {
  type LedgerStore,
  ledgerPage,
  readLevel,
  recordMove,
  type StockSlot,
  stockAt,
} from '@asistone/core/shopify/stock-ledger';
import { positionOf } from '@asistone/core/shopify/stock-ledger-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { median } from './lib/measure.js';
import { check, type GoalCheck, ratioGoal, valueGoal } from './lib/report.js';

/**
 * Looking up a variant's stock at a location must cost the same however long its ledger grows:
 * the back office, the AI agent's stock answers and cart recovery's stock check read it often,
 * and a ledger only ever grows. Stock is a running balance (stock/ledger.ts), so a lookup reads
 * the ledger's last entry (`stockAt`) or the level (`readLevel`): one item each, never a sum.
 *
 * One fresh local DynamoDB holds two variants at one location: one with 10 entries (the floor),
 * one with 10,000. Most of the long ledger is written in batches as the ledger writes its entries
 * (each balance the one before plus its change), and the last 100 entries of each are recorded
 * through `recordMove` itself, so the level is the ledger's own fold. Then each variant's stock is
 * looked up 200 times both ways.
 *
 * Goals, and why:
 * - items read per lookup at 10,000 entries ≤ 1: one item for the balance; a sum at read time
 *   would read all 10,000.
 * - items read at 10,000 entries ≤ 1.0× those at 10: the reads do not grow with the ledger.
 * - time per lookup at 10,000 entries ≤ 1.5× that at 10 (the median of 200 each).
 * - the balance equals the sum of every entry's change, for both variants (0 faults).
 */

export const STOCK_LOOKUP_SIZES: readonly [number, number] = [10, 10_000];
const LOOKUPS = 200;
const RECORDED = 100;
const TENANT = 'bstock';
const LOCATION = '71';

export interface StockLookupSize {
  entries: number;
  seedSeconds: number;
  itemsPerLookup: number;
  getItemsPerLookup: number;
  msPerLookup: number;
  stock: number;
  sum: number;
}

export interface StockLookupResult {
  sizes: [StockLookupSize, StockLookupSize];
  readRatio: number;
  timeRatio: number;
  faults: number;
  readsPerLookup: GoalCheck;
  flatReads: GoalCheck;
  flatTime: GoalCheck;
  balanced: GoalCheck;
}

/** Counts the items each Query and GetItem read. */
function countReads(client: DynamoDBClient) {
  const tally = { queryItems: 0, queries: 0, gets: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'QueryCommand') {
        tally.queries += 1;
        tally.queryItems += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
      }
      if (context.commandName === 'GetItemCommand') tally.gets += 1;
      return result;
    },
    { step: 'initialize', name: 'bench-count-stock-reads', override: true },
  );
  return tally;
}

/** `count` entries as the ledger writes them, in batches of 25; answers the balance after the last. */
async function seedEntries(store: LedgerStore, slot: StockSlot, count: number, seq0: number, balance0: number) {
  let balance = balance0;
  const entries = [];
  for (let seq = seq0 + 1; seq <= seq0 + count; seq++) {
    const delta = seq === 1 ? 500 : seq % 4 === 0 ? 7 : -2;
    balance += delta;
    entries.push({
      ...slot,
      position: positionOf(seq),
      seq,
      delta,
      balanceAfter: balance,
      reason: seq === 1 ? ('shopify' as const) : delta > 0 ? ('received' as const) : ('sold-offline' as const),
      actorId: 'u_bench',
      at: Date.UTC(2026, 0, 1) + seq * 60_000,
      opId: `seed-${seq}`,
    });
  }
  for (let from = 0; from < entries.length; from += 25 * 40) {
    let pending = entries.slice(from, from + 25 * 40);
    while (pending.length > 0) {
      const { unprocessed } = await store.entities.stockLedgerEntry.put(pending).go({ concurrent: 8 });
      const left = new Set(unprocessed.map((key) => key.position));
      pending = pending.filter((entry) => left.has(entry.position));
    }
  }
  // The level as the ledger's fold left it after the seeded entries.
  await store.entities.shopInventoryLevel
    .put({ ...slot, available: balance, seq: seq0 + count, updatedAt: Date.UTC(2026, 0, 1) })
    .go();
  return balance;
}

async function measureSlot(store: LedgerStore, tally: ReturnType<typeof countReads>, slot: StockSlot, entries: number) {
  const started = performance.now();
  const seeded = Math.max(0, entries - RECORDED);
  if (seeded > 0) await seedEntries(store, slot, seeded, 0, 0);
  for (let n = 0; n < entries - seeded; n++) {
    await recordMove({ store }, slot, `bench-${n}`, () => ({
      delta: n % 3 === 0 ? 5 : -1,
      reason: 'received',
      actorId: 'u_bench',
    }));
  }
  const seedSeconds = (performance.now() - started) / 1000;

  // Warm both paths, then time each lookup alone.
  for (let i = 0; i < 20; i++) await stockAt(store, slot);
  const times: number[] = [];
  tally.queryItems = 0;
  tally.queries = 0;
  tally.gets = 0;
  let stock = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const t = performance.now();
    stock = (await stockAt(store, slot)) ?? Number.NaN;
    times.push(performance.now() - t);
  }
  const itemsPerLookup = tally.queryItems / LOOKUPS;
  for (let i = 0; i < LOOKUPS; i++) await readLevel(store, slot);
  const getItemsPerLookup = tally.gets / LOOKUPS;

  let sum = 0;
  let before: number | undefined;
  for (;;) {
    const page = await ledgerPage(store, slot, { limit: 200, ...(before !== undefined && { before }) });
    for (const entry of page) sum += entry.delta;
    if (page.length < 200) break;
    before = page.at(-1)?.seq;
  }
  const level = await readLevel(store, slot);
  return {
    entries,
    seedSeconds,
    itemsPerLookup,
    getItemsPerLookup,
    msPerLookup: median(times),
    stock: level?.available === stock ? stock : Number.NaN,
    sum,
  };
}

export async function benchStockLookup(
  say: (line: string) => void = () => {},
  sizes: readonly [number, number] = STOCK_LOOKUP_SIZES,
): Promise<StockLookupResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-stock-'));
  const emulators = await startEmulators(dataDir);
  try {
    const platform = createPlatform(readConfig(handlerEnvironment(dataDir, emulators.env)));
    const store = platform.storeOf(SHOPIFY_STORE_RECORDS);
    const tally = countReads(platform.aws.dynamo);
    say(`   writing ledgers of ${sizes.map((size) => size.toLocaleString('en')).join(' and ')} entries…`);
    const small = await measureSlot(
      store,
      tally,
      { tenantId: TENANT, inventoryItemId: '1001', locationId: LOCATION },
      sizes[0],
    );
    const large = await measureSlot(
      store,
      tally,
      { tenantId: TENANT, inventoryItemId: '1002', locationId: LOCATION },
      sizes[1],
    );
    const readRatio = large.itemsPerLookup / Math.max(small.itemsPerLookup, Number.EPSILON);
    const timeRatio = large.msPerLookup / small.msPerLookup;
    const faults = [small, large].filter((size) => !(size.stock === size.sum)).length;
    return {
      sizes: [small, large],
      readRatio,
      timeRatio,
      faults,
      readsPerLookup: check(valueGoal('≤', 1, 'items/lookup'), { value: large.itemsPerLookup }),
      flatReads: check(ratioGoal('≤', 1, `items read at ${sizes[0].toLocaleString('en')} entries`), {
        ratio: readRatio,
      }),
      flatTime: check(ratioGoal('≤', 1.5, `time per lookup at ${sizes[0].toLocaleString('en')} entries`), {
        ratio: timeRatio,
      }),
      balanced: check(valueGoal('≤', 0, 'ledgers'), { value: faults }),
    };
  } finally {
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
