import { resourceName } from '@asistone/core/platform/store/table';
import { RETENTION_PURGE_SCHEDULE } from '@asistone/core/privacy/schedule';
import { PRODUCT } from '@asistone/core/product/areas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  type Json,
  type Resource,
  referencedId,
  removeOutput,
  resources,
  STAGE,
  type Synthesized,
  synthesize,
} from './app.js';

/**
 * The daily retention purge: its own function on its own daily rule (declared.test.ts checks
 * every schedule's rule and invoke permission), allowed only what a purge by Query needs: it
 * reads keys, deletes in batches and writes receipts; no Scan, no keys, no objects, no queues.
 */
let app: Synthesized;
beforeAll(async () => {
  app = await synthesize();
});
afterAll(removeOutput);

const purgeFunction = (): Resource => {
  const found = resources(app.templates, 'AWS::Lambda::Function').filter(
    (fn) => fn.properties.FunctionName === resourceName(STAGE, 'schedule-retention-purge'),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
};

function statementsOf(fn: Resource): Json[] {
  const roleId = referencedId(fn.properties.Role);
  return resources(app.templates, 'AWS::IAM::Policy')
    .filter((policy) => policy.stack === fn.stack)
    .filter((policy) => policy.properties.Roles.some((role: Json) => referencedId(role) === roleId))
    .flatMap((policy) => asArray<Json>(policy.properties.PolicyDocument.Statement));
}

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
    const statements = statementsOf(purgeFunction());
    const table = statements.find((statement) => statement.Sid === 'Table');
    expect(asArray(table?.Action).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    const actions = statements.flatMap((statement) => asArray<string>(statement.Action));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('sqs:'))).toEqual([]);
    expect(statements.filter((statement) => String(statement.Sid).startsWith('TenantKey'))).toEqual([]);
  });
});
