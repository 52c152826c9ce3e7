import { RETENTION_PURGE_SCHEDULE } from '@asistone/core/privacy/schedule';
import { PRODUCT } from '@asistone/core/product/areas';
import { describe, expect, it } from 'vitest';
import { actionsOf, asArray, productFunction, statementsOf, synthesizedApp } from './app.js';

/**
 * The daily retention purge: its own function on its own daily rule (declared.test.ts checks
 * every schedule's rule and invoke permission), allowed only what a purge by Query needs: it
 * reads keys, deletes in batches and writes receipts; no Scan, no keys, no objects, no queues.
 */
const app = synthesizedApp();

const purgeFunction = () => productFunction(app.templates, 'schedule-retention-purge');

describe('the retention purge', () => {
  it('is declared by the privacy area, daily', () => {
    const privacy = PRODUCT.areas.find((area) => area.name === 'privacy');
    expect(privacy?.schedules).toContain(RETENTION_PURGE_SCHEDULE);
    expect(RETENTION_PURGE_SCHEDULE.cron).toMatch(/^\d+ \d+ \* \* \*$/);
  });

  it('runs its own function with the declared handler and timeout', () => {
    const fn = purgeFunction();
    expect(fn.stack).toBe('Jobs');
    expect(fn.properties.Timeout).toBe(RETENTION_PURGE_SCHEDULE.timeoutSeconds);
  });

  it('may query, batch-delete and write receipts in the table, and nothing else', () => {
    const statements = statementsOf(app.templates, purgeFunction());
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    const actions = actionsOf(statements);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('sqs:'))).toEqual([]);
    expect(statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'))).toEqual([]);
  });
});
