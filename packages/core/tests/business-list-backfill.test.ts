import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { BACKFILL_RECORDS, backfillBusinessList, tenantIdsWithKeys } from '../src/privacy/business-list-backfill.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * `npm run backfill`'s work against the DynamoDB emulator: a business written before the business
 * list index existed (its item without the index keys, as the old code wrote it) is put on the
 * list, so the daily jobs visit it; a listed one is left alone, an id without a business is
 * counted, a second run changes nothing, a dry run writes nothing, and the table is never scanned.
 */
let test: TestPlatform;
const OLD = 'b_backfill_old';
const NEW = 'b_backfill_new';

async function listed(): Promise<string[]> {
  const store = test.platform.storeOf(BACKFILL_RECORDS);
  const { data } = await store.entities.tenant.query.byList({}).go({ pages: 'all', attributes: ['tenantId'] });
  return data.map((item) => item.tenantId).sort();
}

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.storeOf(TENANCY_RECORDS), keyring: test.platform.keyring };
  await createTenant(deps, NEW, 'Yeni Butik');
  // The old business: created the same way, then its item rewritten without the index keys.
  await createTenant(deps, OLD, 'Eski Butik');
  const { data } = await deps.store.entities.tenant.get({ tenantId: OLD }).go();
  const params = deps.store.entities.tenant.put(data!).params() as { Item: Record<string, unknown> };
  const { gsi2pk: _pk, gsi2sk: _sk, ...old } = params.Item;
  await test.platform.aws.dynamo.send(
    new PutItemCommand({ TableName: test.env.TABLE_NAME as string, Item: marshall(old) }),
  );
}, 60_000);
afterAll(() => test?.stop());

describe('the business list backfill', () => {
  it('starts with the old business off the list', async () => {
    expect(await listed()).toEqual([NEW]);
  });

  it('a dry run counts what it would add and writes nothing', async () => {
    const report = await backfillBusinessList(test.platform.storeOf(BACKFILL_RECORDS), [OLD, NEW], { dryRun: true });
    expect(report).toEqual({ checked: 2, listed: 1, added: [OLD], missing: 0 });
    expect(await listed()).toEqual([NEW]);
  });

  it('puts the old business on the list without a Scan, keeping its sealed name as it was', async () => {
    const store = test.platform.storeOf(BACKFILL_RECORDS);
    const before = (await store.entities.tenant.get({ tenantId: OLD }).go()).data;
    const calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
    const report = await backfillBusinessList(store, [NEW, OLD, 'b_backfill_gone', OLD]);
    expect(report).toEqual({ checked: 3, listed: 1, added: [OLD], missing: 1 });
    expect(calls.calls.map((call) => call.command)).not.toContain('ScanCommand');
    expect(await listed()).toEqual([NEW, OLD].sort());
    expect((await store.entities.tenant.get({ tenantId: OLD }).go()).data).toEqual(before);
    const keys = await test.platform.keyring.forTenant(OLD);
    expect(keys.open('tenant', 'name', OLD, before!.name)).toBe('Eski Butik');
  });

  it('a second run changes nothing', async () => {
    const report = await backfillBusinessList(test.platform.storeOf(BACKFILL_RECORDS), [OLD, NEW]);
    expect(report).toEqual({ checked: 2, listed: 2, added: [], missing: 0 });
  });

  it('finds every business by its data key, without reading the table (npm run backfill)', async () => {
    const found: string[] = [];
    for await (const id of tenantIdsWithKeys({ kind: 'local', keyDir: test.env.LOCAL_KEY_DIR as string }))
      found.push(id);
    expect(found).toEqual(expect.arrayContaining([OLD, NEW]));
  });
});
