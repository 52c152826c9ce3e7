import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { fanOut } from '@asistone/core/campaigns/fanout';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { CAMPAIGN_PACE_RECORDS } from '@asistone/core/campaigns/pace';
import { sendBatch } from '@asistone/core/campaigns/send';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { createProducer, type QueueSink } from '@asistone/core/platform/queue/producer';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';

/**
 * One campaign step in a process of its own, as its worker runs in a Lambda: the benchmark
 * (campaign-pacing.ts) keeps the local DynamoDB and the fake Meta in its own process, so this
 * process's memory and CPU are the step's alone. Reads its job from argv as JSON, prints one JSON
 * line with what it measured.
 *
 * - `fanout`: the campaign's whole fan-out (`fanOut` until it reports done), with the live heap
 *   sampled after a collection when `memory` is set.
 * - `send`: the given send batches through `sendBatch`, `workers` at a time (the send queue's
 *   Lambda concurrency), each batch message delivered again when the step asks for it later.
 */

interface FanoutJob {
  mode: 'fanout';
  env: Record<string, string>;
  tenantId: string;
  campaignId: string;
  memory: boolean;
}

interface SendJob {
  mode: 'send';
  env: Record<string, string>;
  fakeUrl: string;
  tenantId: string;
  campaignId: string;
  batches: number[];
  /** Batches sent at once: the send queue's Lambda concurrency. */
  workers: number;
}

type Job = FanoutJob | SendJob;

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

function platformOf(env: Record<string, string>) {
  const platform = createPlatform(readConfig(env));
  const store = platform.storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...CAMPAIGN_RECORDS,
    ...CAMPAIGN_LIST_RECORDS,
    ...CAMPAIGN_SETTINGS_RECORDS,
    ...CAMPAIGN_PACE_RECORDS,
    ...AUDIT_RECORDS,
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
  return { platform, store, commands };
}

/** A queue that only counts what is sent to it, and keeps the send batches' numbers (the benchmark drives the steps itself). */
function countingSink() {
  const sent: Record<string, number> = {};
  const batches: number[] = [];
  const sink: QueueSink = {
    async send(queue, body) {
      sent[queue] = (sent[queue] ?? 0) + 1;
      if (queue === 'campaign-send') batches.push((JSON.parse(body) as { batch: number }).batch);
    },
    async sendBatch(queue, bodies) {
      sent[queue] = (sent[queue] ?? 0) + bodies.length;
      return { failed: [] };
    },
  };
  return { sink, sent, batches };
}

async function runFanout(job: FanoutJob) {
  const { platform, store, commands } = platformOf(job.env);
  const { sink, sent, batches } = countingSink();
  const deps = { store, keyring: platform.keyring, producer: createProducer(sink) };
  // Warm the business's key before the baseline, as a warm Lambda has it.
  await platform.keyring.forTenant(job.tenantId);
  // What is retained, not garbage awaiting collection: `npm run bench` starts Node without --expose-gc.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
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
      }, 250)
    : undefined;
  const started = performance.now();
  let created = 0;
  let runs = 0;
  for (;;) {
    runs++;
    const result = await fanOut(deps, { tenantId: job.tenantId, campaignId: job.campaignId });
    created += result.created;
    if (result.outcome !== 'continued') {
      if (result.outcome !== 'done') throw new Error(`fan-out ended ${result.outcome}`);
      break;
    }
  }
  const ms = performance.now() - started;
  clearInterval(timer);
  gc();
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  const writes = Object.entries(commands)
    .filter(([command]) => WRITE_COMMANDS.has(command))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    created,
    runs,
    ms,
    writes,
    commands,
    sendMessages: sent['campaign-send'] ?? 0,
    batches,
    heapGrowthBytes: heap - start.heapUsed,
    rssGrowthBytes: rss - start.rss,
  };
}

/**
 * Sends the batches, `workers` at a time, as the queue would deliver them: a batch the step queues
 * again (recipients released after a 130429, not yet due) is delivered again after its delay.
 */
async function runSend(job: SendJob) {
  const { platform, store, commands } = platformOf(job.env);
  const due: { batch: number; at: number }[] = job.batches.map((batch) => ({ batch, at: 0 }));
  const sink: QueueSink = {
    async send(queue, body, options) {
      if (queue !== 'campaign-send') return;
      const { batch } = JSON.parse(body) as { batch: number };
      due.push({ batch, at: Date.now() + (options?.delaySeconds ?? 0) * 1000 });
    },
    async sendBatch() {
      return { failed: [] };
    },
  };
  const warnings: Record<string, number> = {};
  const deps = {
    store,
    keyring: platform.keyring,
    graph: graphClient({ baseUrl: job.fakeUrl, instagramBaseUrl: `${job.fakeUrl}/instagram-graph` }),
    producer: createProducer(sink),
    log: {
      warn: (message: string) => {
        warnings[message] = (warnings[message] ?? 0) + 1;
      },
      info: () => {},
    },
  };
  await platform.keyring.forTenant(job.tenantId);
  const totals = { sent: 0, failed: 0, skipped: 0, unknown: 0, deliveries: 0, requeued: 0 };
  let busy = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.workers }, async () => {
      for (;;) {
        due.sort((a, b) => a.at - b.at);
        const next = due[0];
        if (!next) {
          if (busy === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
          continue;
        }
        if (next.at > Date.now()) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(50, next.at - Date.now())));
          continue;
        }
        due.shift();
        busy++;
        try {
          totals.deliveries++;
          if (next.at > 0) totals.requeued++;
          const result = await sendBatch(deps, {
            tenantId: job.tenantId,
            campaignId: job.campaignId,
            batch: next.batch,
          });
          totals.sent += result.sent;
          totals.failed += result.failed;
          totals.skipped += result.skipped;
          totals.unknown += result.unknown;
        } finally {
          busy--;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  return { ...totals, ms, commands, warnings };
}

async function main() {
  const job = JSON.parse(process.argv[2] as string) as Job;
  const measured = job.mode === 'fanout' ? await runFanout(job) : await runSend(job);
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
