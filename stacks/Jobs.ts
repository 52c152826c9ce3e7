import { toEventBridgeCron } from '@asistone/core/platform/schedules';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type StackContext, use } from 'sst/constructs';
import { baseline, productFunction } from './lambda.js';
import { Queues } from './Queues.js';

/**
 * Each declared schedule: an EventBridge rule (UTC) targeting its own function. A schedule's own
 * alarm (`alarm` in its declaration) is built with the others in the Monitoring stack.
 */
export function Jobs({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  for (const job of PRODUCT.schedules) {
    const declared = PRODUCT.fn(`schedule-${job.name}`);
    if (!declared) throw new Error(`no function for schedule ${job.name}`);
    const { fn } = productFunction(stack, { declared, resources });
    new Rule(stack, `${job.name}-schedule`, {
      ruleName: resourceName(stack.stage, job.name),
      description: job.description,
      schedule: Schedule.expression(toEventBridgeCron(job.cron)),
      // A missed run is caught up by the next one; do not pile retries on a schedule.
      targets: [new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
