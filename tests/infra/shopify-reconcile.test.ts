import { PRODUCT } from '@asistone/core/product/areas';
import { SHOPIFY_RECONCILE_SCHEDULE } from '@asistone/core/shopify/reconcile-schedule';
import { describe, expect, it } from 'vitest';
import { actionsOf, asArray, productFunction, statementsOf, synthesizedApp } from './app.js';

/**
 * The Shopify reconciliation: its own function every 15 minutes (declared.test.ts checks every
 * schedule's rule and invoke permission), allowed only what reconciling by Query needs: it reads
 * and writes items, opens and seals with existing tenant keys, reads the app's secrets, and queues the orders it applies for their notices; no Scan, no objects.
 */
const app = synthesizedApp();

const reconcileFunction = () => productFunction(app.templates, 'schedule-shopify-reconcile');

describe('the Shopify reconciliation', () => {
  it('is declared by the shopify area, every 15 minutes', () => {
    const shopify = PRODUCT.areas.find((area) => area.name === 'shopify');
    expect(shopify?.schedules).toContain(SHOPIFY_RECONCILE_SCHEDULE);
    const minutes = SHOPIFY_RECONCILE_SCHEDULE.cron.split(' ')[0]!.split(',').map(Number);
    expect(minutes.map((minute) => minute - minutes[0]!)).toEqual([0, 15, 30, 45]);
  });

  it('runs its own function with the declared handler and timeout', () => {
    const fn = reconcileFunction();
    expect(fn.stack).toBe('Jobs');
    expect(fn.properties.Timeout).toBe(SHOPIFY_RECONCILE_SCHEDULE.timeoutSeconds);
  });

  it('may read and write items and use existing tenant keys, and nothing else', () => {
    const statements = statementsOf(app.templates, reconcileFunction());
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const actions = actionsOf(statements);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
    // Each order it applies goes to the order notices (order-notices/queue.ts); only SendMessage.
    const sends = statements.filter((statement) => asArray<string>(statement.Action).some((a) => a.startsWith('sqs:')));
    expect(sends.flatMap((statement) => asArray(statement.Action))).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(sends.map((statement) => statement.Resource))).toContain('ordernotices');
    // And stock adjustments whose queue message was lost, back to their queue (stock.ts sweep).
    expect(JSON.stringify(sends.map((statement) => statement.Resource))).toContain('shopifystock');
    // Tenant keys: open and seal with the existing data key only (never create or destroy one).
    const tenantKeys = statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'));
    expect(tenantKeys.flatMap((statement) => asArray(statement.Action))).toEqual(['kms:Decrypt']);
    // The app's client id and secret (a token refresh), read from SSM.
    const secrets = statements.find((statement) => statement.Sid === 'AppSecrets');
    expect(asArray(secrets?.Action).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
  });
});
