import { PRODUCT } from '@asistone/core/product/areas';
import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

const FIVE_MINUTES = Duration.minutes(5);
const WIDTH = 12;
const HEIGHT = 6;

/** A graph of every metric a CloudWatch search finds (one line per queue or function). */
function searchGraph(title: string, search: string, statistic: string): GraphWidget {
  return new GraphWidget({
    title,
    width: WIDTH,
    height: HEIGHT,
    left: [
      new MathExpression({
        expression: `SEARCH('${search}', '${statistic}', 300)`,
        usingMetrics: {},
        period: FIVE_MINUTES,
      }),
    ],
  });
}

/**
 * The stage's dashboard (`asistone-<stage>` in CloudWatch): what merchants receive and send,
 * how the AI agents and campaigns do, how far behind the queues are, and how the functions
 * perform. Business counts come from the log lines the workers already write (Logs Insights),
 * so they need no metric of their own; queues and functions from AWS's own metrics.
 */
export function stageDashboard(
  scope: Construct,
  where: { stage: string; namespace: string; logGroupName: (fn: string) => string },
): Dashboard {
  const { stage } = where;
  const prefix = `asistone-${stage}-`;
  const logQuery = (title: string, functions: string[], lines: string[], view = LogQueryVisualizationType.LINE) =>
    new LogQueryWidget({
      title,
      width: WIDTH,
      height: HEIGHT,
      logGroupNames: functions.map(where.logGroupName),
      queryLines: lines,
      view,
    });

  const dashboard = new Dashboard(scope, 'Dashboard', { dashboardName: `asistone-${stage}` });
  dashboard.addWidgets(
    new TextWidget({
      markdown: `# Asistone ${stage}\nEvery alarm names its runbook in \`docs/runbooks/\`. Follow one delivery with its \`traceId\` (docs/tracing.md).`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    logQuery(
      'Inbound messages by channel',
      ['worker-meta-events'],
      ['filter message = "meta delivery processed"', 'stats sum(recorded) as messages by bin(5m), channel'],
    ),
    logQuery(
      'Sends by outcome',
      ['worker-outbound', 'worker-campaign-send'],
      [
        'filter message in ["reply sent", "reply refused by the provider", "campaign batch sent"]',
        'stats sum(coalesce(sent, 1)) as sends by bin(1h), message, reason',
      ],
    ),
  );
  dashboard.addWidgets(
    logQuery(
      'AI replies and handoffs',
      ['worker-ai-replies'],
      [
        'filter message in ["ai reply answered", "ai reply handed off", "ai reply silent", "ai reply failed"]',
        'stats count(*) as replies by bin(1h), message',
      ],
    ),
    logQuery(
      'Campaign progress',
      ['worker-campaign-send'],
      [
        'filter message = "campaign batch sent"',
        'stats sum(sent) as sent, sum(failed) as failed, sum(skipped) as skipped by bin(5m)',
      ],
    ),
  );
  dashboard.addWidgets(
    searchGraph(
      'Messages waiting per queue',
      `{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" "${prefix}"`,
      'Maximum',
    ),
    searchGraph(
      'Oldest message per queue (s)',
      `{AWS/SQS,QueueName} MetricName="ApproximateAgeOfOldestMessage" "${prefix}"`,
      'Maximum',
    ),
  );
  dashboard.addWidgets(
    searchGraph('Duration p50 (ms)', `{AWS/Lambda,FunctionName} MetricName="Duration" "${prefix}"`, 'p50'),
    searchGraph('Duration p99 (ms)', `{AWS/Lambda,FunctionName} MetricName="Duration" "${prefix}"`, 'p99'),
  );
  dashboard.addWidgets(
    logQuery(
      'Cold starts',
      PRODUCT.functions.map((fn) => fn.name),
      ['filter @type = "REPORT" and ispresent(@initDuration)', 'stats count(*) as coldStarts by bin(1h), @log'],
    ),
    searchGraph('Provider refusals', `{${where.namespace},provider,refusal} MetricName="ProviderRefusals"`, 'Sum'),
  );
  return dashboard;
}
