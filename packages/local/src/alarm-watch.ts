import { existsSync, statSync } from 'node:fs';
import { type AlarmSpec, productAlarms } from '@asistone/core/platform/alarms';
import { PROVIDER_REFUSED_MESSAGE } from '@asistone/core/platform/provider-refusals';
import { queueDepth } from '@asistone/core/platform/queue/depth';
import type { RaisedAlarm } from '@asistone/core/platform/runtime-status';
import { PRODUCT } from '@asistone/core/product/areas';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type Invocation, type MessageAge, recorded } from './invocations.js';
import { readLogLines } from './log-file.js';

/**
 * The stage's alarms on one machine. CloudWatch evaluates them in AWS; here the local stack
 * evaluates them the same way, over the same windows and thresholds: a dead-letter queue that
 * is not empty (from the queue); the alarms counted from log lines (provider refusals, webhook
 * answers, the schedules' warnings) from the local log file; and what Lambda's and SQS's metrics
 * would say (errors, p99 duration, message age) from what the local runtime recorded as it ran
 * the handlers (invocations.ts). Only throttling has no local counterpart: nothing limits
 * concurrency on one machine.
 *
 * A raised alarm prints one warning line `alarm raised` (and `alarm cleared` when it clears) and
 * shows on `/api/health` through the runtime status.
 */
export const ALARM_RAISED_MESSAGE = 'alarm raised';
export const ALARM_CLEARED_MESSAGE = 'alarm cleared';

const FIVE_MINUTES_MS = 5 * 60_000;
/** Alarms that need 2 of their last 3 five-minute periods breaching (as the stacks build them). */
const PERIODS = 3;
const BREACHING_PERIODS = 2;
const ONE_DAY_MS = 24 * 60 * 60_000;

/** One log line's facts the alarms count, with when it was written. */
interface Counted {
  at: number;
  line: Record<string, unknown>;
}

export interface AlarmWatchDeps {
  sqs: SQSClient;
  /** A queue's URL by its logical name (dead-letter queues included). */
  queueUrl(queue: string): string;
  logFile: string;
  log: Logger;
  now?: () => number;
  alarms?: readonly AlarmSpec[];
  /** What the runtime recorded (invocations.ts); the process's own record unless given. */
  invocations?: () => readonly Invocation[];
  messageAges?: () => readonly MessageAge[];
}

/** The p99 of some durations (nearest rank, as CloudWatch's percentile of few samples). */
function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** Which of the last three 5-minute periods (newest first) hold something that breaches. */
function breachingPeriods<T extends { at: number }>(
  at: number,
  items: readonly T[],
  breaches: (inPeriod: T[]) => boolean,
) {
  let breaching = 0;
  for (let period = 0; period < PERIODS; period++) {
    const end = at - period * FIVE_MINUTES_MS;
    const inPeriod = items.filter((item) => item.at <= end && item.at > end - FIVE_MINUTES_MS);
    if (inPeriod.length > 0 && breaches(inPeriod)) breaching++;
  }
  return breaching;
}

/** Whether what the runtime recorded raises an alarm watching Lambda's or SQS's own metrics. */
function fromRuntime(
  spec: AlarmSpec,
  at: number,
  invocations: readonly Invocation[],
  ages: readonly MessageAge[],
): Record<string, unknown> | undefined {
  const { watch } = spec;
  if (watch.kind === 'errors') {
    const own = invocations.filter((invocation) => invocation.fn === watch.function);
    const breaching = breachingPeriods(at, own, (inPeriod) => inPeriod.some((invocation) => invocation.failed));
    return breaching >= BREACHING_PERIODS ? { breachingPeriods: breaching } : undefined;
  }
  if (watch.kind === 'duration') {
    const own = invocations.filter((invocation) => invocation.fn === watch.function);
    const breaching = breachingPeriods(at, own, (inPeriod) => p99(inPeriod.map((i) => i.ms)) >= watch.thresholdMs);
    return breaching >= BREACHING_PERIODS ? { breachingPeriods: breaching } : undefined;
  }
  if (watch.kind === 'queue-age') {
    const oldest = Math.max(
      0,
      ...ages.filter((age) => age.queue === watch.queue && at - age.at <= FIVE_MINUTES_MS).map((age) => age.seconds),
    );
    return oldest > watch.seconds ? { oldestSeconds: Math.round(oldest) } : undefined;
  }
  return undefined;
}

/** Whether a log line is one an alarm of this spec counts. */
function countedBy(spec: AlarmSpec, line: Record<string, unknown>): boolean {
  const { watch } = spec;
  switch (watch.kind) {
    case 'auth-errors':
    case 'rate-limits':
    case 'kms-throttles':
      return (
        line.message === PROVIDER_REFUSED_MESSAGE &&
        line.provider === watch.provider &&
        line.refusal === (watch.kind === 'auth-errors' ? 'auth' : 'rate-limit')
      );
    case 'webhook-answers':
      return line.message === 'webhook answered' && line.webhook === watch.webhook;
    case 'job-warning':
      return line.level === 'WARN' && line.message === watch.logMessage;
    default:
      return false;
  }
}

/** Whether the lines within the alarm's window say it should be raised, and the figures that say so. */
function fromLines(spec: AlarmSpec, lines: Counted[]): Record<string, unknown> | undefined {
  const { watch } = spec;
  if (watch.kind === 'webhook-answers') {
    const calls = lines.length;
    const failed = lines.filter(({ line }) => {
      const status = Number(line.status);
      return (status < 200 || status >= 300) && status !== 401;
    }).length;
    return calls >= watch.minimumCalls && (100 * failed) / calls > watch.percent ? { calls, failed } : undefined;
  }
  if (watch.kind === 'job-warning') return lines.length >= 1 ? { warnings: lines.length } : undefined;
  if (watch.kind === 'auth-errors' || watch.kind === 'rate-limits' || watch.kind === 'kms-throttles') {
    return lines.length >= watch.count ? { refusals: lines.length } : undefined;
  }
  return undefined;
}

const windowOf = (spec: AlarmSpec) => (spec.watch.kind === 'job-warning' ? ONE_DAY_MS : FIVE_MINUTES_MS);

/**
 * Evaluates the alarms on demand (`check`, every few seconds from the local stack), reading only
 * the log lines written since the last check. Answers the alarms raised now.
 */
export function alarmWatch(deps: AlarmWatchDeps) {
  const now = deps.now ?? Date.now;
  const specs = deps.alarms ?? productAlarms(PRODUCT);
  const fromLog = specs.filter((spec) => countedFromLog(spec));
  const deadLetters = specs.filter((spec) => spec.watch.kind === 'dead-letters');
  const fromRunning = specs.filter((spec) => ['errors', 'duration', 'queue-age'].includes(spec.watch.kind));
  const invocations = deps.invocations ?? recorded.invocations;
  const messageAges = deps.messageAges ?? recorded.messageAges;
  const seen = new Map<string, Counted[]>(fromLog.map((spec) => [spec.name, []]));
  const raised = new Map<string, RaisedAlarm>();
  // Lines already in the file when the stack starts belong to an earlier run's windows.
  let offset = existsSync(deps.logFile) ? statSync(deps.logFile).size : 0;

  async function readNewLines(): Promise<void> {
    const read = await readLogLines(deps.logFile, offset).catch(() => undefined);
    if (!read) return;
    offset = read.nextByte;
    for (const line of read.lines) {
      const at = typeof line.timestamp === 'string' ? Date.parse(line.timestamp) : now();
      for (const spec of fromLog) {
        if (countedBy(spec, line)) seen.get(spec.name)?.push({ at: Number.isFinite(at) ? at : now(), line });
      }
    }
  }

  function settle(spec: AlarmSpec, detail: Record<string, unknown> | undefined, at: number): void {
    const was = raised.get(spec.name);
    if (detail && !was) {
      raised.set(spec.name, { name: spec.name, since: at, runbook: spec.runbook, detail });
      deps.log.warn(ALARM_RAISED_MESSAGE, { alarm: spec.name, runbook: spec.runbook, ...detail });
    } else if (detail && was) {
      was.detail = detail;
    } else if (!detail && was) {
      raised.delete(spec.name);
      deps.log.info(ALARM_CLEARED_MESSAGE, { alarm: spec.name });
    }
  }

  return {
    async check(): Promise<RaisedAlarm[]> {
      const at = now();
      await readNewLines();
      for (const spec of fromLog) {
        const lines = (seen.get(spec.name) ?? []).filter((counted) => at - counted.at <= windowOf(spec));
        seen.set(spec.name, lines);
        settle(spec, fromLines(spec, lines), at);
      }
      const ran = invocations();
      const aged = messageAges();
      for (const spec of fromRunning) settle(spec, fromRuntime(spec, at, ran, aged), at);
      await Promise.all(
        deadLetters.map(async (spec) => {
          if (spec.watch.kind !== 'dead-letters') return;
          const waiting = await queueDepth(deps.sqs, deps.queueUrl(spec.watch.deadLetterQueue)).catch(() => undefined);
          // An emulator that does not answer says nothing about dead letters: the queue check reports it.
          if (waiting === undefined) return;
          settle(spec, waiting > 0 ? { waiting } : undefined, at);
        }),
      );
      return this.raised();
    },
    raised(): RaisedAlarm[] {
      return [...raised.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

/** The alarms the local stack counts from log lines. */
function countedFromLog(spec: AlarmSpec): boolean {
  return ['auth-errors', 'rate-limits', 'kms-throttles', 'webhook-answers', 'job-warning'].includes(spec.watch.kind);
}
