import { deadLetterQueueName, queueNames } from '@asistone/core/platform/queue/declarations';
import { SCHEDULES, type ScheduleName, toEventBridgeCron } from '@asistone/core/platform/schedules';
import { resourceName } from '@asistone/core/platform/store/table';
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type StackContext, use } from 'sst/constructs';
import { baseline, productFunction } from './lambda.js';
import type { Access } from './permissions.js';
import { Queues } from './Queues.js';

/** What each scheduled job does. */
const SCHEDULE_ACCESS: Record<ScheduleName, Access> = {
  // Reads the depth of every dead-letter queue, nothing else.
  'dead-letter-watch': { inspects: queueNames.map(deadLetterQueueName) },
};

/** Each declared schedule: an EventBridge rule (UTC) targeting its own function. */
export function Jobs({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  for (const [name, job] of Object.entries(SCHEDULES) as [ScheduleName, (typeof SCHEDULES)[ScheduleName]][]) {
    const { fn } = productFunction(stack, {
      name: `schedule-${name}`,
      handler: job.handler,
      description: job.description,
      timeoutSeconds: job.timeoutSeconds,
      access: SCHEDULE_ACCESS[name],
      resources,
    });
    new Rule(stack, `${name}-schedule`, {
      ruleName: resourceName(stack.stage, name),
      description: job.description,
      schedule: Schedule.expression(toEventBridgeCron(job.cron)),
      // A missed run is caught up by the next one; do not pile retries on a schedule.
      targets: [new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
