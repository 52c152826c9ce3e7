import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CartState } from '@asistone/contract/cart-recovery';
import { type DetectionDeps, detectDueCarts } from '@asistone/core/cart-recovery/detection';
import { CART_RECOVERY_RECORDS, type CartRecoveryStore, dueKeyOf } from '@asistone/core/cart-recovery/records';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { median } from './lib/measure.js';
import { check, type GoalCheck, ratioGoal, valueGoal } from './lib/report.js';

/**
 * The abandoned-cart detection run (cart-recovery/detection.ts) must read the carts that are
 * due, not every cart waiting: it runs every five minutes over every business's carts, and a
 * run that read them all would cost what the whole backlog holds, each time.
 *
 * Each size gets a fresh local DynamoDB holding that many carts across 20 businesses, pending
 * or contacted, 1% of them due (over the past day) and the rest due hours to days ahead. The
 * run queues to a producer that only counts, so what is timed is the reading and the leasing.
 *
 * A run leases the carts it finds (moves their due time ahead), so a second run finds nothing.
 * Each timed run therefore follows a re-seed of the due carts as they were; the first run of
 * each size warms up and is not timed, and the figure is the median of the rest.
 *
 * Goals, and why:
 * - items read per due cart at the large size ≤ 1 + one page per due cart: the Query reads the
 *   due index up to now, so it reads the due carts and at most one page it could not know was
 *   the last. Reading the waiting carts would show here as about 100 per due cart.
 * - Query commands ≤ one per page of due carts, plus one (the empty page after a full one).
 * - items read at the large size ≤ 10.5× those at the small one: the due carts grew 10×. On its
 *   own this cannot tell due from waiting (both grew 10×); with the figure above it shows the
 *   reads grow with the due carts and nothing else.
 * - time per due cart at the large size ≤ 1.5× that at the small one: each due cart costs one
 *   conditional write and a share of a page, however many carts wait.
 * - every due cart queued exactly once in every run, and nothing else queued.
 */

/** Carts per fresh table: the small one is the floor of the ratios. */
export const CART_DETECTION_SIZES: readonly [number, number] = [10_000, 100_000];
const BUSINESSES = 20;
/** One cart in this many is due. */
const DUE_EVERY = 100;
/** Runs per size after the warm-up. */
const TIMED_RUNS = 5;
/** The run's page of the due index (detection.ts reads 200 at a time). */
const PAGE = 200;
/** Concurrent batches of 25 while seeding: the emulator keeps up, and 100,000 carts take under a minute. */
const SEED_CONCURRENCY = 16;
const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A cart as the product writes it: the entity's own type, so a new required attribute shows here. */
type CartItem = Parameters<CartRecoveryStore['entities']['cart']['create']>[0];

export interface DetectionRoundRun {
  ms: number;
  /** What the run reported. */
  due: number;
  queued: number;
  pages: number;
  /** DynamoDB commands by name, and the index items the Queries read and returned. */
  commands: Record<string, number>;
  itemsRead: number;
  itemsReturned: number;
  /** Messages queued, distinct carts among them, and carts queued that were not due. */
  messages: number;
  distinctQueued: number;
  notDueQueued: number;
}

export interface CartDetectionSize {
  carts: number;
  due: number;
  seedSeconds: number;
  /** The timed runs (the warm-up is left out). */
  runs: DetectionRoundRun[];
  medianMs: number;
  msPerDue: number;
  /** The most any timed run read: reads do not vary by run, and the worst is the one to judge. */
  queries: number;
  itemsRead: number;
  itemsReturned: number;
  updates: number;
  /** Due carts not queued exactly once, and carts queued that were not due, over every run. */
  faults: number;
}

export interface CartDetectionResult {
  sizes: [CartDetectionSize, CartDetectionSize];
  itemsPerDue: number;
  readRatio: number;
  timeRatio: number;
  faults: number;
  readsPerDue: GoalCheck;
  queryCount: GoalCheck;
  readGrowth: GoalCheck;
  flatTime: GoalCheck;
  queuedOnce: GoalCheck;
}

/** Counts the commands a client sends, and the items its Queries read (before ElectroDB's entity filter) and return. */
function countCommands(client: DynamoDBClient) {
  const tally = { commands: {} as Record<string, number>, itemsRead: 0, itemsReturned: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      tally.commands[name] = (tally.commands[name] ?? 0) + 1;
      const result = await next(args);
      if (name === 'QueryCommand') {
        const output = result.output as { Count?: number; ScannedCount?: number };
        tally.itemsRead += output.ScannedCount ?? 0;
        tally.itemsReturned += output.Count ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'bench-count-cart-detection-commands', override: true },
  );
  return {
    tally,
    clear() {
      tally.commands = {};
      tally.itemsRead = 0;
      tally.itemsReturned = 0;
    },
  };
}

/** `carts` carts spread over the businesses; every {@link DUE_EVERY}th is due, the others later. */
function makeCarts(carts: number): { all: CartItem[]; due: CartItem[] } {
  const all: CartItem[] = [];
  const due: CartItem[] = [];
  for (let i = 0; i < carts; i++) {
    const isDue = i % DUE_EVERY === 0;
    // Due over the past day (oldest first matters to the run), or from an hour to a week ahead.
    const dueAt = isDue ? NOW - Math.floor(Math.random() * DAY) : NOW + HOUR + Math.floor(Math.random() * 7 * DAY);
    const state: CartState = i % 3 === 0 ? 'contacted' : 'pending';
    const abandonedAt = dueAt - (state === 'contacted' ? DAY : HOUR);
    const cart: CartItem = {
      tenantId: `bcart${String(i % BUSINESSES).padStart(2, '0')}`,
      // 24 random bytes are 32 base64url characters, as a checkout's blind index is shaped.
      checkoutKey: randomBytes(24).toString('base64url'),
      state,
      holdout: false,
      checkoutUpdatedAt: abandonedAt - HOUR,
      abandonedAt,
      abandonedKey: dueKeyOf(abandonedAt),
      nextStep: 0,
      dueKey: dueKeyOf(dueAt),
      history: [],
    };
    all.push(cart);
    if (isDue) due.push(cart);
  }
  return { all, due };
}

/** Writes carts as the product keys them (ElectroDB batches of 25), again until none is left unprocessed. */
async function seed(store: CartRecoveryStore, carts: CartItem[]) {
  const CHUNK = 25 * SEED_CONCURRENCY * 10;
  for (let from = 0; from < carts.length; from += CHUNK) {
    let pending = carts.slice(from, from + CHUNK);
    while (pending.length > 0) {
      const { unprocessed } = await store.entities.cart.put(pending).go({ concurrent: SEED_CONCURRENCY });
      const left = new Set(unprocessed.map((key) => `${key.tenantId}#${key.checkoutKey}`));
      pending = pending.filter((cart) => left.has(`${cart.tenantId}#${cart.checkoutKey}`));
    }
  }
}

async function measureSize(carts: number, say: (line: string) => void): Promise<CartDetectionSize> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-carts-'));
  const emulators = await startEmulators(dataDir);
  try {
    const platform = createPlatform(readConfig(handlerEnvironment(dataDir, emulators.env)));
    const store = platform.storeOf(CART_RECOVERY_RECORDS);
    const { all, due } = makeCarts(carts);
    const dueKeys = new Set(due.map((cart) => `${cart.tenantId}#${cart.checkoutKey}`));

    say(`   seeding ${carts.toLocaleString('en')} carts (${due.length.toLocaleString('en')} due) in a fresh table…`);
    const seedStarted = performance.now();
    await seed(store, all);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const counter = countCommands(platform.aws.dynamo);
    const runs: DetectionRoundRun[] = [];
    let faults = 0;
    for (let round = 0; round <= TIMED_RUNS; round++) {
      // The previous run leased every due cart: put them back as they were.
      if (round > 0) await seed(store, due);
      const queued = new Map<string, number>();
      const producer: DetectionDeps['producer'] = {
        async send(_queue: unknown, message: unknown) {
          const { tenantId, checkoutKey } = message as { tenantId: string; checkoutKey: string };
          const key = `${tenantId}#${checkoutKey}`;
          queued.set(key, (queued.get(key) ?? 0) + 1);
        },
      };
      counter.clear();
      const started = performance.now();
      const run = await detectDueCarts({ store, producer }, NOW);
      const ms = performance.now() - started;

      const messages = [...queued.values()].reduce((sum, count) => sum + count, 0);
      const notDueQueued = [...queued.keys()].filter((key) => !dueKeys.has(key)).length;
      const onceQueued = [...dueKeys].filter((key) => queued.get(key) === 1).length;
      faults += dueKeys.size - onceQueued + notDueQueued;
      if (run.due !== due.length || run.queued !== due.length) {
        say(`   ! run ${round}: found ${run.due} due and queued ${run.queued}; ${due.length} were due`);
        faults += Math.abs(run.due - due.length) + Math.abs(run.queued - due.length);
      }
      if (round === 0) continue;
      runs.push({
        ms,
        due: run.due,
        queued: run.queued,
        pages: run.pages,
        commands: { ...counter.tally.commands },
        itemsRead: counter.tally.itemsRead,
        itemsReturned: counter.tally.itemsReturned,
        messages,
        distinctQueued: queued.size,
        notDueQueued,
      });
    }
    const medianMs = median(runs.map((one) => one.ms));
    const most = (pick: (one: DetectionRoundRun) => number) => Math.max(...runs.map(pick));
    return {
      carts,
      due: due.length,
      seedSeconds,
      runs,
      medianMs,
      msPerDue: medianMs / due.length,
      queries: most((one) => one.commands.QueryCommand ?? 0),
      itemsRead: most((one) => one.itemsRead),
      itemsReturned: most((one) => one.itemsReturned),
      updates: most((one) => one.commands.UpdateItemCommand ?? 0),
      faults,
    };
  } finally {
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchCartDetection(
  say: (line: string) => void = () => {},
  sizes: readonly [number, number] = CART_DETECTION_SIZES,
): Promise<CartDetectionResult> {
  // One size after the other: ElectroDB binds its entities to the latest store's client.
  const small = await measureSize(sizes[0], say);
  const large = await measureSize(sizes[1], say);
  const itemsPerDue = large.itemsRead / large.due;
  const readRatio = large.itemsRead / Math.max(small.itemsRead, 1);
  const timeRatio = large.msPerDue / small.msPerDue;
  const faults = small.faults + large.faults;
  const growth = large.due / small.due;
  return {
    sizes: [small, large],
    itemsPerDue,
    readRatio,
    timeRatio,
    faults,
    readsPerDue: check(valueGoal('≤', 1 + PAGE / large.due, 'items read per due cart'), { value: itemsPerDue }),
    queryCount: check(valueGoal('≤', Math.ceil(large.due / PAGE) + 1, 'Queries'), { value: large.queries }),
    readGrowth: check(
      ratioGoal('≤', Math.round(growth * 105) / 100, `items read at ${small.carts.toLocaleString('en')}`),
      {
        ratio: readRatio,
      },
    ),
    flatTime: check(ratioGoal('≤', 1.5, `time per due cart at ${small.carts.toLocaleString('en')}`), {
      ratio: timeRatio,
    }),
    queuedOnce: check(valueGoal('≤', 0, 'carts'), { value: faults }),
  };
}
