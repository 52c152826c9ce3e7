import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, bundleEmptyHandler, measureInit } from './bundles.js';
import { benchWebhookHandler } from './handler.js';
import { lambdaEnvironment } from './lib/lambda.js';
import { type Comparison, compare, median } from './lib/measure.js';
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
    expect(webhook.largest.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(sample.handler).toBe('function');
      expect(sample.blocked).toEqual([]);
      expect(sample.importMs).toBeGreaterThan(0);
      expect(sample.readyMs).toBeGreaterThanOrEqual(sample.importMs);
    }
  });
});
