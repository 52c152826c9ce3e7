import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productAlarms } from '@asistone/core/platform/alarms';
import { PRODUCT } from '@asistone/core/product/areas';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alarmWatch } from '../src/alarm-watch.js';
import type { Invocation, MessageAge } from '../src/invocations.js';

/**
 * The local stack's alarms, evaluated as CloudWatch evaluates the stage's: the same thresholds,
 * periods and "2 of 3" rules, from what the runtime recorded and the log file, on a clock the
 * test moves. (Dead letters, read from SQS, are shown against a real `npm start` in
 * tests/e2e/local-alarms.test.ts.)
 */
const MINUTE = 60_000;
const START = Date.parse('2026-12-01T10:00:00Z');

let dir: string;
let logFile: string;
let now: number;
let invocations: Invocation[];
let ages: MessageAge[];
let printed: { level: string; message: string; fields: Record<string, unknown> }[];

const fakeLog = {
  warn: (message: string, fields: Record<string, unknown>) => printed.push({ level: 'WARN', message, fields }),
  info: (message: string, fields: Record<string, unknown>) => printed.push({ level: 'INFO', message, fields }),
} as unknown as Logger;

/** Every alarm but the dead-letter ones, which read SQS. */
const ALARMS = productAlarms(PRODUCT).filter((alarm) => alarm.watch.kind !== 'dead-letters');

function watch() {
  return alarmWatch({
    sqs: {} as SQSClient,
    queueUrl: () => 'unused',
    logFile,
    log: fakeLog,
    now: () => now,
    alarms: ALARMS,
    invocations: () => invocations,
    messageAges: () => ages,
  });
}

const names = (raised: { name: string }[]) => raised.map((alarm) => alarm.name);
const line = (fields: Record<string, unknown>) =>
  appendFileSync(logFile, `${JSON.stringify({ timestamp: new Date(now).toISOString(), ...fields })}\n`);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'asistone-alarm-watch-'));
  logFile = join(dir, 'asistone.ndjson');
  writeFileSync(logFile, '');
  now = START;
  invocations = [];
  ages = [];
  printed = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the local alarm watch', () => {
  it('raises a function’s errors alarm when 2 of the last 3 five-minute periods had a failure, and clears it', async () => {
    const alarms = watch();
    invocations.push({ fn: 'worker-mail', at: now - 1 * MINUTE, ms: 40, failed: true });
    expect(names(await alarms.check())).toEqual([]);
    // Another failure, in the period before: two of three.
    invocations.push({ fn: 'worker-mail', at: now - 7 * MINUTE, ms: 40, failed: true });
    // Successes of the same function and failures of another do not count for it.
    invocations.push({ fn: 'worker-mail', at: now - 2 * MINUTE, ms: 40, failed: false });
    const raised = await alarms.check();
    expect(names(raised)).toEqual(['worker-mail-errors']);
    expect(raised[0]).toMatchObject({ runbook: 'docs/runbooks/function-errors.md', detail: { breachingPeriods: 2 } });
    expect(printed).toEqual([
      {
        level: 'WARN',
        message: 'alarm raised',
        fields: expect.objectContaining({ alarm: 'worker-mail-errors' }),
      },
    ]);

    // Still raised on the next check: printed once, not at every check.
    await alarms.check();
    expect(printed).toHaveLength(1);

    now += 15 * MINUTE;
    expect(names(await alarms.check())).toEqual([]);
    expect(printed.at(-1)).toMatchObject({ level: 'INFO', message: 'alarm cleared' });
  });

  it('raises a function’s duration alarm when its p99 passes 80% of its timeout in 2 of 3 periods', async () => {
    const outbound = PRODUCT.fn('worker-outbound')!;
    const nearTimeout = outbound.timeoutSeconds * 1000 * 0.85;
    const alarms = watch();
    for (const minutesAgo of [1, 2, 3])
      invocations.push({ fn: 'worker-outbound', at: now - minutesAgo * MINUTE, ms: 50, failed: false });
    invocations.push({ fn: 'worker-outbound', at: now - 4 * MINUTE, ms: nearTimeout, failed: false });
    // Slow runs of another function are its own business.
    invocations.push({ fn: 'worker-mail', at: now - 8 * MINUTE, ms: 10 * 60_000, failed: false });
    expect(names(await alarms.check())).toEqual([]);
    invocations.push({ fn: 'worker-outbound', at: now - 12 * MINUTE, ms: nearTimeout, failed: false });
    expect(names(await alarms.check())).toContain('worker-outbound-duration');
  });

  it('raises a queue’s age alarm when a message waited past its budget before its poller took it', async () => {
    const mail = productAlarms(PRODUCT).find((alarm) => alarm.name === 'mail-queue-age')!;
    const budget = (mail.watch as { seconds: number }).seconds;
    const alarms = watch();
    ages.push({ queue: 'mail', at: now - MINUTE, seconds: budget - 1 });
    expect(names(await alarms.check())).toEqual([]);
    ages.push({ queue: 'mail', at: now - MINUTE, seconds: budget + 30 });
    const raised = await alarms.check();
    expect(names(raised)).toEqual(['mail-queue-age']);
    expect(raised[0]?.detail).toEqual({ oldestSeconds: budget + 30 });
    now += 6 * MINUTE;
    expect(names(await alarms.check())).toEqual([]);
  });

  it('counts provider refusals and webhook answers from the log lines written since it started', async () => {
    // Written before the stack started: an earlier run's, not counted.
    line({ level: 'WARN', message: 'provider refused', provider: 'shopify', refusal: 'auth' });
    const alarms = watch();
    expect(names(await alarms.check())).toEqual([]);

    line({ level: 'WARN', message: 'provider refused', provider: 'meta', refusal: 'auth', code: 190 });
    for (let n = 0; n < 19; n++)
      line({ level: 'WARN', message: 'provider refused', provider: 'openai', refusal: 'rate-limit' });
    expect(names(await alarms.check())).toEqual(['meta-auth-errors']);
    line({ level: 'WARN', message: 'provider refused', provider: 'openai', refusal: 'rate-limit' });
    expect(names(await alarms.check())).toEqual(['meta-auth-errors', 'openai-rate-limits']);

    // 19 answers are too few to judge; at 20, two 500s are 10% (401s, unsigned callers, are not failures).
    for (let n = 0; n < 17; n++) line({ message: 'webhook answered', webhook: 'shopify', status: n < 10 ? 200 : 401 });
    line({ message: 'webhook answered', webhook: 'shopify', status: 500 });
    line({ message: 'webhook answered', webhook: 'shopify', status: 500 });
    expect(names(await alarms.check())).not.toContain('shopify-webhook-answers');
    line({ message: 'webhook answered', webhook: 'shopify', status: 200 });
    const raised = await alarms.check();
    expect(raised.find((alarm) => alarm.name === 'shopify-webhook-answers')?.detail).toEqual({ calls: 20, failed: 2 });

    // Five minutes later the window is past: the refusals and answers no longer count.
    now += 6 * MINUTE;
    expect(names(await alarms.check())).toEqual([]);
  });
});
