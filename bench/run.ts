/**
 * `npm run bench`: field sealing, the Meta webhook receiver and every function's bundle, each
 * reported as a ratio to a floor measured in the same run (absolute numbers on a shared
 * 2-core machine say little). Writes the same figures to `bench/results/latest.json`.
 * A missed goal is reported, not failed: the exit code is 1 only when something could not be
 * measured.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleFailure, type BundleRow, benchBundles, REPO_ROOT } from './bundles.js';
import { benchWebhookHandler } from './handler.js';
import type { MeasureOptions } from './lib/measure.js';
import { num, ratio, table, verdict } from './lib/table.js';
import { benchSealing, type SealRow } from './seal.js';
import { benchWebhook, type WebhookRow } from './webhook.js';

const THROUGHPUT: MeasureOptions = { rounds: 7, roundMs: 150 };
const INIT_RUNS = 7;

const say = (text: string) => process.stdout.write(`${text}\n`);

function printSealing(rows: SealRow[]) {
  say('1. Field sealing vs raw AES-256-GCM (cached key, random IV, same plaintext)');
  say(
    table(
      ['operation', 'ops/s', 'floor ops/s', 'ratio', 'goal', ''],
      rows.map((row) => [
        row.name,
        num(row.subject.opsPerSecond),
        num(row.floor.opsPerSecond),
        ratio(row.speedRatio),
        row.goal,
        verdict(row.met),
      ]),
    ),
  );
}

function printWebhook(rows: WebhookRow[]) {
  say(`\n2. Meta webhook vs HMAC-SHA256 hex + JSON.parse (signed WhatsApp text, ${rows[0]!.bodyBytes} B)`);
  say(
    table(
      ['path', 'µs/call', 'floor µs/call', 'ratio', 'goal', ''],
      rows.map((row) => [
        row.name,
        num(row.subject.microsPerOp, 2),
        num(row.floor.microsPerOp, 2),
        ratio(row.timeRatio),
        row.goal ?? 'information',
        verdict(row.met),
      ]),
    ),
  );
  say(
    '   Lambda handler = functions/webhooks/meta.ts whole (middy, logger, producer, AWS SDK), AWS answered in memory.',
  );
}

function printBundles(floor: BundleRow, functions: BundleRow[], failures: BundleFailure[]) {
  say(
    `\n3. Bundles (stacks' esbuild options) and cold init, median of ${INIT_RUNS} fresh Node ${floor.node} processes`,
  );
  say("   init = process start → handler ready (the ratio's basis); import = the `await import(bundle)` part of it");
  say(
    table(
      ['function', 'size', 'import ms', 'init ms', 'ratio', '+ms vs empty', 'goal', '', 'largest parts'],
      [floor, ...functions].map((row) => [
        row.name,
        `${num(row.kb, 1)} KB`,
        num(row.importMs, 1),
        num(row.initMs, 1),
        ratio(row.ratio),
        num(row.addedMs, 1),
        row.goal ?? (row.kind === 'floor' ? 'floor' : 'report only'),
        verdict(row.met),
        row.largest.map((part) => `${part.part} ${num(part.bytes / 1024)}K`).join(', '),
      ]),
    ),
  );
  for (const row of functions.filter((fn) => fn.handler !== 'function' || fn.blocked.length > 0)) {
    say(
      `   ! ${row.name}: handler export is ${row.handler}; sockets tried during init: ${row.blocked.join(', ') || 'none'}`,
    );
  }
  for (const failure of failures) say(`   ! ${failure.name} could not be measured: ${failure.error}`);
}

async function main() {
  const startedAt = new Date();
  say(`Asistone bench — Node ${process.version}, ${cpus().length} CPUs, ${startedAt.toISOString()}`);
  say(
    `Throughput: ${THROUGHPUT.rounds} alternating rounds of ${THROUGHPUT.roundMs} ms; ratio = median of per-round ratios.\n`,
  );

  const sealing = await benchSealing(THROUGHPUT);
  printSealing(sealing);
  const webhook = [...(await benchWebhook(THROUGHPUT)), await benchWebhookHandler(THROUGHPUT)];
  printWebhook(webhook);

  const outDir = await mkdtemp(join(tmpdir(), 'asistone-bench-'));
  try {
    const { floor, functions, failures } = await benchBundles(outDir, INIT_RUNS);
    printBundles(floor, functions, failures);

    const results = {
      startedAt,
      node: process.version,
      cpus: cpus().length,
      throughput: THROUGHPUT,
      sealing,
      webhook,
      bundles: { runs: INIT_RUNS, floor, functions, failures },
    };
    await mkdir(join(REPO_ROOT, 'bench/results'), { recursive: true });
    await writeFile(join(REPO_ROOT, 'bench/results/latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    say(`\nWrote bench/results/latest.json in ${num((Date.now() - startedAt.getTime()) / 1000, 1)} s.`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
