import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { purgeTenant } from '@asistone/core/privacy/purge';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { recordAwsCalls } from '../tests/support/aws-calls.js';
import { type GoalCheck, median } from './lib/measure.js';
import { check, ratioGoal } from './lib/report.js';

/**
 * A business's purge must cost what the business holds, not what the table holds: the same
 * 5,000-item business is purged from a table that also holds 20,000 items of other businesses,
 * then 100,000, and the two times are compared. Items are written raw, shaped as the product
 * keys them (messages in per-conversation partitions, contacts and conversations in the root,
 * audit events, queue settlements one per partition), so the purge finds them as it would.
 */

const BUSINESS_ITEMS = 5_000;
const OTHERS = [20_000, 100_000] as const;
/**
 * Purges per table size, each of a fresh business: the first warms up (and lets the emulator's
 * storage settle after the bulk load), the median of the rest is the figure.
 */
const PURGES = 6;
const DAY0 = Date.UTC(2026, 0, 1);

export interface TenantPurgeResult {
  businessItems: number;
  sizes: { others: number; purgeMs: number[]; medianMs: number; deletedPerPurge: number }[];
  ratio: number;
  /** DynamoDB commands over every measured purge. */
  commands: Record<string, number>;
  scans: number;
  check: GoalCheck;
}

/** The keys of one business's items: the same mix for every business. */
function* businessItems(tenantId: string, count: number): Generator<Record<string, { S: string }>> {
  const root = `t#${tenantId}`;
  const item = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk }, tenantId: { S: tenantId } });
  let made = 0;
  yield item(root, 'tenant');
  yield item(root, 'key');
  made += 2;
  const conversations = 100;
  for (let i = 0; i < conversations; i++) {
    yield item(root, `contact#c${i}`);
    yield item(root, `conversation#cv${i}`);
    made += 2;
  }
  const audit = 600;
  for (let i = 0; i < audit; i++) yield item(`${root}#audit`, `event#${DAY0 + i * 60_000}#e${i}`);
  made += audit;
  const settled = 100;
  for (let i = 0; i < settled; i++) yield item(`${root}#settled#meta-events#m${i}`, 'settled');
  made += settled;
  for (let i = 0; made < count; i++, made++) {
    yield item(`${root}#conversation#cv${i % conversations}`, `message#${DAY0 + i * 1000}#ms${i}`);
  }
}

async function write(dynamo: DynamoDBClient, table: string, items: Iterable<Record<string, { S: string }>>) {
  let batch: WriteRequest[] = [];
  const flush = async () => {
    let requests = batch;
    batch = [];
    while (requests.length > 0) {
      const out = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = out.UnprocessedItems?.[table] ?? [];
    }
  };
  const inFlight: Promise<void>[] = [];
  for (const item of items) {
    batch.push({ PutRequest: { Item: item } });
    if (batch.length === 25) {
      inFlight.push(flush());
      if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
    }
  }
  inFlight.push(flush());
  await Promise.all(inFlight);
}

function* others(from: number, to: number): Generator<Record<string, { S: string }>> {
  // Businesses of 1,000 items each, shaped like the measured one.
  for (let first = from; first < to; first += 1000) {
    yield* businessItems(`bother${String(first / 1000).padStart(4, '0')}`, Math.min(1000, to - first));
  }
}

export async function benchTenantPurge(say: (line: string) => void = () => {}): Promise<TenantPurgeResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-purge-'));
  const emulators = await startEmulators(dataDir);
  try {
    const platform = createPlatform(readConfig(handlerEnvironment(dataDir, emulators.env)));
    const table = platform.config.TABLE_NAME;
    const deps = {
      dynamo: platform.aws.dynamo,
      table,
      blobs: platform.blobs,
      store: platform.storeOf({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
      dataClasses: DATA_CLASSES,
    };
    const recorder = recordAwsCalls({ dynamo: platform.aws.dynamo });
    const sizes: TenantPurgeResult['sizes'] = [];
    const commands: Record<string, number> = {};
    let seeded = 0;
    for (const size of OTHERS) {
      say(`   seeding ${size - seeded} items of other businesses…`);
      await write(platform.aws.dynamo, table, others(seeded, size));
      seeded = size;
      const purgeMs: number[] = [];
      let deletedPerPurge = 0;
      for (let round = 0; round < PURGES; round++) {
        const tenantId = `bmeasured${size}r${round}`;
        // The business record as the product writes it (the purge checks the business exists).
        await write(
          platform.aws.dynamo,
          table,
          [...businessItems(tenantId, BUSINESS_ITEMS)].filter((item) => item.sk?.S !== 'tenant'),
        );
        await deps.store.entities.tenant.create({ tenantId, name: 'v1.sealed-name' }).go();
        recorder.clear();
        const started = performance.now();
        const report = await purgeTenant(deps, tenantId, { by: 'bench:tenant-purge' });
        if (round > 0) purgeMs.push(performance.now() - started);
        deletedPerPurge = report.classes.reduce((sum, c) => sum + c.items, 0) + report.unclassified;
        if (deletedPerPurge !== BUSINESS_ITEMS || report.unclassified !== 0) {
          throw new Error(`purge of ${tenantId} deleted ${deletedPerPurge} (${report.unclassified} unclassified)`);
        }
        for (const call of recorder.calls) commands[call.command] = (commands[call.command] ?? 0) + 1;
      }
      sizes.push({ others: size, purgeMs, medianMs: median(purgeMs), deletedPerPurge });
    }
    const ratio = sizes[1]!.medianMs / sizes[0]!.medianMs;
    return {
      businessItems: BUSINESS_ITEMS,
      sizes,
      ratio,
      commands,
      scans: commands.ScanCommand ?? 0,
      check: check(ratioGoal('≤', 1.3, 'the purge time beside 20,000 items'), { ratio }),
    };
  } finally {
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
