import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '@asistone/core/shopify/apply';
import { runBackfill } from '@asistone/core/shopify/backfill';
import { SHOPIFY_BACKFILL_RECORDS } from '@asistone/core/shopify/backfill-records';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { shopifyGraphql } from '@asistone/core/shopify/graphql';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { shopAccess } from '@asistone/core/shopify/tokens';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';

/**
 * One backfill in a process of its own, as the `shopify-backfill` worker runs in its Lambda:
 * the benchmark (shopify-backfill.ts) keeps the local DynamoDB and the fake Shopify in its own
 * process, so this process's memory is the backfill's alone. Reads its job from argv as JSON,
 * prints one JSON line with what it measured.
 */

interface Job {
  env: Record<string, string>;
  fakeUrl: string;
  client: { clientId: string; clientSecret: string };
  tenantId: string;
  shopDomain: string;
  concurrency: number;
  /** Sample the live heap (after a collection) every 100 ms; otherwise only time and commands. */
  memory: boolean;
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

async function main() {
  const job = JSON.parse(process.argv[2] as string) as Job;
  const platform = createPlatform(readConfig(job.env));
  const { keyring } = platform;
  const store = platform.storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_BACKFILL_RECORDS,
  });
  // Counted by name only: keeping the calls' inputs would weigh on the heap being measured.
  const commands: Record<string, number> = {};
  platform.aws.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      commands[name] = (commands[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'bench-count-commands', override: true },
  );
  // What is retained, not garbage awaiting collection: `npm run bench` starts Node without --expose-gc.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const applyDeps = { store, keyring };
  const deps = {
    store,
    shopify: shopifyGraphql({ shopBaseUrl: (shop: string) => `${job.fakeUrl}/${shop}` }),
    shopAccess: (id: string) => shopAccess({ store, keyring, settings: job.client }, id),
    apply: {
      customer: (id: string, customer: Parameters<typeof applyCustomer>[2]) => applyCustomer(applyDeps, id, customer),
      order: (id: string, order: Parameters<typeof applyOrder>[2]) => applyOrder(applyDeps, id, order),
      product: (id: string, product: Parameters<typeof applyProduct>[2]) => applyProduct(applyDeps, id, product),
      inventoryLevel: (id: string, level: Parameters<typeof applyInventoryLevel>[2]) =>
        applyInventoryLevel(applyDeps, id, level),
    },
    concurrency: job.concurrency,
    pollIntervalMs: 50,
  };
  // Warm the key and the connection before the baseline, as a warm Lambda has them.
  await shopAccess({ store, keyring, settings: job.client }, job.tenantId);
  gc();
  const start = process.memoryUsage();
  let heap = start.heapUsed;
  let rss = start.rss;
  const timer = job.memory
    ? setInterval(() => {
        gc();
        const now = process.memoryUsage();
        heap = Math.max(heap, now.heapUsed);
        rss = Math.max(rss, now.rss);
      }, 100)
    : undefined;
  const started = performance.now();
  const result = await runBackfill(deps, job.tenantId, job.shopDomain);
  const ms = performance.now() - started;
  clearInterval(timer);
  gc();
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  const writes = Object.entries(commands)
    .filter(([command]) => WRITE_COMMANDS.has(command))
    .reduce((sum, [, count]) => sum + count, 0);
  process.stdout.write(
    `${JSON.stringify({
      status: result.status,
      ordersDone: result.ordersDone,
      ms,
      writes,
      commands,
      heapGrowthBytes: heap - start.heapUsed,
      rssGrowthBytes: rss - start.rss,
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
