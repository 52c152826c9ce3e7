/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [<name>...]` runs the named
 * ones (`npm run bench -- --help` lists them). Speeds are reported as ratios to a floor
 * measured in the same run (absolute numbers on a shared 2-core machine say little); sizes,
 * which do not vary by run, against absolute goals. Every figure line ends in `met` or
 * `MISSED`, and every figure goes to `bench/results/latest.json` with its floor, ratio and
 * goal; running some benchmarks keeps the others' latest figures there.
 *
 * A missed goal is reported, not failed: the exit code is 1 only when something could not be
 * measured, 2 when a name is unknown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeasureOptions } from './lib/measure.js';
import { REPO_ROOT } from './lib/paths.js';
import {
  check,
  type Figure,
  figure,
  figureTable,
  mergeResults,
  type RunRecord,
  ratioGoal,
  readResults,
  selectBenchmarks,
  valueGoal,
  writeResults,
} from './lib/report.js';
import { num, ratio } from './lib/table.js';

const THROUGHPUT: MeasureOptions = { rounds: 7, roundMs: 150 };
const INIT_RUNS = 7;
const RESULTS = join(REPO_ROOT, 'bench/results/latest.json');

const say = (text: string) => process.stdout.write(`${text}\n`);
const kb = (bytes: number) => `${num(bytes / 1024, 1)} KB`;

/** Breaks a long list after its commas, lines no wider than the tables. */
function wrap(text: string, indent: string, hanging: string, width = 110): string {
  const lines = [indent];
  for (const word of text.split(/(?<=, )/)) {
    if (lines.at(-1)!.length + word.length > width && lines.at(-1)!.trim()) lines.push(hanging);
    lines[lines.length - 1] += word;
  }
  return lines.map((line) => line.trimEnd()).join('\n');
}

/** What one benchmark measured: its figures, its raw rows, and what it could not measure. */
interface Outcome {
  figures: Figure[];
  details: unknown;
  errors: string[];
}

interface Benchmark {
  name: string;
  about: string;
  /** Prints its section and returns its figures. Loads its modules itself: one benchmark's imports cannot break another. */
  run(heading: string): Promise<Outcome>;
}

async function seal(heading: string): Promise<Outcome> {
  const { benchSealing } = await import('./seal.js');
  const rows = await benchSealing(THROUGHPUT);
  say(`${heading}: field sealing vs raw AES-256-GCM (cached key, random IV, same plaintext)`);
  say(
    figureTable(
      ['operation', 'ops/s', 'floor ops/s', 'ratio'],
      rows.map((row) => ({
        cells: [row.name, num(row.subject.opsPerSecond), num(row.floor.opsPerSecond), ratio(row.speedRatio)],
        check: row,
      })),
    ),
  );
  const figures = rows.map((row) =>
    figure({
      benchmark: 'seal',
      name: row.name,
      value: row.subject.opsPerSecond,
      unit: 'ops/s',
      floor: {
        name: `raw AES-256-GCM ${/open/i.test(row.name) ? 'decrypt' : 'encrypt'}`,
        value: row.floor.opsPerSecond,
        unit: 'ops/s',
      },
      ratio: row.speedRatio,
      goal: row.goal,
    }),
  );
  return { figures, details: rows, errors: [] };
}

async function webhook(heading: string): Promise<Outcome> {
  const { benchWebhook } = await import('./webhook.js');
  const { benchWebhookHandler } = await import('./handler.js');
  const rows = [...(await benchWebhook(THROUGHPUT)), await benchWebhookHandler(THROUGHPUT)];
  say(`${heading}: Meta webhook vs HMAC-SHA256 hex + JSON.parse (signed WhatsApp text, ${rows[0]!.bodyBytes} B)`);
  say(
    figureTable(
      ['path', 'µs/call', 'floor µs/call', 'ratio'],
      rows.map((row) => ({
        cells: [row.name, num(row.subject.microsPerOp, 2), num(row.floor.microsPerOp, 2), ratio(row.timeRatio)],
        check: row,
      })),
    ),
  );
  say(
    '   Lambda handler = functions/webhooks/meta.ts whole (middy, logger, producer, AWS SDK), AWS answered in memory.',
  );
  const figures = rows.map((row) =>
    figure({
      benchmark: 'webhook',
      name: row.name,
      value: row.subject.microsPerOp,
      unit: 'µs/call',
      floor: { name: 'HMAC-SHA256 hex + JSON.parse', value: row.floor.microsPerOp, unit: 'µs/call' },
      ratio: row.timeRatio,
      goal: row.goal,
    }),
  );
  return { figures, details: rows, errors: [] };
}

async function bundles(heading: string): Promise<Outcome> {
  const { benchBundles } = await import('./bundles.js');
  const outDir = await mkdtemp(join(tmpdir(), 'asistone-bench-'));
  try {
    const { floor, functions, failures } = await benchBundles(outDir, INIT_RUNS);
    say(`${heading}: function bundles (the stacks' esbuild options) and their cold init`);
    say(
      `   floor: an empty handler bundled the same way, ${kb(floor.bytes)}, init ${num(floor.initMs, 1)} ms ` +
        `(median of ${INIT_RUNS} fresh Node ${floor.node} processes, as every init below)`,
    );
    say(
      figureTable(
        ['function', 'size', 'loaded at init', 'largest parts'],
        functions.map((row) => ({
          cells: [
            row.name,
            kb(row.bytes),
            kb(row.initBytes),
            row.largest.map((part) => `${part.part} ${num(part.bytes / 1024)}K`).join(', '),
          ],
          check: row.sizeCheck,
        })),
      ),
    );
    say(
      "\n   init = process start → handler ready (the ratio's basis); import = the `await import(bundle)` part of it",
    );
    say(
      figureTable(
        ['function', 'import ms', 'init ms', 'ratio', '+ms vs empty'],
        functions.map((row) => ({
          cells: [row.name, num(row.importMs, 1), num(row.initMs, 1), ratio(row.ratio), num(row.addedMs, 1)],
          check: row.initCheck,
        })),
      ),
    );
    for (const row of functions.filter((fn) => fn.handler !== 'function' || fn.blocked.length > 0)) {
      say(
        `   ! ${row.name}: handler export is ${row.handler}; sockets tried during init: ${row.blocked.join(', ') || 'none'}`,
      );
    }
    for (const failure of failures) say(`   ! ${failure.name} could not be measured: ${failure.error}`);
    const figures = functions.flatMap((row) => [
      figure({
        benchmark: 'bundles',
        name: `${row.name} size`,
        value: row.kb,
        unit: 'KB',
        floor: null,
        ratio: null,
        goal: row.sizeCheck.goal,
      }),
      figure({
        benchmark: 'bundles',
        name: `${row.name} cold init`,
        value: row.initMs,
        unit: 'ms',
        floor: { name: 'empty handler init', value: floor.initMs, unit: 'ms' },
        ratio: row.ratio,
        goal: row.initCheck.goal,
      }),
    ]);
    return {
      figures,
      details: { runs: INIT_RUNS, floor, functions, failures },
      errors: failures.map((failure) => `${failure.name}: ${failure.error}`),
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

async function firstPage(heading: string): Promise<Outcome> {
  const { benchFirstPage } = await import('./first-page.js');
  const page = await benchFirstPage();
  say(`${heading}: what the web app's index.html has a first visit download before any page's own code`);
  say(`   measured: ${page.build}; gzip at zlib's default level; KB = 1,024 bytes`);
  say(
    figureTable(
      ['figure', 'files', 'size', 'gzip'],
      [
        {
          cells: ['first-page JS', String(page.scripts.length), kb(page.js.bytes), kb(page.js.gzipBytes)],
          check: page.js.check,
        },
        {
          cells: ['first-page CSS', String(page.styles.length), kb(page.css.bytes), kb(page.css.gzipBytes)],
          check: page.css.check,
        },
      ],
    ),
  );
  const [entry, ...preloads] = page.scripts;
  const list = (assets: { file: string; gzipBytes: number }[]) =>
    assets.map((asset) => `${asset.file} ${kb(asset.gzipBytes)}`).join(', ') || 'none';
  say(wrap(`JS: entry ${list([entry!])}; preloaded ${list(preloads)}`, '   ', '       '));
  say(wrap(`CSS: ${list(page.styles)}`, '   ', '       '));
  const figures = [
    figure({
      benchmark: 'first-page',
      name: 'first-page JS (entry + modulepreload, gzip)',
      value: page.js.gzipBytes / 1024,
      unit: 'KB gzip',
      floor: null,
      ratio: null,
      goal: page.js.check.goal,
    }),
    figure({
      benchmark: 'first-page',
      name: 'first-page CSS (stylesheets, gzip)',
      value: page.css.gzipBytes / 1024,
      unit: 'KB gzip',
      floor: null,
      ratio: null,
      goal: page.css.check.goal,
    }),
  ];
  return { figures, details: page, errors: [] };
}

async function inboxAck(heading: string): Promise<Outcome> {
  const { benchInboxAck } = await import('./inbox-ack.js');
  const result = await benchInboxAck(THROUGHPUT, INIT_RUNS);
  const { ack, coldInit, writes } = result;
  say(`${heading}: the inbox's Meta webhook acknowledgement, its cold init, and storage writes per message`);
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `acknowledgement (${ack.bodyBytes} B delivery)`,
            `${num(ack.subject.microsPerOp, 2)} µs`,
            `${num(ack.floor.microsPerOp, 2)} µs`,
            ratio(ack.timeRatio),
          ],
          check: ack,
        },
        {
          cells: [
            'webhook cold init',
            `${num(coldInit.webhookMs, 1)} ms`,
            `${num(coldInit.emptyMs, 1)} ms`,
            ratio(coldInit.ratio),
          ],
          check: coldInit,
        },
        {
          cells: [`DynamoDB writes per new message (${writes.messages})`, num(writes.perMessage, 2), '–', '–'],
          check: writes,
        },
      ],
    ),
  );
  say(
    '   acknowledgement = signature, object check, base64 envelope, queue-message validation; floor = HMAC-SHA256 hex + JSON.parse',
  );
  say(
    `   cold init: median of ${coldInit.runs} fresh processes each, alternating with an empty handler bundled the same way`,
  );
  say(
    `   per message: ${num(writes.readsPerMessage, 2)} reads; commands ${Object.entries(writes.commands)
      .map(([command, count]) => `${command.replace('Command', '')} ${count}`)
      .join(', ')}`,
  );
  const figures = [
    figure({
      benchmark: 'inbox-ack',
      name: 'acknowledgement',
      value: ack.subject.microsPerOp,
      unit: 'µs/call',
      floor: { name: 'HMAC-SHA256 hex + JSON.parse', value: ack.floor.microsPerOp, unit: 'µs/call' },
      ratio: ack.timeRatio,
      goal: ack.goal,
    }),
    figure({
      benchmark: 'inbox-ack',
      name: 'webhook cold init',
      value: coldInit.webhookMs,
      unit: 'ms',
      floor: { name: 'empty handler init', value: coldInit.emptyMs, unit: 'ms' },
      ratio: coldInit.ratio,
      goal: coldInit.goal,
    }),
    figure({
      benchmark: 'inbox-ack',
      name: 'storage writes per inbound message',
      value: writes.perMessage,
      unit: 'writes',
      floor: null,
      ratio: null,
      goal: writes.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function inboxLoad(heading: string): Promise<Outcome> {
  const { benchInboxLoad } = await import('./inbox-load.js');
  // `INBOX_LOAD_DELIVERIES` shortens a trial run; the figures reported are for 10,000.
  const load = await benchInboxLoad(Number(process.env.INBOX_LOAD_DELIVERIES ?? 10_000));
  say(
    `${heading}: ${num(load.deliveries)} signed deliveries (+${num(load.redeliveries)} redelivered) to npm start's ` +
      `/webhooks/meta, ${load.concurrency} at a time, until stored (${num(load.seconds, 1)} s)`,
  );
  const exact = (value: number) => check(valueGoal('≤', 0, 'messages'), { value });
  // A stored message is 3 writes and 3 reads, and the queue's send, receive, delete and
  // settlement, all in the one process `npm start` is: a tenth of the plain put rate is what
  // that work allows without waste.
  const throughput = check(ratioGoal('≥', 0.1, 'local DynamoDB puts/s'), { ratio: load.ratio });
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        { cells: ['lost', num(load.lost), '–', '–'], check: exact(load.lost) },
        { cells: ['doubled', num(load.doubled), '–', '–'], check: exact(load.doubled) },
        {
          cells: [
            'stored messages/s',
            num(load.storedPerSecond, 1),
            `${num(load.putsPerSecond, 1)} puts/s`,
            ratio(load.ratio),
          ],
          check: throughput,
        },
      ],
    ),
  );
  say(
    `   acknowledgement as the senders saw it: p50 ${num(load.ackP50Ms, 1)} ms, p99 ${num(load.ackP99Ms, 1)} ms; ` +
      `answers other than 200: ${load.non200}; dead letters: ${load.deadLetters}; stored ${num(load.stored)}`,
  );
  const figures = [
    figure({
      benchmark: 'inbox-load',
      name: 'lost',
      value: load.lost,
      unit: 'messages',
      floor: null,
      ratio: null,
      goal: exact(load.lost).goal,
    }),
    figure({
      benchmark: 'inbox-load',
      name: 'doubled',
      value: load.doubled,
      unit: 'messages',
      floor: null,
      ratio: null,
      goal: exact(load.doubled).goal,
    }),
    figure({
      benchmark: 'inbox-load',
      name: 'stored messages per second',
      value: load.storedPerSecond,
      unit: 'messages/s',
      floor: { name: 'local DynamoDB plain puts', value: load.putsPerSecond, unit: 'puts/s' },
      ratio: load.ratio,
      goal: throughput.goal,
    }),
  ];
  return { figures, details: load, errors: [] };
}

async function tenantPurge(heading: string): Promise<Outcome> {
  const { benchTenantPurge } = await import('./tenant-purge.js');
  say(`${heading}: purging a ${num(5_000)}-item business beside 20,000, then 100,000 items of others`);
  const result = await benchTenantPurge(say);
  const [small, large] = result.sizes;
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `purge of ${num(result.businessItems)} items beside ${num(large!.others)}`,
            `${num(large!.medianMs, 0)} ms`,
            `${num(small!.medianMs, 0)} ms beside ${num(small!.others)}`,
            ratio(result.ratio),
          ],
          check: result.check,
        },
        {
          cells: ['Scan commands in every purge', num(result.scans), '–', '–'],
          check: check(valueGoal('≤', 0, 'Scans'), { value: result.scans }),
        },
      ],
    ),
  );
  say(
    `   median of ${small!.purgeMs.length} purges each after a warm-up (ms): ${result.sizes.map((size) => `${num(size.others)} others: ${size.purgeMs.map((ms) => num(ms, 0)).join(', ')}`).join('; ')}`,
  );
  say(
    `   commands: ${Object.entries(result.commands)
      .map(([command, count]) => `${command.replace('Command', '')} ${count}`)
      .join(', ')}`,
  );
  const figures = [
    figure({
      benchmark: 'tenant-purge',
      name: 'purge time beside 100,000 items',
      value: large!.medianMs,
      unit: 'ms',
      floor: { name: 'the same purge beside 20,000 items', value: small!.medianMs, unit: 'ms' },
      ratio: result.ratio,
      goal: result.check.goal,
    }),
    figure({
      benchmark: 'tenant-purge',
      name: 'Scan commands',
      value: result.scans,
      unit: 'Scans',
      floor: null,
      ratio: null,
      goal: valueGoal('≤', 0, 'Scans'),
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function shopifyBackfill(heading: string): Promise<Outcome> {
  const { benchShopifyBackfill } = await import('./shopify-backfill.js');
  say(
    `${heading}: a first connect's backfill of 10,000 orders from the fake Shopify's bulk JSONL into a fresh local DynamoDB`,
  );
  const result = await benchShopifyBackfill(say);
  const { floor, large, memorySmall, memoryLarge } = result;
  const mb = (bytes: number) => `${num(bytes / (1024 * 1024), 1)} MB`;
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `orders/s (${num(large.orders)} orders)`,
            num(large.ordersPerSecond, 0),
            `${num(floor.putsPerSecond, 0)} plain PutItems/s`,
            ratio(result.speedRatio),
          ],
          check: result.speed,
        },
        {
          cells: ['storage writes per order', num(large.writesPerOrder, 3), '1 (its own put)', '–'],
          check: result.writes,
        },
        {
          cells: [
            `live heap growth while streaming ${num(memoryLarge.orders)} orders`,
            mb(memoryLarge.heapGrowthBytes),
            `${mb(memorySmall.heapGrowthBytes)} for ${num(memorySmall.orders)}`,
            ratio(result.memoryRatio),
          ],
          check: result.memory,
        },
        {
          cells: ['Scan commands', num(result.scans), '–', '–'],
          check: result.noScan,
        },
      ],
    ),
  );
  say(
    `   each backfill in its own process; timed run ${num(large.ms / 1000, 1)} s; peak RSS growth ` +
      `+${mb(memorySmall.rssGrowthBytes)} (${num(memorySmall.orders)} orders), +${mb(memoryLarge.rssGrowthBytes)} (${num(memoryLarge.orders)})`,
  );
  say(
    `   commands (${num(large.orders)} orders): ${Object.entries(large.commands)
      .map(([command, count]) => `${command.replace('Command', '')} ${count}`)
      .join(', ')}`,
  );
  const figures = [
    figure({
      benchmark: 'shopify-backfill',
      name: 'orders backfilled per second',
      value: large.ordersPerSecond,
      unit: 'orders/s',
      floor: { name: 'plain PutItems to the same local DynamoDB', value: floor.putsPerSecond, unit: 'puts/s' },
      ratio: result.speedRatio,
      goal: result.speed.goal,
    }),
    figure({
      benchmark: 'shopify-backfill',
      name: 'storage writes per order',
      value: large.writesPerOrder,
      unit: 'writes/order',
      floor: null,
      ratio: null,
      goal: result.writes.goal,
    }),
    figure({
      benchmark: 'shopify-backfill',
      name: 'heap growth while streaming 10,000 orders',
      value: memoryLarge.heapGrowthBytes,
      unit: 'bytes',
      floor: { name: 'heap growth while streaming 1,000 orders', value: memorySmall.heapGrowthBytes, unit: 'bytes' },
      ratio: result.memoryRatio,
      goal: result.memory.goal,
    }),
    figure({
      benchmark: 'shopify-backfill',
      name: 'Scan commands',
      value: result.scans,
      unit: 'Scans',
      floor: null,
      ratio: null,
      goal: result.noScan.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function campaignPacing(heading: string): Promise<Outcome> {
  const { benchCampaignPacing } = await import('./campaign-pacing.js');
  say(
    `${heading}: a WhatsApp campaign's fan-out of 100,000 members and its sends at 80 and 1,000 a second, against the fake Meta and a fresh local DynamoDB`,
  );
  const result = await benchCampaignPacing(say);
  const { floor, fanoutSmall, fanoutLarge, paced, fast } = result;
  const mb = (bytes: number) => `${num(bytes / (1024 * 1024), 1)} MB`;
  const putsFloor = `${num(floor.putsPerSecond, 0)} plain PutItems/s`;
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `fan-out: recipients/s (${num(fanoutLarge.created)} members, ${num(fanoutLarge.ms / 1000, 1)} s)`,
            num(fanoutLarge.recipientsPerSecond, 0),
            putsFloor,
            ratio(result.fanoutSpeedRatio),
          ],
          check: result.fanoutSpeed,
        },
        {
          cells: [
            `fan-out: live heap growth for ${num(fanoutLarge.created)} members`,
            mb(fanoutLarge.heapGrowthBytes),
            `${mb(fanoutSmall.heapGrowthBytes)} for ${num(fanoutSmall.created)}`,
            ratio(result.memoryRatio),
          ],
          check: result.memory,
        },
        {
          cells: [
            `send rate at 80/s, not under (${num(paced.accepted)} recipients)`,
            `${num(paced.messagesPerSecond, 1)}/s`,
            '80/s configured',
            ratio(result.pacedRatio),
          ],
          check: result.pacedNotUnder,
        },
        {
          cells: [
            `send rate at 80/s, not over (${num(paced.accepted)} recipients)`,
            `${num(paced.messagesPerSecond, 1)}/s`,
            '80/s configured',
            ratio(result.pacedRatio),
          ],
          check: result.pacedNotOver,
        },
        {
          cells: [
            `sustained send rate, rate 1,000, WhatsApp unlimited (${num(fast.accepted)} recipients)`,
            `${num(fast.messagesPerSecond, 1)}/s`,
            putsFloor,
            ratio(result.fastRatio),
          ],
          check: result.fastSpeed,
        },
      ],
    ),
  );
  const writesPerSend = (run: typeof paced) =>
    ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].reduce((sum, c) => sum + (run.commands[c] ?? 0), 0) /
    run.accepted;
  say(
    `   at 80/s: ${num(paced.throttled)} sends refused with 130429, ${num(paced.requeued)} batches queued again by the step; ` +
      `writes per send ${num(writesPerSend(paced), 1)} (80/s), ${num(writesPerSend(fast), 1)} (1,000/s); ` +
      `fan-out writes per recipient ${num(fanoutLarge.writes / fanoutLarge.created, 2)}`,
  );
  const figures = [
    figure({
      benchmark: 'campaign-pacing',
      name: 'fan-out recipients per second (100,000 members)',
      value: fanoutLarge.recipientsPerSecond,
      unit: 'recipients/s',
      floor: { name: 'plain PutItems to the same local DynamoDB', value: floor.putsPerSecond, unit: 'puts/s' },
      ratio: result.fanoutSpeedRatio,
      goal: result.fanoutSpeed.goal,
    }),
    figure({
      benchmark: 'campaign-pacing',
      name: 'fan-out heap growth for 100,000 members',
      value: fanoutLarge.heapGrowthBytes,
      unit: 'bytes',
      floor: { name: 'fan-out heap growth for 10,000 members', value: fanoutSmall.heapGrowthBytes, unit: 'bytes' },
      ratio: result.memoryRatio,
      goal: result.memory.goal,
    }),
    ...[result.pacedNotUnder, result.pacedNotOver].map((goal, index) =>
      figure({
        benchmark: 'campaign-pacing',
        name: `send rate at the configured 80/s (${index === 0 ? 'not under' : 'not over'})`,
        value: paced.messagesPerSecond,
        unit: 'messages/s',
        floor: { name: 'configured rate', value: paced.rate, unit: 'messages/s' },
        ratio: result.pacedRatio,
        goal: goal.goal,
      }),
    ),
    figure({
      benchmark: 'campaign-pacing',
      name: 'sustained send rate with the rate set to 1,000',
      value: fast.messagesPerSecond,
      unit: 'messages/s',
      floor: { name: 'plain PutItems to the same local DynamoDB', value: floor.putsPerSecond, unit: 'puts/s' },
      ratio: result.fastRatio,
      goal: result.fastSpeed.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

/** Every benchmark, in the order `npm run bench` runs them. */
async function aiReply(heading: string): Promise<Outcome> {
  const { benchAiReply } = await import('./ai-reply.js');
  const result = await benchAiReply();
  say(`${heading}: the AI agent's own time per reply (model answering instantly), vs one store query`);
  say(
    figureTable(
      ['figure', 'p50', 'p99', 'floor p50', 'ratio'],
      [
        {
          cells: [
            `agent overhead per reply (${result.replies} replies)`,
            `${num(result.p50Ms, 1)} ms`,
            `${num(result.p99Ms, 1)} ms`,
            `${num(result.floorP50Ms, 2)} ms`,
            ratio(result.ratio),
          ],
          check: result,
        },
      ],
    ),
  );
  const figures = [
    figure({
      benchmark: 'ai-reply',
      name: 'agent overhead per reply (p50)',
      value: result.p50Ms,
      unit: 'ms',
      floor: { name: 'one store query (GetItem) p50', value: result.floorP50Ms, unit: 'ms' },
      ratio: result.ratio,
      goal: result.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function cartDetection(heading: string): Promise<Outcome> {
  const { benchCartDetection } = await import('./cart-detection.js');
  say(
    `${heading}: the abandoned-cart detection run over 10,000 then 100,000 waiting carts (1% due), each in a fresh local DynamoDB`,
  );
  const result = await benchCartDetection(say);
  const [small, large] = result.sizes;
  const carts = (size: typeof small) => `${num(size.carts)} carts, ${num(size.due)} due`;
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `items read per due cart (${carts(large)})`,
            `${num(result.itemsPerDue, 2)} (${num(large.itemsRead)} items)`,
            '1 per due cart',
            '–',
          ],
          check: result.readsPerDue,
        },
        {
          cells: [`Query commands (${carts(large)})`, num(large.queries), '–', '–'],
          check: result.queryCount,
        },
        {
          cells: [
            `items read at ${num(large.carts)} carts`,
            num(large.itemsRead),
            `${num(small.itemsRead)} at ${num(small.carts)}`,
            ratio(result.readRatio),
          ],
          check: result.readGrowth,
        },
        {
          cells: [
            `time per due cart at ${num(large.carts)} carts`,
            `${num(large.msPerDue, 3)} ms`,
            `${num(small.msPerDue, 3)} ms at ${num(small.carts)}`,
            ratio(result.timeRatio),
          ],
          check: result.flatTime,
        },
        {
          cells: [
            `due carts not queued exactly once (${large.runs.length + 1} runs per size)`,
            num(result.faults),
            '–',
            '–',
          ],
          check: result.queuedOnce,
        },
      ],
    ),
  );
  for (const size of result.sizes) {
    say(
      `   ${num(size.carts)} carts (seeded in ${num(size.seedSeconds, 1)} s): runs ${size.runs.map((one) => num(one.ms, 0)).join(', ')} ms, ` +
        `median ${num(size.medianMs, 0)} ms; per run ${num(size.queries)} Queries reading ${num(size.itemsRead)} items ` +
        `(${num(size.itemsReturned)} returned), ${num(size.updates)} UpdateItems, ${num(size.runs[0]!.messages)} queued`,
    );
  }
  say('   each size: one warm-up run, then timed runs, each after the due carts are put back as they were');
  const figures = [
    figure({
      benchmark: 'cart-detection',
      name: 'items read per due cart (100,000 carts, 1,000 due)',
      value: result.itemsPerDue,
      unit: 'items/due cart',
      floor: null,
      ratio: null,
      goal: result.readsPerDue.goal,
    }),
    figure({
      benchmark: 'cart-detection',
      name: 'Query commands (100,000 carts, 1,000 due)',
      value: large.queries,
      unit: 'Queries',
      floor: null,
      ratio: null,
      goal: result.queryCount.goal,
    }),
    figure({
      benchmark: 'cart-detection',
      name: 'items read at 100,000 carts',
      value: large.itemsRead,
      unit: 'items',
      floor: { name: 'items read at 10,000 carts', value: small.itemsRead, unit: 'items' },
      ratio: result.readRatio,
      goal: result.readGrowth.goal,
    }),
    figure({
      benchmark: 'cart-detection',
      name: 'time per due cart at 100,000 carts',
      value: large.msPerDue,
      unit: 'ms/due cart',
      floor: { name: 'time per due cart at 10,000 carts', value: small.msPerDue, unit: 'ms/due cart' },
      ratio: result.timeRatio,
      goal: result.flatTime.goal,
    }),
    figure({
      benchmark: 'cart-detection',
      name: 'due carts not queued exactly once',
      value: result.faults,
      unit: 'carts',
      floor: null,
      ratio: null,
      goal: result.queuedOnce.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function stockLookup(heading: string): Promise<Outcome> {
  const { benchStockLookup } = await import('./stock-lookup.js');
  say(`${heading}: one variant's stock after 10 and after 10,000 ledger entries, in a fresh local DynamoDB`);
  const result = await benchStockLookup(say);
  const [small, large] = result.sizes;
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      [
        {
          cells: [
            `items read per stock lookup (${num(large.entries)} entries)`,
            num(large.itemsPerLookup, 2),
            '1 item',
            '–',
          ],
          check: result.readsPerLookup,
        },
        {
          cells: [
            `items read per lookup at ${num(large.entries)} entries`,
            num(large.itemsPerLookup, 2),
            `${num(small.itemsPerLookup, 2)} at ${num(small.entries)}`,
            ratio(result.readRatio),
          ],
          check: result.flatReads,
        },
        {
          cells: [
            `time per lookup at ${num(large.entries)} entries`,
            `${num(large.msPerLookup, 3)} ms`,
            `${num(small.msPerLookup, 3)} ms at ${num(small.entries)}`,
            ratio(result.timeRatio),
          ],
          check: result.flatTime,
        },
        {
          cells: ['ledgers whose stock is not the sum of their changes', num(result.faults), '–', '–'],
          check: result.balanced,
        },
      ],
    ),
  );
  for (const size of result.sizes) {
    say(
      `   ${num(size.entries)} entries (written in ${num(size.seedSeconds, 1)} s): stock ${num(size.stock)} = sum ${num(size.sum)}; ` +
        `the level read by GetItem ${num(size.getItemsPerLookup, 2)} per lookup`,
    );
  }
  const figures = [
    figure({
      benchmark: 'stock-lookup',
      name: 'items read per stock lookup (10,000 entries)',
      value: large.itemsPerLookup,
      unit: 'items/lookup',
      floor: null,
      ratio: null,
      goal: result.readsPerLookup.goal,
    }),
    figure({
      benchmark: 'stock-lookup',
      name: 'items read per lookup at 10,000 entries',
      value: large.itemsPerLookup,
      unit: 'items/lookup',
      floor: { name: 'items read per lookup at 10 entries', value: small.itemsPerLookup, unit: 'items/lookup' },
      ratio: result.readRatio,
      goal: result.flatReads.goal,
    }),
    figure({
      benchmark: 'stock-lookup',
      name: 'time per lookup at 10,000 entries',
      value: large.msPerLookup,
      unit: 'ms',
      floor: { name: 'time per lookup at 10 entries', value: small.msPerLookup, unit: 'ms' },
      ratio: result.timeRatio,
      goal: result.flatTime.goal,
    }),
    figure({
      benchmark: 'stock-lookup',
      name: 'ledgers whose stock is not the sum of their changes',
      value: result.faults,
      unit: 'ledgers',
      floor: null,
      ratio: null,
      goal: result.balanced.goal,
    }),
  ];
  return { figures, details: result, errors: [] };
}

async function costInputs(heading: string): Promise<Outcome> {
  const { benchCostInputs } = await import('./cost-inputs.js');
  say(`${heading}: the inputs of the AWS bill per inbound message, reply, campaign recipient and inbox poll`);
  const result = await benchCostInputs(say);
  say(
    figureTable(
      ['figure', 'measured', 'floor', 'ratio'],
      result.rows.map((row) => ({
        cells: [row.figure.name, row.measured, row.floor, row.figure.ratio === null ? '–' : ratio(row.figure.ratio)],
        check: { goal: row.figure.goal, met: row.figure.met },
      })),
    ),
  );
  for (const [path, functions] of Object.entries(result.perUnit)) {
    for (const [fn, used] of Object.entries(functions)) {
      const requests = Object.entries(used.requests)
        .map(([name, n]) => `${name} ${num(n, 2)}`)
        .join(', ');
      say(
        wrap(
          `${path} · ${fn}: ${num(used.invocations, 2)} invocations, ${num(used.msPerUnit, 2)} ms, ` +
            `WRU ${num(used.writeUnits, 2)} + index ${num(used.indexWriteUnits, 2)}, RRU ${num(used.readUnits, 2)}, ` +
            `log ${num(used.logBytes, 0)} B; ${requests}`,
          '   ',
          '       ',
        ),
      );
    }
  }
  const { run } = result;
  say(
    `   storage added: inbound ${run.storage.inbound.itemsAdded} items for ${run.counts.messages} messages, ` +
      `reply ${run.storage.reply.itemsAdded} for ${run.counts.replies}, campaign ${run.storage.campaign.itemsAdded} for ${run.counts.recipients}; ` +
      `status webhooks: reply ${run.counts.statuses.reply}, campaign ${run.counts.statuses.campaign}`,
  );
  return { figures: result.rows.map((row) => row.figure), details: { ...run, perUnit: result.perUnit }, errors: [] };
}

const BENCHMARKS: readonly Benchmark[] = [
  { name: 'seal', about: 'field sealing and opening vs raw AES-256-GCM', run: seal },
  { name: 'webhook', about: "the Meta webhook's receiver and Lambda handler vs HMAC + JSON.parse", run: webhook },
  { name: 'bundles', about: "every function's bundle size, and its cold init vs an empty handler", run: bundles },
  {
    name: 'inbox-ack',
    about: "the Meta webhook's acknowledgement and cold init vs their floors, and storage writes per message",
    run: inboxAck,
  },
  {
    name: 'inbox-load',
    about: '10,000 signed deliveries through npm start: none lost or doubled, ack p50/p99, messages stored per second',
    run: inboxLoad,
  },
  { name: 'first-page', about: "the JavaScript and CSS the web app's first page downloads (gzip)", run: firstPage },
  {
    name: 'tenant-purge',
    about: 'a 5,000-item business purged beside 20,000 then 100,000 items of others: time ratio, no Scan',
    run: tenantPurge,
  },
  {
    name: 'shopify-backfill',
    about: "10,000 orders from the fake Shopify's bulk JSONL: orders/s vs plain puts, writes per order, flat memory",
    run: shopifyBackfill,
  },
  {
    name: 'campaign-pacing',
    about:
      "a campaign's fan-out of 100,000 members (speed, flat memory) and its send rate at 80/s and at 1,000/s, vs plain puts",
    run: campaignPacing,
  },
  {
    name: 'ai-reply',
    about:
      "the AI agent's own time per reply (context, tools, checks, reply) without the model: p50/p99 vs one store query",
    run: aiReply,
  },
  {
    name: 'cart-detection',
    about:
      'the abandoned-cart detection run over 10,000 and 100,000 carts (1% due): reads and time follow the due carts',
    run: cartDetection,
  },
  {
    name: 'stock-lookup',
    about: "one variant's stock after 10 and 10,000 ledger entries: items read and time per lookup stay flat",
    run: stockLookup,
  },
  {
    name: 'cost-inputs',
    about:
      'the inputs of the AWS bill per inbound message, reply, campaign recipient and inbox poll on the real handlers: time, DynamoDB units, SQS, S3, KMS, storage, log bytes, memory',
    run: costInputs,
  },
];

function listing(): string {
  const width = Math.max(...BENCHMARKS.map((benchmark) => benchmark.name.length));
  return BENCHMARKS.map((benchmark) => `  ${benchmark.name.padEnd(width)}  ${benchmark.about}`).join('\n');
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n')[0]!;

async function main(args: string[]) {
  if (args.some((arg) => arg === '--help' || arg === '-h')) {
    say(`npm run bench [-- <name>...]: runs every benchmark, or the named ones.\n\n${listing()}`);
    return;
  }
  const names = BENCHMARKS.map((benchmark) => benchmark.name);
  const { selected, unknown } = selectBenchmarks(names, args);
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown benchmark ${unknown.map((name) => `"${name}"`).join(', ')}. The benchmarks are:\n${listing()}\n` +
        'Run one with `npm run bench -- <name>`, all with `npm run bench`.\n',
    );
    process.exitCode = 2;
    return;
  }

  const startedAt = new Date();
  say(`Asistone bench — Node ${process.version}, ${cpus().length} CPUs, ${startedAt.toISOString()}`);
  if (selected.includes('seal') || selected.includes('webhook')) {
    say(
      `Throughput: ${THROUGHPUT.rounds} alternating rounds of ${THROUGHPUT.roundMs} ms; ratio = median of per-round ratios.`,
    );
  }

  const figures: Figure[] = [];
  const runs: Record<string, RunRecord> = {};
  const details: Record<string, unknown> = {};
  for (const benchmark of BENCHMARKS.filter((candidate) => selected.includes(candidate.name))) {
    const started = new Date();
    say('');
    let outcome: Outcome;
    try {
      outcome = await benchmark.run(`${names.indexOf(benchmark.name) + 1}. ${benchmark.name}`);
    } catch (error) {
      say(`${names.indexOf(benchmark.name) + 1}. ${benchmark.name}: could not be measured: ${firstLine(error)}`);
      outcome = { figures: [], details: null, errors: [firstLine(error)] };
    }
    figures.push(...outcome.figures);
    details[benchmark.name] = outcome.details;
    runs[benchmark.name] = {
      startedAt: started.toISOString(),
      seconds: (Date.now() - started.getTime()) / 1000,
      node: process.version,
      cpus: cpus().length,
      errors: outcome.errors,
    };
  }

  await writeResults(RESULTS, mergeResults(await readResults(RESULTS), { figures, runs, details }, new Date()));
  const missed = figures.filter((candidate) => !candidate.met);
  const failed = Object.entries(runs).filter(([, record]) => record.errors.length > 0);
  say(
    `\n${figures.length} figures: ${figures.length - missed.length} met, ${missed.length} MISSED` +
      (failed.length > 0 ? `; not measured: ${failed.map(([name]) => name).join(', ')}` : '') +
      `. Wrote bench/results/latest.json in ${num((Date.now() - startedAt.getTime()) / 1000, 1)} s.`,
  );
  if (failed.length > 0) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
