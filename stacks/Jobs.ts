import { toEventBridgeCron } from '@asistone/core/platform/schedules';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { type StackContext, use } from 'sst/constructs';
import { baseline, productFunction } from './lambda.js';
import { Queues } from './Queues.js';

/** Each declared schedule: an EventBridge rule (UTC) targeting its own function. */
export function Jobs({ stack }: StackContext) {
  baseline(stack);
  const { resources } = use(Queues);
  for (const job of PRODUCT.schedules) {
    const declared = PRODUCT.fn(`schedule-${job.name}`);
    if (!declared) throw new Error(`no function for schedule ${job.name}`);
    const { fn, logGroup } = productFunction(stack, { declared, resources });
    if (job.alarm) {
      // Each warning line of that message counts 1 (a run without one counts 0): the alarm
      // watches a day, so it stays raised until a daily run finds nothing left to warn about.
      const namespace = `Asistone/${stack.stage}`;
      new MetricFilter(stack, `${job.name}-warnings`, {
        logGroup,
        metricNamespace: namespace,
        metricName: job.alarm.metric,
        filterPattern: FilterPattern.all(
          FilterPattern.stringValue('$.level', '=', 'WARN'),
          FilterPattern.stringValue('$.message', '=', job.alarm.logMessage),
        ),
        metricValue: '1',
        defaultValue: 0,
      });
      new Alarm(stack, `${job.name}-alarm`, {
        alarmName: resourceName(stack.stage, job.alarm.metric),
        alarmDescription: job.alarm.description,
        metric: new Metric({
          namespace,
          metricName: job.alarm.metric,
          statistic: 'Sum',
          period: Duration.days(1),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }
    new Rule(stack, `${job.name}-schedule`, {
      ruleName: resourceName(stack.stage, job.name),
      description: job.description,
      schedule: Schedule.expression(toEventBridgeCron(job.cron)),
      // A missed run is caught up by the next one; do not pile retries on a schedule.
      targets: [new LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }
}
