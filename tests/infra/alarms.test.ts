import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_REFUSED_MESSAGE } from '@asistone/core/platform/provider-refusals';
import { resourceName, TABLE } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { beforeAll, describe, expect, it } from 'vitest';
import { asArray, type Json, type Resource, resources, STAGE, synthesizedApp } from './app.js';

/**
 * The stage's alarms as CloudFormation will create them: every queue and every function has its
 * own, each provider two, each tells the alarm topic when it fires and clears, and each names a
 * runbook that exists and names it back.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const OPS_EMAIL = 'ops@asistone.example';
// Read when the Monitoring stack is synthesized (once per test file, below).
process.env.ALARM_EMAIL = OPS_EMAIL;
const app = synthesizedApp();

let alarms: Resource[];
beforeAll(() => {
  alarms = resources(app.templates, 'AWS::CloudWatch::Alarm');
});

/** The alarms reading one metric with these dimensions (directly or inside a math expression). */
function alarmsOn(metricName: string, dimension: [string, string]): Resource[] {
  const matches = (metric: Json | undefined) =>
    metric?.MetricName === metricName &&
    asArray<Json>(metric.Dimensions).some((d) => d.Name === dimension[0] && d.Value === dimension[1]);
  return alarms.filter(
    (alarm) =>
      matches(alarm.properties) ||
      asArray<Json>(alarm.properties.Metrics).some((query) => matches(query.MetricStat?.Metric)),
  );
}

/** What a runbook's placeholder may stand for: exactly the product's names of that kind. */
const PLACEHOLDERS: Record<string, readonly string[]> = {
  stage: [STAGE],
  queue: PRODUCT.queueNames,
  function: PRODUCT.functions.map((fn) => fn.name),
  webhook: PRODUCT.webhooks.map((webhook) => webhook.name),
  provider: PRODUCT.providers.map((provider) => provider.name),
};
const oneOf = (placeholder: string) => {
  const names = PLACEHOLDERS[placeholder];
  if (!names) throw new Error(`a runbook names an alarm with <${placeholder}>, which stands for nothing`);
  return `(?:${names.join('|')})`;
};

const named = (name: string) => alarms.filter((alarm) => alarm.properties.AlarmName === resourceName(STAGE, name));

describe('alarms', () => {
  it('watch every queue: its dead letters and the age of its oldest message', () => {
    const queueNames = new Set(
      resources(app.templates, 'AWS::SQS::Queue').map((queue) => queue.properties.QueueName as string),
    );
    for (const queue of PRODUCT.queues) {
      const deadLetterQueue = resourceName(STAGE, `${queue.name}-dlq`);
      expect(queueNames, queue.name).toContain(deadLetterQueue);
      const deadLetters = alarmsOn('ApproximateNumberOfMessagesVisible', ['QueueName', deadLetterQueue]);
      expect(deadLetters, queue.name).toHaveLength(1);
      expect(deadLetters[0]!.properties.Threshold).toBe(1);
      const age = alarmsOn('ApproximateAgeOfOldestMessage', ['QueueName', resourceName(STAGE, queue.name)]);
      expect(age, queue.name).toHaveLength(1);
      // Never sooner than a message could legitimately still be in its retries.
      expect(age[0]!.properties.Threshold).toBeGreaterThanOrEqual(
        Math.min(
          queue.ageBudgetSeconds ?? Number.POSITIVE_INFINITY,
          queue.visibilityTimeoutSeconds * queue.maxReceiveCount,
        ),
      );
    }
  });

  it('watch every function: errors, throttles and a p99 duration near its timeout', () => {
    const functionNames = new Set(
      resources(app.templates, 'AWS::Lambda::Function').map((fn) => fn.properties.FunctionName as string),
    );
    for (const fn of PRODUCT.functions) {
      const name = resourceName(STAGE, fn.name);
      expect(functionNames, fn.name).toContain(name);
      expect(alarmsOn('Errors', ['FunctionName', name]), fn.name).toHaveLength(1);
      expect(alarmsOn('Throttles', ['FunctionName', name]), fn.name).toHaveLength(1);
      const duration = alarmsOn('Duration', ['FunctionName', name]);
      expect(duration, fn.name).toHaveLength(1);
      expect(duration[0]!.properties.ExtendedStatistic).toBe('p99');
      expect(duration[0]!.properties.Threshold).toBeLessThan(fn.timeoutSeconds * 1000);
    }
  });

  it('watch every webhook’s answers other than 2xx and 401, counted from its log lines', () => {
    const filters = resources(app.templates, 'AWS::Logs::MetricFilter');
    for (const fn of PRODUCT.functions.filter((f) => f.kind === 'webhook')) {
      const webhook = fn.name.slice('webhook-'.length);
      const onLogGroup = filters.filter(
        (filter) => filter.properties.LogGroupName === `/aws/lambda/${resourceName(STAGE, fn.name)}`,
      );
      const failed = onLogGroup.find((filter) =>
        asArray<Json>(filter.properties.MetricTransformations).some((t) => t.MetricName === 'WebhookFailedAnswers'),
      );
      expect(failed?.properties.FilterPattern, webhook).toContain('$.message = "webhook answered"');
      expect(failed?.properties.FilterPattern, webhook).toContain('$.status != 401');
      // The handler logs its answers under the name the alarm watches (the base path's last part).
      const source = readFileSync(join(ROOT, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`), 'utf8');
      expect(source, webhook).toContain(`webhookHandler(log, '/webhooks/${webhook}'`);
      const answers = alarmsOn('WebhookFailedAnswers', ['webhook', webhook]);
      expect(answers, webhook).toHaveLength(1);
      expect(answers[0]!.properties.AlarmName).toBe(resourceName(STAGE, `${webhook}-webhook-answers`));
    }
  });

  it('watch each provider for refused credentials and rate limits, and KMS and the table for throttling', () => {
    const filters = resources(app.templates, 'AWS::Logs::MetricFilter').filter(
      (filter) => filter.properties.FilterPattern === `{ $.message = "${PROVIDER_REFUSED_MESSAGE}" }`,
    );
    // Every function's log group counts refusals: any of them may call a provider or KMS.
    expect(filters.map((filter) => filter.properties.LogGroupName).sort()).toEqual(
      PRODUCT.functions.map((fn) => `/aws/lambda/${resourceName(STAGE, fn.name)}`).sort(),
    );
    expect(PRODUCT.providers.map((provider) => provider.name).sort()).toEqual(
      ['iyzico', 'meta', 'netgsm', 'openai', 'resend', 'shopify'].sort(),
    );
    for (const provider of [...PRODUCT.providers.map((p) => p.name), 'kms']) {
      const watching = alarmsOn('ProviderRefusals', ['provider', provider]);
      const refusals = watching.map(
        (alarm) => asArray<Json>(alarm.properties.Dimensions).find((d) => d.Name === 'refusal')?.Value,
      );
      expect(refusals.sort(), provider).toEqual(provider === 'kms' ? ['rate-limit'] : ['auth', 'rate-limit']);
    }
    const table = named('table-throttles');
    expect(table).toHaveLength(1);
    const tableMetrics = asArray<Json>(table[0]!.properties.Metrics).flatMap((query) =>
      query.MetricStat ? [query.MetricStat.Metric] : [],
    );
    expect(tableMetrics.map((metric) => metric.MetricName).sort()).toEqual([
      'ReadThrottleEvents',
      'WriteThrottleEvents',
    ]);
    for (const metric of tableMetrics) {
      expect(asArray<Json>(metric.Dimensions)).toEqual([{ Name: 'TableName', Value: resourceName(STAGE, TABLE.name) }]);
    }
  });

  it('tell the stage’s alarm topic when they fire and when they clear, and the topic mails ops', () => {
    const topics = resources(app.templates, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const topic = topics[0]!;
    expect(topic.properties.TopicName).toBe(resourceName(STAGE, 'alarms'));
    const subscriptions = resources(app.templates, 'AWS::SNS::Subscription');
    expect(subscriptions.map((s) => [s.properties.Protocol, s.properties.Endpoint])).toEqual([['email', OPS_EMAIL]]);
    expect(alarms.length).toBeGreaterThan(PRODUCT.queues.length * 2 + PRODUCT.functions.length * 3);
    for (const alarm of alarms) {
      expect(alarm.stack).toBe('Monitoring');
      expect(asArray<Json>(alarm.properties.AlarmActions), alarm.properties.AlarmName).toEqual([
        { Ref: topic.logicalId },
      ]);
      expect(asArray<Json>(alarm.properties.OKActions)).toEqual([{ Ref: topic.logicalId }]);
      expect(alarm.properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('each name a runbook that exists and names the alarm', () => {
    const patterns = new Map<string, RegExp[]>();
    for (const alarm of alarms) {
      const name = alarm.properties.AlarmName as string;
      const runbook = /Runbook: (docs\/runbooks\/[a-z-]+\.md)$/.exec(alarm.properties.AlarmDescription as string)?.[1];
      expect(runbook, name).toBeDefined();
      const file = join(ROOT, runbook!);
      expect(existsSync(file), runbook).toBe(true);
      if (!patterns.has(runbook!)) {
        // `Alarm: \`asistone-<stage>-<queue>-dead-letters\``: each placeholder stands for one name.
        const named = [...readFileSync(file, 'utf8').matchAll(/^Alarm: `([^`]+)`/gm)].map(
          (match) =>
            new RegExp(`^${match[1]!.replace(/<([a-z]+)>/g, (_, placeholder: string) => oneOf(placeholder))}$`),
        );
        patterns.set(runbook!, named);
      }
      expect(
        patterns.get(runbook!)!.some((pattern) => pattern.test(name)),
        `${runbook} names ${name}`,
      ).toBe(true);
    }
    // And the index lists every runbook.
    const index = readFileSync(join(ROOT, 'docs/runbooks/README.md'), 'utf8');
    for (const runbook of patterns.keys()) expect(index, runbook).toContain(runbook.slice('docs/runbooks/'.length));
  });

  it('build a dashboard of inbound, sends, AI, campaigns, queues and function durations', () => {
    const dashboards = resources(app.templates, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.properties.DashboardName).toBe(`asistone-${STAGE}`);
    const body = JSON.stringify(dashboards[0]!.properties.DashboardBody);
    for (const title of [
      'Inbound messages by channel',
      'Sends by outcome',
      'AI replies and handoffs',
      'Campaign progress',
      'Messages waiting per queue',
      'Oldest message per queue (s)',
      'Duration p50 (ms)',
      'Duration p99 (ms)',
      'Cold starts',
    ]) {
      expect(body, title).toContain(title);
    }
  });
});
