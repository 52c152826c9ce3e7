import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, bundleEmptyHandler, measureInit } from './bundles.js';
import { pageAssets } from './first-page.js';
import { benchWebhookHandler } from './handler.js';
import { lambdaEnvironment } from './lib/lambda.js';
import { atLeast, atMost, type Comparison, compare, median } from './lib/measure.js';
import {
  check,
  type Figure,
  figure,
  figureTable,
  mergeResults,
  type Results,
  ratioGoal,
  selectBenchmarks,
  valueGoal,
} from './lib/report.js';
import { escapeUnicode } from './lib/whatsapp.js';
import { benchSealing } from './seal.js';
import { benchWebhook } from './webhook.js';

// Shapes only: timings on a shared machine prove nothing, so no test asserts one.
const TINY = { rounds: 1, roundMs: 5 };

function expectSane(comparison: Comparison) {
  for (const side of [comparison.subject, comparison.floor]) {
    expect(side.opsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(side.microsPerOp)).toBe(true);
  }
  expect(Number.isFinite(comparison.speedRatio)).toBe(true);
  expect(Number.isFinite(comparison.timeRatio)).toBe(true);
}

describe('measurement helpers', () => {
  it('compares a sync and an async operation round by round', async () => {
    // Act
    const result = await compare(
      async () => Math.sqrt(2),
      () => Math.sqrt(3),
      { rounds: 3, roundMs: 2 },
    );

    // Assess
    expectSane(result);
    expect(result.subject.rounds).toHaveLength(3);
    expect(result.floor.rounds).toHaveLength(3);
  });

  it('takes the middle of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("escapes a payload's non-ASCII characters as Meta does", () => {
    expect(escapeUnicode('{"a":"ş🙏"}')).toBe('{"a":"\\u015f\\ud83d\\ude4f"}');
  });
});

describe('sealing and webhook benchmarks', () => {
  it('reports every sealing path with a goal verdict', async () => {
    const rows = await benchSealing(TINY);

    expect(rows.map((row) => row.name)).toEqual(['sealField', 'openField', 'TenantKeys.seal', 'TenantKeys.open']);
    for (const row of rows) {
      expectSane(row);
      expect(typeof row.met).toBe('boolean');
    }
  });

  it('reports the receiver and the whole Lambda handler against the same floor', async () => {
    const rows = [...(await benchWebhook(TINY)), await benchWebhookHandler(TINY)];

    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expectSane(row);
      expect(row.bodyBytes).toBeGreaterThan(100);
    }
    expect(typeof rows[0]!.met).toBe('boolean');
  });
});

describe('bundles', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'asistone-bench-test-'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('bundles a function with the stacks options and imports it in a fresh process', async () => {
    // Prepare
    const env = { PATH: process.env.PATH ?? '', ...lambdaEnvironment(join(outDir, 'keys')) };

    // Act
    const floor = await bundleEmptyHandler(outDir);
    const webhook = await bundle('webhook-meta', 'webhook', 'functions/webhooks/meta.ts', outDir);
    const samples = [await measureInit(floor.file, env), await measureInit(webhook.file, env)];

    // Assess
    expect(existsSync(webhook.file)).toBe(true);
    expect(webhook.bytes).toBeGreaterThan(floor.bytes);
    // Split: the claim-check S3 client and the SSM client ship beside the entry, not in what init loads.
    expect(webhook.initBytes).toBeLessThan(webhook.bytes * 0.7);
    expect(webhook.largest.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(sample.handler).toBe('function');
      expect(sample.blocked).toEqual([]);
      expect(sample.importMs).toBeGreaterThan(0);
      expect(sample.readyMs).toBeGreaterThanOrEqual(sample.importMs);
    }
    // Every function carries the X-Ray tracer, loaded only in Lambda with tracing on.
    expect(webhook.sizeGoalKb).toBe(1536 + 128);
  });

  it("allows the AI worker the OpenAI SDK's weight, loaded on the first model call and not at init", async () => {
    const worker = await bundle('worker-ai-replies', 'worker', 'functions/workers/ai-replies.ts', outDir);

    expect(worker.sizeGoalKb).toBe(1536 + 448 + 128);
    // The SDK is behind a dynamic import(): a cold start loads none of it.
    expect(worker.bytes - worker.initBytes).toBeGreaterThan(400 * 1024);
  });
});

describe('choosing benchmarks and reporting figures', () => {
  const NAMES = ['seal', 'webhook', 'bundles', 'first-page'];

  it('runs every benchmark without a name, the named ones in their declared order, and reports unknown names', () => {
    expect(selectBenchmarks(NAMES, [])).toEqual({ selected: NAMES, unknown: [] });
    expect(selectBenchmarks(NAMES, ['first-page', 'seal', 'seal'])).toEqual({
      selected: ['seal', 'first-page'],
      unknown: [],
    });
    expect(selectBenchmarks(NAMES, ['seal', 'sael', 'firstpage']).unknown).toEqual(['sael', 'firstpage']);
  });

  it('checks ratio goals against the ratio and absolute goals against the value, limits included', () => {
    expect(atLeast(0.5, 0.5, 'ops/s')).toMatchObject({ met: true, goal: { text: '≥ 0.5× floor ops/s' } });
    expect(atLeast(0.49, 0.5, 'ops/s').met).toBe(false);
    expect(atMost(2.01, 2, 'time')).toMatchObject({ met: false, goal: { text: '≤ 2× floor time' } });
    expect(check(valueGoal('≤', 200, 'KB gzip'), { value: 200 })).toMatchObject({
      met: true,
      goal: { text: '≤ 200 KB gzip' },
    });
    expect(check(valueGoal('≤', 200, 'KB gzip'), { value: 200.1, ratio: 0.1 }).met).toBe(false);
    expect(() => check(ratioGoal('≤', 2, 'floor time'), { value: 1, ratio: null })).toThrow(/needs a ratio/);
  });

  it('ends every figure line of a table with met or MISSED', () => {
    // Act
    const printed = figureTable(
      ['figure', 'value'],
      [
        { cells: ['first-page JS', '147.1 KB'], check: check(valueGoal('≤', 200, 'KB gzip'), { value: 147.1 }) },
        { cells: ['cold init', '8.40×'], check: atMost(8.4, 3, 'init') },
      ],
    );

    // Assess
    const [, , ...lines] = printed.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/≤ 200 KB gzip +met$/);
    expect(lines[1]).toMatch(/≤ 3× floor init +MISSED$/);
  });

  it("keeps the other benchmarks' latest figures when some are run again", () => {
    // Prepare
    const goal = ratioGoal('≥', 0.5, 'floor ops/s');
    const old = (benchmark: string, value: number): Figure =>
      figure({
        benchmark,
        name: 'x',
        value,
        unit: 'ops/s',
        floor: { name: 'f', value: 1, unit: 'ops/s' },
        ratio: value,
        goal,
      });
    const record = { startedAt: 'then', seconds: 1, node: 'v22', cpus: 2, errors: [] };
    const previous: Results = {
      updatedAt: 'then',
      figures: [old('seal', 0.9), old('webhook', 0.4)],
      runs: { seal: record, webhook: record },
      details: { seal: 'old seal', webhook: 'old webhook' },
    };

    // Act
    const merged = mergeResults(
      previous,
      { figures: [old('seal', 0.3)], runs: { seal: { ...record, startedAt: 'now' } }, details: { seal: 'new' } },
      new Date(0),
    );

    // Assess
    expect(merged.figures.map((kept) => [kept.benchmark, kept.value, kept.met])).toEqual([
      ['webhook', 0.4, false],
      ['seal', 0.3, false],
    ]);
    expect(merged.runs.seal!.startedAt).toBe('now');
    expect(merged.details).toEqual({ seal: 'new', webhook: 'old webhook' });
  });

  it('reads the entry, its module preloads and the stylesheets from a built index.html', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <script type="module" crossorigin src="/assets/index-a1.js"></script>
      <link rel="modulepreload" crossorigin href="/assets/react-b2.js">
      <link crossorigin rel='modulepreload' href='/assets/mantine-c3.js'>
      <link rel="stylesheet" crossorigin href="/assets/index-d4.css">
      </head><body><script src="/legacy.js"></script></body></html>`;

    expect(pageAssets(html)).toEqual({
      scripts: ['/assets/index-a1.js', '/assets/react-b2.js', '/assets/mantine-c3.js'],
      styles: ['/assets/index-d4.css'],
    });
  });
});
