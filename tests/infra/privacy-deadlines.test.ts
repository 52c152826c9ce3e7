import { resourceName } from '@asistone/core/platform/store/table';
import { PRIVACY_DEADLINES_SCHEDULE } from '@asistone/core/privacy/deadline-schedule';
import { DEADLINE_WARNING_MESSAGE } from '@asistone/core/privacy/deadlines';
import { PRODUCT } from '@asistone/core/product/areas';
import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  asArray,
  type Json,
  productFunction,
  resources,
  STAGE,
  statementsOf,
  synthesizedApp,
} from './app.js';

/**
 * The privacy deadline alarm on AWS: its own daily function that may only Query, a metric filter
 * on that function's log group counting its warning lines (the message the code logs), and a
 * CloudWatch alarm on that metric (both in the Monitoring stack, with every other alarm).
 */
const app = synthesizedApp();

const functionName = resourceName(STAGE, 'schedule-privacy-deadlines');
const deadlineFunction = () => productFunction(app.templates, 'schedule-privacy-deadlines');

describe('the privacy deadline alarm', () => {
  it('is a daily schedule of the privacy area, with its own function in the Jobs stack', () => {
    const privacy = PRODUCT.areas.find((area) => area.name === 'privacy');
    expect(privacy?.schedules).toContain(PRIVACY_DEADLINES_SCHEDULE);
    expect(PRIVACY_DEADLINES_SCHEDULE.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(deadlineFunction().stack).toBe('Jobs');
  });

  it('may only query the table: no Scan, no writes, no keys, no objects, no queues', () => {
    const statements = statementsOf(app.templates, deadlineFunction());
    const actions = actionsOf(statements);
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:Query']);
    expect(actions.filter((action) => /^(s3|sqs):/.test(action))).toEqual([]);
    // The table's own key lets it read the index; no tenant key: it opens nothing.
    expect(statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'))).toEqual([]);
  });

  it('counts the warning lines of its log group and raises a CloudWatch alarm on them', () => {
    const alarm = PRIVACY_DEADLINES_SCHEDULE.alarm;
    expect(alarm.logMessage).toBe(DEADLINE_WARNING_MESSAGE);
    const logGroups = resources(app.templates, 'AWS::Logs::LogGroup').filter(
      (group) => group.properties.LogGroupName === `/aws/lambda/${functionName}`,
    );
    expect(logGroups).toHaveLength(1);
    const filters = resources(app.templates, 'AWS::Logs::MetricFilter').filter((filter) =>
      asArray<Json>(filter.properties.MetricTransformations).some((t) => t.MetricName === alarm.metric),
    );
    expect(filters).toHaveLength(1);
    const filter = filters[0]!;
    // Read by name in the Monitoring stack, which is deployed after the Jobs stack that makes the group.
    expect(filter.properties.LogGroupName).toBe(logGroups[0]!.properties.LogGroupName);
    expect(filter.stack).toBe('Monitoring');
    expect(filter.properties.FilterPattern).toContain(`$.message = "${DEADLINE_WARNING_MESSAGE}"`);
    expect(filter.properties.FilterPattern).toContain('$.level = "WARN"');

    const alarms = resources(app.templates, 'AWS::CloudWatch::Alarm').filter(
      (found) => found.properties.MetricName === alarm.metric,
    );
    expect(alarms).toHaveLength(1);
    const raised = alarms[0]!.properties;
    const transformation = asArray<Json>(filter.properties.MetricTransformations)[0]!;
    expect(raised.Namespace).toBe(transformation.MetricNamespace);
    expect(raised.AlarmName).toBe(resourceName(STAGE, alarm.metric));
    expect(raised.Threshold).toBe(1);
    expect(raised.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(raised.TreatMissingData).toBe('notBreaching');
  });
});
