import type { ProductFunction, ProviderDeclaration, QueueDeclaration, ScheduleDeclaration } from './area.js';
import { deadLetterQueueName } from './area.js';
import { resourceName } from './store/table.js';

/**
 * Every alarm a stage has, derived from what the areas declare: two per queue, three per
 * function, one per webhook, two per provider, the schedules' own, and the table's and KMS's
 * throttling. The stacks build each one in CloudWatch (stacks/Monitoring.ts); the local stack
 * evaluates the ones it can see (dead letters and log lines) and shows them on `/api/health`.
 * Each names the runbook that says what to do (docs/runbooks/).
 */

export type AlarmKind =
  | 'dead-letters'
  | 'queue-age'
  | 'errors'
  | 'throttles'
  | 'duration'
  | 'webhook-answers'
  | 'auth-errors'
  | 'rate-limits'
  | 'kms-throttles'
  | 'table-throttles'
  | 'job-warning';

/** What an alarm watches, in terms both CloudWatch and the local watch understand. */
export type AlarmWatch =
  /** The dead-letter queue of `queue` holds at least one message. */
  | { kind: 'dead-letters'; queue: string; deadLetterQueue: string }
  /** The oldest message of `queue` is older than `seconds`. */
  | { kind: 'queue-age'; queue: string; seconds: number }
  /** Lambda's own metric of the function (`Errors`, `Throttles`, `Duration` p99). */
  | { kind: 'errors' | 'throttles'; function: string }
  | { kind: 'duration'; function: string; thresholdMs: number }
  /** Of a webhook's answers in 5 minutes (at least `minimumCalls`), more than `percent` were neither 2xx nor 401. */
  | { kind: 'webhook-answers'; function: string; webhook: string; percent: number; minimumCalls: number }
  /** At least `count` `provider refused` lines of this provider and refusal in 5 minutes. */
  | { kind: 'auth-errors' | 'rate-limits' | 'kms-throttles'; provider: string; count: number }
  /** DynamoDB throttled reads or writes on the records table. */
  | { kind: 'table-throttles' }
  /** A schedule logged its alarm's warning (`logMessage`) within the day. */
  | { kind: 'job-warning'; function: string; metric: string; logMessage: string };

export interface AlarmSpec {
  /** Unique within a stage; the CloudWatch alarm is `asistone-<stage>-<name>`. */
  name: string;
  /** What it means when it fires, for the person paged. */
  description: string;
  /** The file that says how to look and how to recover. */
  runbook: string;
  watch: AlarmWatch;
}

/** The runbook of each kind; the schedules name their own. */
const RUNBOOKS: Record<Exclude<AlarmKind, 'job-warning'>, string> = {
  'dead-letters': 'docs/runbooks/dead-letters.md',
  'queue-age': 'docs/runbooks/queue-age.md',
  errors: 'docs/runbooks/function-errors.md',
  throttles: 'docs/runbooks/function-throttles.md',
  duration: 'docs/runbooks/function-duration.md',
  'webhook-answers': 'docs/runbooks/webhook-answers.md',
  'auth-errors': 'docs/runbooks/provider-auth-errors.md',
  'rate-limits': 'docs/runbooks/provider-rate-limits.md',
  'kms-throttles': 'docs/runbooks/kms-throttles.md',
  'table-throttles': 'docs/runbooks/table-throttles.md',
};

/** A queue whose oldest message is older than this is behind, whatever its retries allow. */
const MIN_AGE_BUDGET_SECONDS = 15 * 60;
/** A p99 this close to the timeout means some invocations are about to be cut off. */
const DURATION_SHARE_OF_TIMEOUT = 0.8;
/** Answers other than 2xx and 401 (an unsigned caller) above this share of a webhook's calls. */
const WEBHOOK_FAILED_PERCENT = 5;
/** Fewer calls than this in 5 minutes say too little for a percentage. */
const WEBHOOK_MINIMUM_CALLS = 20;
/** One refused credential is already someone locked out; a few throttled calls are normal. */
const AUTH_REFUSALS = 1;
const RATE_LIMIT_REFUSALS = 20;

/** The age past which a queue's age alarm fires (its declaration, or the default). */
export function ageBudgetSeconds(queue: QueueDeclaration): number {
  return (
    queue.ageBudgetSeconds ?? Math.max(MIN_AGE_BUDGET_SECONDS, queue.visibilityTimeoutSeconds * queue.maxReceiveCount)
  );
}

export interface AlarmedProduct {
  queues: readonly QueueDeclaration[];
  schedules: readonly ScheduleDeclaration[];
  functions: readonly ProductFunction[];
  providers: readonly ProviderDeclaration[];
}

/** The product's alarms, in a stable order. */
export function productAlarms(product: AlarmedProduct): AlarmSpec[] {
  const alarms: AlarmSpec[] = [];
  const add = (name: string, description: string, watch: AlarmWatch, runbook?: string) => {
    alarms.push({ name, description, runbook: runbook ?? RUNBOOKS[watch.kind as keyof typeof RUNBOOKS], watch });
  };

  for (const queue of product.queues) {
    add(
      `${queue.name}-dead-letters`,
      `Messages of ${queue.name} failed for good and wait in its dead-letter queue: ${queue.description}`,
      { kind: 'dead-letters', queue: queue.name, deadLetterQueue: deadLetterQueueName(queue.name) },
    );
    const seconds = ageBudgetSeconds(queue);
    add(
      `${queue.name}-queue-age`,
      `${queue.name} is behind: its oldest message waited more than ${Math.round(seconds / 60)} minutes`,
      { kind: 'queue-age', queue: queue.name, seconds },
    );
  }

  for (const fn of product.functions) {
    add(`${fn.name}-errors`, `${fn.name} crashed or timed out in 2 of the last 3 five-minute periods`, {
      kind: 'errors',
      function: fn.name,
    });
    add(`${fn.name}-throttles`, `Lambda refused to run ${fn.name}: the account's concurrency is spent`, {
      kind: 'throttles',
      function: fn.name,
    });
    const thresholdMs = Math.round(fn.timeoutSeconds * 1000 * DURATION_SHARE_OF_TIMEOUT);
    add(
      `${fn.name}-duration`,
      `${fn.name}'s slowest runs (p99) take over ${DURATION_SHARE_OF_TIMEOUT * 100}% of its ${fn.timeoutSeconds} s timeout`,
      { kind: 'duration', function: fn.name, thresholdMs },
    );
    if (fn.kind === 'webhook') {
      const webhook = fn.name.slice('webhook-'.length);
      add(
        `${webhook}-webhook-answers`,
        `More than ${WEBHOOK_FAILED_PERCENT}% of the ${webhook} webhook's answers were neither 2xx nor 401: the provider retries, then gives up`,
        {
          kind: 'webhook-answers',
          function: fn.name,
          webhook,
          percent: WEBHOOK_FAILED_PERCENT,
          minimumCalls: WEBHOOK_MINIMUM_CALLS,
        },
      );
    }
  }

  for (const provider of product.providers) {
    add(`${provider.name}-auth-errors`, provider.auth, {
      kind: 'auth-errors',
      provider: provider.name,
      count: AUTH_REFUSALS,
    });
    add(`${provider.name}-rate-limits`, provider.rateLimit, {
      kind: 'rate-limits',
      provider: provider.name,
      count: RATE_LIMIT_REFUSALS,
    });
  }
  add('kms-throttles', 'KMS throttled requests for tenant keys: reads and writes of sealed data fail and are retried', {
    kind: 'kms-throttles',
    provider: 'kms',
    count: AUTH_REFUSALS,
  });
  add('table-throttles', 'DynamoDB throttled requests on the records table: work slows and is retried', {
    kind: 'table-throttles',
  });

  for (const job of product.schedules) {
    if (!job.alarm) continue;
    add(
      job.alarm.metric,
      job.alarm.description,
      {
        kind: 'job-warning',
        function: `schedule-${job.name}`,
        metric: job.alarm.metric,
        logMessage: job.alarm.logMessage,
      },
      job.alarm.runbook,
    );
  }

  const seen = new Set<string>();
  for (const alarm of alarms) {
    if (seen.has(alarm.name)) throw new Error(`alarm "${alarm.name}" is declared twice`);
    seen.add(alarm.name);
  }
  return alarms;
}

/** The alarm's CloudWatch name, also what a runbook names it by (`asistone-<stage>-…`). */
export const alarmName = (stage: string, alarm: Pick<AlarmSpec, 'name'>) => resourceName(stage, alarm.name);
