import { readdir } from 'node:fs/promises';
import { type KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { tenantKeyAliasPrefix } from '../platform/crypto/kms-key-provider.js';
import type { Store } from '../platform/store/service.js';
import { TenantRecord } from '../tenancy/records.js';

/**
 * Puts businesses created before the business list index (tenancy `byList`, gsi2) on it, so the
 * daily jobs that visit every business by that index (the retention purge, Meta's data deletion)
 * reach them too. The table is never scanned: the candidate ids come from where every business
 * has been recorded since its first day, its data key (a key file per business locally, a KMS
 * alias per business in AWS), and each one is read by its key. A business already listed is
 * left alone, so running it again changes nothing.
 */

export const BACKFILL_RECORDS = { tenant: TenantRecord };
export type BackfillStore = Store<typeof BACKFILL_RECORDS>;

export interface BackfillReport {
  /** Candidate ids read. */
  checked: number;
  /** Businesses already on the list. */
  listed: number;
  /** Businesses put on the list by this run (or that would be, in a dry run). */
  added: string[];
  /** Candidate ids with no business record (an unfinished sign-up's key, a deleted business). */
  missing: number;
}

/**
 * @example
 * await backfillBusinessList(store, tenantIdsFromKeyFiles(dir), { dryRun: false });
 */
export async function backfillBusinessList(
  store: BackfillStore,
  candidates: AsyncIterable<string> | Iterable<string>,
  options: { dryRun?: boolean; onProgress?: (tenantId: string, outcome: 'added' | 'listed' | 'missing') => void } = {},
): Promise<BackfillReport> {
  const report: BackfillReport = { checked: 0, listed: 0, added: [], missing: 0 };
  const seen = new Set<string>();
  for await (const tenantId of candidates) {
    if (seen.has(tenantId)) continue;
    seen.add(tenantId);
    report.checked += 1;
    const outcome = await listOne(store, tenantId, options.dryRun ?? false);
    if (outcome === 'added') report.added.push(tenantId);
    else if (outcome === 'listed') report.listed += 1;
    else report.missing += 1;
    options.onProgress?.(tenantId, outcome);
  }
  return report;
}

async function listOne(
  store: BackfillStore,
  tenantId: string,
  dryRun: boolean,
): Promise<'added' | 'listed' | 'missing'> {
  const entity = store.entities.tenant;
  const { data } = await entity.get({ tenantId }).go();
  if (!data) return 'missing';
  // The raw item, to see whether the index keys are there: ElectroDB's view leaves them out.
  const raw = (await entity.get({ tenantId }).go({ data: 'raw' })) as unknown as {
    data?: { Item?: { gsi2pk?: unknown } };
  };
  if (raw.data?.Item?.gsi2pk !== undefined) return 'listed';
  if (dryRun) return 'added';
  // A whole put writes every index's keys. Only if the business is still as read: a concurrent
  // change (renamed, being deleted) is not overwritten; the next run picks it up.
  await entity
    .put(data)
    .where((attr, op) => `${op.eq(attr.status, data.status)} AND ${op.eq(attr.name, data.name)}`)
    .go({ response: 'none' });
  return 'added';
}

/**
 * Every business id that has a data key: every business got one before its record was written
 * (tenancy/tenants.ts createTenant). Locally the key files (`<id>.key`); in AWS the tenant key
 * aliases of the stage (`alias/asistone/<stage>/tenant/<id>`), listed page by page.
 */
export async function* tenantIdsWithKeys(
  source: { kind: 'local'; keyDir: string } | { kind: 'kms'; kms: KMSClient; stage: string },
): AsyncIterable<string> {
  if (source.kind === 'local') {
    const names = await readdir(source.keyDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const name of names.sort()) if (name.endsWith('.key')) yield name.slice(0, -'.key'.length);
    return;
  }
  const prefix = tenantKeyAliasPrefix(source.stage);
  let marker: string | undefined;
  do {
    const page = await source.kms.send(new ListAliasesCommand({ Marker: marker, Limit: 100 }));
    for (const alias of page.Aliases ?? []) {
      if (alias.AliasName?.startsWith(prefix)) yield alias.AliasName.slice(prefix.length);
    }
    marker = page.Truncated ? page.NextMarker : undefined;
  } while (marker);
}
