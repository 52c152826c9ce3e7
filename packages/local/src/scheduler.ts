import { randomUUID } from 'node:crypto';
import type { ScheduleDeclaration } from '@asistone/core/platform/schedules';
import { startTrace } from '@asistone/core/platform/trace';
import type { Logger } from '@aws-lambda-powertools/logger';
import { Cron } from 'croner';
import { LOCAL_REGION } from './emulators.js';
import { invoke } from './lambda.js';

/** The event EventBridge sends a scheduled target. */
export function scheduledEvent(name: string, time = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: time.toISOString(),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:000000000000:rule/asistone-local-${name}`],
    detail: {},
  };
}

/**
 * Runs every declared schedule with croner, in UTC, never overlapping itself. Each run starts a
 * trace, as in AWS where it is the run's X-Ray root: what it logs and queues shares one id.
 */
export function startScheduler(schedules: readonly ScheduleDeclaration[], log: Logger) {
  let running = true;
  const jobs = schedules.map(
    (job) =>
      new Cron(job.cron, { timezone: 'UTC', protect: true, name: job.name }, async () => {
        await startTrace(async () => {
          try {
            await invoke(job.handler, `schedule-${job.name}`, scheduledEvent(job.name), job.timeoutSeconds);
          } catch (error) {
            log.error('scheduled job failed', { schedule: job.name, error: error as Error });
          }
        });
      }),
  );
  return {
    status: () => ({
      running,
      jobs: jobs.map((job) => ({ name: job.name ?? '', next: job.nextRun()?.toISOString() })),
    }),
    stop: () => {
      running = false;
      for (const job of jobs) job.stop();
    },
  };
}
