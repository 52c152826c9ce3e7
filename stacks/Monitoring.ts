import { type AlarmSpec, alarmName, productAlarms } from '@asistone/core/platform/alarms';
import { PROVIDER_REFUSED_MESSAGE } from '@asistone/core/platform/provider-refusals';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { dependsOn, type StackContext } from 'sst/constructs';
import { Api } from './Api.js';
import { stageDashboard } from './dashboard.js';
import { Jobs } from './Jobs.js';
import { baseline } from './lambda.js';
import { Queues } from './Queues.js';
import { Webhooks } from './Webhooks.js';

const FIVE_MINUTES = Duration.minutes(5);

/** The metrics the alarms read from log lines, in the stage's own namespace. */
export const LOG_METRICS = {
  providerRefusals: 'ProviderRefusals',
  webhookAnswers: 'WebhookAnswers',
  webhookFailedAnswers: 'WebhookFailedAnswers',
} as const;

/** A function's log group, by the name stacks/lambda.ts gives it. */
export const logGroupName = (stage: string, fn: string) => `/aws/lambda/${resourceName(stage, fn)}`;

/**
 * Every alarm the areas' declarations call for (platform/alarms.ts), each sending to the stage's
 * alarm topic when it fires and when it clears, with the metric filters that turn log lines into
 * the metrics some of them read, and the stage's dashboard. Built after every function exists:
 * it reads their metrics and log groups by name, so no other stack exports anything to it.
 *
 * The topic's email subscription comes from the deploying shell (`ALARM_EMAIL=ops@… npx sst
 * deploy`); without one the alarms still show in the CloudWatch console.
 */
export function Monitoring({ stack }: StackContext) {
  baseline(stack);
  // Read by name only (no exports): the alarms' metrics and log groups exist once these are deployed.
  for (const built of [Queues, Webhooks, Jobs, Api]) dependsOn(built);
  const stage = stack.stage;
  const namespace = `Asistone/${stage}`;

  const topic = new Topic(stack, 'Alarms', {
    topicName: resourceName(stage, 'alarms'),
    displayName: `Asistone ${stage} alarms`,
    enforceSSL: true,
  });
  // The topic's policy (TLS only) replaces SNS's default one: CloudWatch is allowed to publish,
  // for this account's alarms only.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AlarmsPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  const email = process.env.ALARM_EMAIL;
  if (email) topic.addSubscription(new EmailSubscription(email));
  const notify = new SnsAction(topic);

  // Log groups are made by the stacks that make the functions; here they are only read by name.
  const logGroups = new Map(
    PRODUCT.functions.map((fn) => [
      fn.name,
      LogGroup.fromLogGroupName(stack, `${fn.name}-log-group`, logGroupName(stage, fn.name)),
    ]),
  );
  const logGroupOf = (fn: string) => {
    const group = logGroups.get(fn);
    if (!group) throw new Error(`no function ${fn}`);
    return group;
  };

  // Any function may call a provider (or KMS): every log group counts its refusal lines.
  for (const fn of PRODUCT.functions) {
    new MetricFilter(stack, `${fn.name}-provider-refusals`, {
      logGroup: logGroupOf(fn.name),
      metricNamespace: namespace,
      metricName: LOG_METRICS.providerRefusals,
      filterPattern: FilterPattern.stringValue('$.message', '=', PROVIDER_REFUSED_MESSAGE),
      metricValue: '1',
      dimensions: { provider: '$.provider', refusal: '$.refusal' },
    });
  }
  for (const fn of PRODUCT.functions.filter((f) => f.kind === 'webhook')) {
    const answered = FilterPattern.stringValue('$.message', '=', 'webhook answered');
    new MetricFilter(stack, `${fn.name}-answers`, {
      logGroup: logGroupOf(fn.name),
      metricNamespace: namespace,
      metricName: LOG_METRICS.webhookAnswers,
      filterPattern: answered,
      metricValue: '1',
      dimensions: { webhook: '$.webhook' },
    });
    // 401 is a caller without a valid signature (a scanner, a replay): refused by design, not failing.
    new MetricFilter(stack, `${fn.name}-failed-answers`, {
      logGroup: logGroupOf(fn.name),
      metricNamespace: namespace,
      metricName: LOG_METRICS.webhookFailedAnswers,
      filterPattern: FilterPattern.all(
        answered,
        FilterPattern.any(
          FilterPattern.numberValue('$.status', '<', 200),
          FilterPattern.numberValue('$.status', '>=', 300),
        ),
        FilterPattern.numberValue('$.status', '!=', 401),
      ),
      metricValue: '1',
      dimensions: { webhook: '$.webhook' },
    });
  }

  const alarms = productAlarms(PRODUCT);
  for (const spec of alarms) {
    const watched = alarmMetric(spec, { stage, namespace });
    if (spec.watch.kind === 'job-warning') {
      // Each warning line of that message counts 1 (a run without one counts 0): the alarm
      // watches a day, so it stays raised until a daily run finds nothing left to warn about.
      new MetricFilter(stack, `${spec.name}-warnings`, {
        logGroup: logGroupOf(spec.watch.function),
        metricNamespace: namespace,
        metricName: spec.watch.metric,
        filterPattern: FilterPattern.all(
          FilterPattern.stringValue('$.level', '=', 'WARN'),
          FilterPattern.stringValue('$.message', '=', spec.watch.logMessage),
        ),
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const alarm = new Alarm(stack, `${spec.name}-alarm`, {
      alarmName: alarmName(stage, spec),
      alarmDescription: `${spec.description}. Runbook: ${spec.runbook}`.slice(0, 1024),
      metric: watched.metric,
      threshold: watched.threshold,
      evaluationPeriods: watched.evaluationPeriods ?? 1,
      datapointsToAlarm: watched.datapointsToAlarm,
      comparisonOperator: watched.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
  }

  stageDashboard(stack, { stage, namespace, logGroupName: (fn) => logGroupName(stage, fn) });
  stack.addOutputs({ alarmTopic: topic.topicArn });
  return { topic, alarms };
}

interface Watched {
  metric: IMetric;
  threshold: number;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  comparison?: ComparisonOperator;
}

/** The CloudWatch metric and threshold that stand for one alarm's condition. */
function alarmMetric(spec: AlarmSpec, where: { stage: string; namespace: string }): Watched {
  const { watch } = spec;
  // The Queues stack names every queue and its dead-letter queue this way.
  const queueName = (queue: string) => resourceName(where.stage, queue);
  const lambda = (metricName: string, fn: string, statistic: string) =>
    new Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: resourceName(where.stage, fn) },
      statistic,
      period: FIVE_MINUTES,
    });
  const refusals = (provider: string, refusal: 'auth' | 'rate-limit') =>
    new Metric({
      namespace: where.namespace,
      metricName: LOG_METRICS.providerRefusals,
      dimensionsMap: { provider, refusal },
      statistic: 'Sum',
      period: FIVE_MINUTES,
    });

  switch (watch.kind) {
    case 'dead-letters':
      return {
        metric: new Metric({
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensionsMap: { QueueName: queueName(watch.deadLetterQueue) },
          statistic: 'Maximum',
          period: FIVE_MINUTES,
        }),
        threshold: 1,
      };
    case 'queue-age':
      return {
        metric: new Metric({
          namespace: 'AWS/SQS',
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensionsMap: { QueueName: queueName(watch.queue) },
          statistic: 'Maximum',
          period: FIVE_MINUTES,
        }),
        threshold: watch.seconds,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      };
    case 'errors':
      // A message that fails is retried by its queue; a crash now and then is not a page.
      return {
        metric: lambda('Errors', watch.function, 'Sum'),
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      };
    case 'throttles':
      return { metric: lambda('Throttles', watch.function, 'Sum'), threshold: 1 };
    case 'duration':
      return {
        metric: lambda('Duration', watch.function, 'p99'),
        threshold: watch.thresholdMs,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      };
    case 'webhook-answers': {
      const byWebhook = (metricName: string) =>
        new Metric({
          namespace: where.namespace,
          metricName,
          dimensionsMap: { webhook: watch.webhook },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      return {
        metric: new MathExpression({
          expression: `IF(calls >= ${watch.minimumCalls}, 100 * FILL(failed, 0) / calls, 0)`,
          usingMetrics: {
            calls: byWebhook(LOG_METRICS.webhookAnswers),
            failed: byWebhook(LOG_METRICS.webhookFailedAnswers),
          },
          label: `${watch.webhook} answers neither 2xx nor 401 (%)`,
          period: FIVE_MINUTES,
        }),
        threshold: watch.percent,
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      };
    }
    case 'auth-errors':
      return { metric: refusals(watch.provider, 'auth'), threshold: watch.count };
    case 'rate-limits':
    case 'kms-throttles':
      return {
        metric: refusals(watch.provider, 'rate-limit'),
        threshold: watch.count,
        ...(watch.kind === 'rate-limits' && { evaluationPeriods: 3, datapointsToAlarm: 2 }),
      };
    case 'table-throttles': {
      const table = resourceName(where.stage, TABLE.name);
      const throttled = (metricName: string) =>
        new Metric({
          namespace: 'AWS/DynamoDB',
          metricName,
          dimensionsMap: { TableName: table },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        });
      return {
        metric: new MathExpression({
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
          usingMetrics: { reads: throttled('ReadThrottleEvents'), writes: throttled('WriteThrottleEvents') },
          label: 'Throttled reads and writes',
          period: FIVE_MINUTES,
        }),
        threshold: 1,
      };
    }
    case 'job-warning':
      return {
        metric: new Metric({
          namespace: where.namespace,
          metricName: watch.metric,
          statistic: 'Sum',
          period: Duration.days(1),
        }),
        threshold: 1,
      };
  }
}
