import { PRODUCT } from '@asistone/core/product/areas';
import { SMS_REPORTS_SCHEDULE } from '@asistone/core/sms/reports-schedule';
import { describe, expect, it } from 'vitest';
import { actionsOf, asArray, productFunction, statementsOf, synthesizedApp } from './app.js';

/**
 * The SMS delivery reports: their own function every 5 minutes (declared.test.ts checks every
 * schedule's rule and invoke permission), allowed only what polling by Query needs: it reads,
 * updates and deletes items and opens each business's sealed NetGSM password with its existing
 * key; no Scan, no queues, no objects, no deployment secret (the NetGSM accounts are the businesses').
 */
const app = synthesizedApp();

const reportsFunction = () => productFunction(app.templates, 'schedule-sms-reports');

describe('the SMS delivery reports', () => {
  it('are declared by the sms area, every 5 minutes', () => {
    const sms = PRODUCT.areas.find((area) => area.name === 'sms');
    expect(sms?.schedules).toContain(SMS_REPORTS_SCHEDULE);
    const minutes = SMS_REPORTS_SCHEDULE.cron.split(' ')[0]!.split(',').map(Number);
    expect(minutes.map((minute) => minute - minutes[0]!)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  });

  it('run their own function with the declared handler and timeout', () => {
    const fn = reportsFunction();
    expect(fn.stack).toBe('Jobs');
    expect(fn.properties.Timeout).toBe(SMS_REPORTS_SCHEDULE.timeoutSeconds);
  });

  it('may read, update and delete items and use existing tenant keys, and nothing else', () => {
    const statements = statementsOf(app.templates, reportsFunction());
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const actions = actionsOf(statements);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('sqs:'))).toEqual([]);
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(tenantKeys.flatMap((statement) => asArray(statement.Action))).toEqual(['kms:Decrypt']);
    expect(statements.find((statement) => statement.Sid === 'AppSecrets')).toBeUndefined();
  });
});
