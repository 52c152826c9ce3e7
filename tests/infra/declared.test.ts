import { queueUrlVariable } from '@asistone/core/platform/config';
import { deadLetterQueueName, MAX_MESSAGE_BYTES } from '@asistone/core/platform/queue/declarations';
import { toEventBridgeCron } from '@asistone/core/platform/schedules';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { asArray, isStageKeyArn, type Json, referencedId, resourcesIn, STAGE, synthesizedApp } from './app.js';

/**
 * Everything the areas declare (queues, webhooks, schedules, composed in PRODUCT) exists in the
 * stacks with the declared settings. The expectations iterate the declarations: a new queue,
 * webhook or schedule in any area is covered without touching these tests.
 */
const app = synthesizedApp();

const FOURTEEN_DAYS = 14 * 24 * 60 * 60;
const SQS_DEFAULT_RETENTION = 4 * 24 * 60 * 60;

function byName(template: Template, type: string, nameProperty: string, name: string): [string, Json] {
  const found = resourcesIn(template, type).filter(([, properties]) => properties[nameProperty] === name);
  expect(found, `${type} named ${name}`).toHaveLength(1);
  return found[0]!;
}

function policyStatementsOfRole(template: Template, roleId: string): Json[] {
  // A role whose inline policy outgrows IAM's size limit gets the rest in a managed policy (CDK's overflow).
  return [...resourcesIn(template, 'AWS::IAM::Policy'), ...resourcesIn(template, 'AWS::IAM::ManagedPolicy')]
    .filter(([, policy]) => (policy.Roles ?? []).some((role: Json) => referencedId(role) === roleId))
    .flatMap(([, policy]) => policy.PolicyDocument.Statement);
}

describe.each(PRODUCT.queues)('queue $name', (declared) => {
  const name = declared.name;
  const queue = () => byName(app.templates.Queues, 'AWS::SQS::Queue', 'QueueName', resourceName(STAGE, name));
  const deadLetter = () =>
    byName(app.templates.Queues, 'AWS::SQS::Queue', 'QueueName', resourceName(STAGE, deadLetterQueueName(name)));
  const consumer = () =>
    byName(app.templates.Queues, 'AWS::Lambda::Function', 'FunctionName', resourceName(STAGE, `worker-${name}`));

  it('redrives to its own dead-letter queue after the declared receive count', () => {
    const [deadLetterId] = deadLetter();
    expect(queue()[1].RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
      maxReceiveCount: declared.maxReceiveCount,
    });
  });

  it('has the declared visibility timeout and message size limit', () => {
    expect(queue()[1].VisibilityTimeout).toBe(declared.visibilityTimeoutSeconds);
    expect(queue()[1].MaximumMessageSize).toBe(MAX_MESSAGE_BYTES);
    expect(deadLetter()[1].MaximumMessageSize).toBe(MAX_MESSAGE_BYTES);
  });

  it('keeps dead letters 14 days, longer than the queue keeps messages', () => {
    expect(deadLetter()[1].MessageRetentionPeriod).toBe(FOURTEEN_DAYS);
    expect(queue()[1].MessageRetentionPeriod ?? SQS_DEFAULT_RETENTION).toBeLessThan(FOURTEEN_DAYS);
  });

  it('encrypts the queue and its dead-letter queue with the stage key', () => {
    expect(isStageKeyArn(app.templates, 'Queues', queue()[1].KmsMasterKeyId)).toBe(true);
    expect(isStageKeyArn(app.templates, 'Queues', deadLetter()[1].KmsMasterKeyId)).toBe(true);
  });

  it('is consumed by its own function, in declared batches, with partial batch failures', () => {
    const [queueId] = queue();
    const [consumerId] = consumer();
    const mappings = resourcesIn(app.templates.Queues, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) => referencedId(mapping.EventSourceArn) === queueId,
    );
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    expect(referencedId(mapping.FunctionName)).toBe(consumerId);
    expect(mapping.BatchSize).toBe(declared.batchSize);
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.Enabled ?? true).toBe(true);
  });

  it('runs at most the declared number of consumers at once (unlimited when none is declared)', () => {
    const [queueId] = queue();
    const [, mapping] = resourcesIn(app.templates.Queues, 'AWS::Lambda::EventSourceMapping').find(
      ([, candidate]) => referencedId(candidate.EventSourceArn) === queueId,
    )!;
    const declaredConcurrency = declared.maxConcurrency;
    expect(mapping.ScalingConfig?.MaximumConcurrency).toBe(declaredConcurrency);
    if (declaredConcurrency !== undefined) expect(declaredConcurrency).toBeGreaterThanOrEqual(2);
  });

  it('gives the consumer its declared timeout, within the visibility timeout', () => {
    expect(consumer()[1].Timeout).toBe(declared.consumer.timeoutSeconds);
    expect(consumer()[1].Timeout).toBeLessThanOrEqual(queue()[1].VisibilityTimeout);
    // AWS advises a visibility timeout of at least six times the function's timeout.
    expect(queue()[1].VisibilityTimeout).toBeGreaterThanOrEqual(6 * declared.consumer.timeoutSeconds);
  });

  it('lets the consumer send failures to its own dead-letter queue, and tells it where that is', () => {
    const [deadLetterId] = deadLetter();
    const [, fn] = consumer();
    expect(referencedId(fn.Environment.Variables[queueUrlVariable(deadLetterQueueName(name))])).toBe(deadLetterId);
    const statements = policyStatementsOfRole(app.templates.Queues, referencedId(fn.Role)!);
    // A consumer that also queues elsewhere (account-requests → mail) lists its dead-letter queue
    // beside the other targets in its one send statement.
    const sendsToDeadLetter = statements.filter(
      (statement) =>
        statement.Effect === 'Allow' &&
        asArray<string>(statement.Action).includes('sqs:SendMessage') &&
        asArray<Json>(statement.Resource).some((arn) => referencedId(arn) === deadLetterId && arn['Fn::GetAtt']),
    );
    expect(sendsToDeadLetter).toHaveLength(1);
    expect(asArray(sendsToDeadLetter[0].Action)).toEqual(['sqs:SendMessage']);
  });

  it('denies requests to both queues that are not over TLS', () => {
    for (const [queueId] of [queue(), deadLetter()]) {
      const policies = resourcesIn(app.templates.Queues, 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
        policy.Queues.some((ref: Json) => referencedId(ref) === queueId),
      );
      const statements = policies.flatMap(([, policy]) => policy.PolicyDocument.Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe.each(PRODUCT.webhooks)('webhook $name', (declared) => {
  const fn = () =>
    byName(
      app.templates.Webhooks,
      'AWS::Lambda::Function',
      'FunctionName',
      resourceName(STAGE, `webhook-${declared.name}`),
    );

  it('has its own function with a public URL (auth NONE, signatures are checked in code) and no CORS', () => {
    const [fnId] = fn();
    const urls = resourcesIn(app.templates.Webhooks, 'AWS::Lambda::Url').filter(
      ([, url]) => referencedId(url.TargetFunctionArn) === fnId,
    );
    expect(urls).toHaveLength(1);
    expect(urls[0]![1].AuthType).toBe('NONE');
    expect(urls[0]![1].Cors).toBeUndefined();
  });

  it('has the declared timeout', () => {
    expect(fn()[1].Timeout).toBe(declared.timeoutSeconds);
  });
});

describe.each(PRODUCT.schedules)('schedule $name', (declared) => {
  const name = declared.name;
  const fn = () =>
    byName(app.templates.Jobs, 'AWS::Lambda::Function', 'FunctionName', resourceName(STAGE, `schedule-${name}`));

  it('runs on an EventBridge rule with the converted cron, targeting its own function', () => {
    const [, rule] = byName(app.templates.Jobs, 'AWS::Events::Rule', 'Name', resourceName(STAGE, name));
    expect(rule.ScheduleExpression).toBe(toEventBridgeCron(declared.cron));
    expect(rule.State).toBe('ENABLED');
    const targets = asArray<Json>(rule.Targets);
    expect(targets).toHaveLength(1);
    expect(referencedId(targets[0].Arn)).toBe(fn()[0]);
  });

  it('lets EventBridge invoke the function, from that rule only', () => {
    const [ruleId] = byName(app.templates.Jobs, 'AWS::Events::Rule', 'Name', resourceName(STAGE, name));
    const permissions = resourcesIn(app.templates.Jobs, 'AWS::Lambda::Permission').filter(
      ([, permission]) => referencedId(permission.FunctionName) === fn()[0],
    );
    expect(permissions).toEqual([
      [
        expect.any(String),
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
        }),
      ],
    ]);
  });

  it('has the declared timeout', () => {
    expect(fn()[1].Timeout).toBe(declared.timeoutSeconds);
  });
});
