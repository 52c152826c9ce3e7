import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { sealShopTokens } from '@asistone/core/shopify/tokens';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { createTenant } from '@asistone/core/tenancy/tenants';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { startFakeShopify } from '../packages/local/src/fakes/shopify.js';
import { addFakeOrders } from '../packages/local/src/fakes/shopify-bulk.js';
import { REPO_ROOT } from './lib/paths.js';
import { check, type GoalCheck, ratioGoal, valueGoal } from './lib/report.js';

/**
 * A first connect's backfill of 10,000 orders (two or three line items each, a shipping line,
 * a discount code on every fifth) from the fake Shopify's bulk JSONL, over HTTP, into a fresh
 * local DynamoDB, through the product's own code (shopify/backfill.ts with the webhooks' apply
 * functions and the business's key). Measured against the same emulator's plain PutItem rate in
 * the same run, at the same concurrency.
 *
 * Goals, and why:
 * - orders/s ≥ 0.15× the plain put rate. The floor is a bare put, one round trip. An order
 *   costs two: apply reads whether its customer was erased (suppression.ts), then makes one
 *   conditional put of a ~2 KB item with an index (the customer's orders) that the emulator
 *   maintains too, so about 0.4× is the ceiling; parsing the JSONL lines, the schema check and
 *   sealing the email with the business's key take their share (0.22–0.32× measured on a
 *   shared 2-core machine). 0.15× fails a backfill that did a third round trip per order
 *   (a per-order progress update, a read before the write).
 * - storage writes per order ≤ 1.1: the order's own put, plus the progress commit every 100
 *   orders (0.01) and the phase steps. A second write per order (a per-order progress
 *   update, a write beside the copy) would show here.
 * - live heap growth while streaming 10,000 orders ≤ 1.5× that of 1,000: the file is read line
 *   by line and applied a batch at a time, so what is retained must not grow with the file.
 *   Each backfill runs in a process of its own (shopify-backfill-run.ts), as in its Lambda:
 *   the local DynamoDB and the fake Shopify stay in this one, so their memory is not counted.
 *   The live heap is sampled after a collection every 100 ms (cheap in a process holding only
 *   the backfill); peak RSS is printed too.
 *   Speed and writes come from a run without that sampling.
 */

const ORDERS = 10_000;
const SMALL = 1_000;
const CONCURRENCY = 8;
const CLIENT = { clientId: 'bench-backfill-client', clientSecret: 'bench-backfill-client-secret' };

export interface BackfillRun {
  orders: number;
  ms: number;
  ordersPerSecond: number;
  writes: number;
  writesPerOrder: number;
  heapGrowthBytes: number;
  rssGrowthBytes: number;
  commands: Record<string, number>;
}

export interface ShopifyBackfillResult {
  floor: { puts: number; ms: number; putsPerSecond: number };
  /** Timed runs, without memory sampling. */
  large: BackfillRun;
  /** Memory runs (1,000 and 10,000 orders), sampled. */
  memorySmall: BackfillRun;
  memoryLarge: BackfillRun;
  speedRatio: number;
  memoryRatio: number;
  scans: number;
  speed: GoalCheck;
  writes: GoalCheck;
  memory: GoalCheck;
  noScan: GoalCheck;
}

/** Plain PutItems of items the size of a stored order, `concurrency` at a time: the emulator's put rate. */
async function putFloor(dynamo: DynamoDBClient, table: string, count: number, concurrency: number) {
  const padding = 'x'.repeat(1_800);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        await dynamo.send(
          new PutItemCommand({
            TableName: table,
            Item: { pk: { S: 'bench#floor' }, sk: { S: `put#${index}` }, body: { S: padding } },
          }),
        );
      }
    }),
  );
  const ms = performance.now() - started;
  return { puts: count, ms, putsPerSecond: (count / ms) * 1000 };
}

const run = promisify(execFile);

export async function benchShopifyBackfill(say: (line: string) => void = () => {}): Promise<ShopifyBackfillResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-backfill-'));
  const emulators = await startEmulators(dataDir);
  const fake = await startFakeShopify(CLIENT);
  try {
    const env = handlerEnvironment(dataDir, emulators.env);
    const platform = createPlatform(readConfig(env));
    const { keyring } = platform;
    const store = platform.storeOf({ ...TENANCY_RECORDS, ...SHOPIFY_CONNECTION_RECORDS });

    async function connect(tenantId: string, shopDomain: string, orders: number, from: number) {
      await createTenant({ store, keyring }, tenantId, `Bench ${tenantId}`);
      const accessToken = `shpat_${tenantId}_bench`;
      fake.state.accessTokens[accessToken] = {
        shop: shopDomain,
        scope: 'read_orders',
        expiresAt: Date.now() + 3_600_000,
      };
      await store.entities.shopConnection
        .put({
          tenantId,
          shopDomain,
          status: 'connected',
          scopes: 'read_customers,read_orders,read_products',
          ...sealShopTokens(await keyring.forTenant(tenantId), shopDomain, {
            accessToken,
            accessTokenExpiresAt: Date.now() + 3_600_000,
            refreshToken: `shprt_${tenantId}`,
            refreshTokenExpiresAt: Date.now() + 86_400_000,
            scopes: 'read_customers,read_orders,read_products',
          }),
          connectedAt: Date.now(),
        })
        .go();
      addFakeOrders(fake.state, shopDomain, orders, from);
    }

    /** One backfill in its own process (shopify-backfill-run.ts). */
    async function backfill(
      tenantId: string,
      shopDomain: string,
      orders: number,
      memory: boolean,
    ): Promise<BackfillRun> {
      const job = { env, fakeUrl: fake.url, client: CLIENT, tenantId, shopDomain, concurrency: CONCURRENCY, memory };
      const { stdout } = await run(
        process.execPath,
        [
          '--disable-warning=ExperimentalWarning',
          '--import',
          'tsx',
          'bench/shopify-backfill-run.ts',
          JSON.stringify(job),
        ],
        { cwd: REPO_ROOT, maxBuffer: 1024 * 1024 },
      );
      const measured = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
        status: string;
        ordersDone: number;
        ms: number;
        writes: number;
        commands: Record<string, number>;
        heapGrowthBytes: number;
        rssGrowthBytes: number;
      };
      if (measured.status !== 'done' || measured.ordersDone !== orders) {
        throw new Error(
          `backfill of ${shopDomain} ended ${measured.status} with ${measured.ordersDone} of ${orders} orders`,
        );
      }
      return {
        orders,
        ms: measured.ms,
        ordersPerSecond: (orders / measured.ms) * 1000,
        writes: measured.writes,
        writesPerOrder: measured.writes / orders,
        heapGrowthBytes: measured.heapGrowthBytes,
        rssGrowthBytes: measured.rssGrowthBytes,
        commands: measured.commands,
      };
    }

    const shops = {
      warm: ['bbackfillwarm', 'isinma-butik.myshopify.com', SMALL, 1] as const,
      large: ['bbackfilllarge', 'buyuk-butik.myshopify.com', ORDERS, 100_001] as const,
      memorySmall: ['bbackfillmemsmall', 'kucuk-butik.myshopify.com', SMALL, 200_001] as const,
      memoryLarge: ['bbackfillmemlarge', 'genis-butik.myshopify.com', ORDERS, 300_001] as const,
    };
    say(
      `   generating orders in the fake Shopify (${SMALL.toLocaleString('en')} and ${ORDERS.toLocaleString('en')}, twice)…`,
    );
    for (const [tenantId, shopDomain, orders, from] of Object.values(shops))
      await connect(tenantId, shopDomain, orders, from);

    say(`   floor: ${ORDERS.toLocaleString('en')} plain PutItems, ${CONCURRENCY} at a time…`);
    const floor = await putFloor(platform.aws.dynamo, platform.config.TABLE_NAME, ORDERS, CONCURRENCY);
    say(`   warm-up: ${SMALL.toLocaleString('en')} orders…`);
    await backfill(shops.warm[0], shops.warm[1], SMALL, false);
    say(`   timed: ${ORDERS.toLocaleString('en')} orders…`);
    const large = await backfill(shops.large[0], shops.large[1], ORDERS, false);
    say('   memory: 1,000 then 10,000 orders, live heap sampled…');
    const memorySmall = await backfill(shops.memorySmall[0], shops.memorySmall[1], SMALL, true);
    const memoryLarge = await backfill(shops.memoryLarge[0], shops.memoryLarge[1], ORDERS, true);

    const speedRatio = large.ordersPerSecond / floor.putsPerSecond;
    // A floor of 1 MB keeps a tiny small-run growth from making the ratio meaningless.
    const memoryRatio = memoryLarge.heapGrowthBytes / Math.max(memorySmall.heapGrowthBytes, 1024 * 1024);
    const scans = [large, memorySmall, memoryLarge].reduce((sum, one) => sum + (one.commands.ScanCommand ?? 0), 0);
    return {
      floor,
      large,
      memorySmall,
      memoryLarge,
      speedRatio,
      memoryRatio,
      scans,
      speed: check(ratioGoal('≥', 0.15, 'plain PutItems/s'), { ratio: speedRatio }),
      writes: check(valueGoal('≤', 1.1, 'writes/order'), { value: large.writesPerOrder }),
      memory: check(ratioGoal('≤', 1.5, `heap growth of ${SMALL.toLocaleString('en')} orders`), {
        ratio: memoryRatio,
      }),
      noScan: check(valueGoal('≤', 0, 'Scans'), { value: scans }),
    };
  } finally {
    await fake.stop();
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
