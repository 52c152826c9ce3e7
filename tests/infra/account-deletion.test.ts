import { resourceName } from '@asistone/core/platform/store/table';
import { ACCOUNT_DELETIONS_SCHEDULE } from '@asistone/core/privacy/account-deletion-schedule';
import { PRIVACY_EXPORTS_QUEUE } from '@asistone/core/privacy/export-queue';
import { PRODUCT } from '@asistone/core/product/areas';
import { describe, expect, it } from 'vitest';
import { actionsOf, asArray, productFunction, resources, STAGE, statementsOf, synthesizedApp } from './app.js';

/**
 * The account deletions: their own function on an hourly rule, allowed what deleting a business
 * needs and nothing more: the table by Query and key (no Scan), the business's objects, and
 * destroying (never using) tenant keys. The export worker reads and stores, and never destroys.
 */
const app = synthesizedApp();

describe('the account deletions schedule', () => {
  it('is declared by the privacy area, hourly, with the purge’s timeout', () => {
    const privacy = PRODUCT.areas.find((area) => area.name === 'privacy');
    expect(privacy?.schedules).toContain(ACCOUNT_DELETIONS_SCHEDULE);
    expect(ACCOUNT_DELETIONS_SCHEDULE.cron).toMatch(/^\d+ \* \* \* \*$/);
    const fn = productFunction(app.templates, 'schedule-account-deletions');
    expect(fn.stack).toBe('Jobs');
    expect(fn.properties.Timeout).toBe(ACCOUNT_DELETIONS_SCHEDULE.timeoutSeconds);
  });

  it('may open tenant keys (to unsubscribe channels at Meta) and destroy them, never create one, and never Scan', () => {
    const statements = statementsOf(app.templates, productFunction(app.templates, 'schedule-account-deletions'));
    const actions = actionsOf(statements);
    expect(actions).not.toContain('dynamodb:Scan');
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(actionsOf(tenantKeys).sort()).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:DisableKey',
      'kms:ScheduleKeyDeletion',
    ]);
    // Only keys tagged with this stage and a tenant: never the stage key.
    expect(JSON.stringify(tenantKeys)).toContain('aws:ResourceTag/asistone:stage');
    expect(actions).not.toContain('kms:CreateKey');
    expect(actions.filter((action) => action.startsWith('sqs:Send'))).toEqual([]);
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(
      ['BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].map((a) => `dynamodb:${a}`),
    );
  });
});

describe('the privacy exports worker', () => {
  it('consumes its own queue with a dead-letter queue, and may read and store but destroy nothing', () => {
    const privacy = PRODUCT.areas.find((area) => area.name === 'privacy');
    expect(privacy?.queues).toContain(PRIVACY_EXPORTS_QUEUE);
    const statements = statementsOf(app.templates, productFunction(app.templates, 'worker-privacy-exports'));
    const actions = actionsOf(statements);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    // (Every consumer may delete the claim-checked bodies of its own messages: no check on s3:DeleteObject.)
    expect(actions).not.toContain('kms:ScheduleKeyDeletion');
    expect(actions).not.toContain('kms:DisableKey');
    const queues = resources(app.templates, 'AWS::SQS::Queue').map((queue) => String(queue.properties.QueueName));
    expect(queues).toEqual(
      expect.arrayContaining([resourceName(STAGE, 'privacy-exports'), resourceName(STAGE, 'privacy-exports-dlq')]),
    );
  });
});
