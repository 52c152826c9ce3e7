import { randomUUID } from 'node:crypto';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ACCOUNTS_TENANT } from '../accounts/records.js';
import { META_DELIVERY_TENANT } from '../channels/meta/envelope.js';
import { OUTBOX_TENANT } from '../notify/dev-outbox.js';
import type { DataClass, DataLocation, PartitionReader } from '../platform/area.js';
import type { createBlobs } from '../platform/blobs.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { CHANNEL_DIRECTORY, type TENANCY_RECORDS } from '../tenancy/records.js';
import type { PRIVACY_RECORDS } from './records.js';

/**
 * The purges: a business's every item and object (the tenant purge), and what is past its
 * class's retention (the retention purge). Both find items only through the data classes'
 * declarations, by Query (never a Scan), so a purge costs what it deletes, not what the table
 * holds; both write a receipt with counts and no personal data.
 */

type Blobs = Pick<ReturnType<typeof createBlobs>, 'list' | 'delete'>;

export interface PurgeDeps {
  dynamo: DynamoDBClient;
  table: string;
  blobs: Blobs;
  /** The receipts, and the list of businesses the daily retention purge visits. */
  store: Store<typeof PRIVACY_RECORDS & Pick<typeof TENANCY_RECORDS, 'tenant'>>;
  dataClasses: readonly DataClass[];
}

export interface PurgeProgress {
  tenantId: string;
  /** A data class's name, `objects`, or `unclassified`. */
  what: string;
  /** Counted (dry run) or deleted so far for it. */
  count: number;
  done: boolean;
}

export interface PurgeOptions {
  /** Who runs it, for the receipt: `schedule:retention-purge`, `ops:<name>`. */
  by: string;
  /** Count only: nothing is deleted and no receipt is written. */
  dryRun?: boolean;
  onProgress?: (progress: PurgeProgress) => void;
}

export interface PurgeReport {
  tenantId: string;
  /** `classes`: the named data classes only (purgeClasses). */
  kind: 'tenant' | 'retention' | 'classes';
  dryRun: boolean;
  classes: { name: string; items: number }[];
  objects: number;
  unclassified: number;
  /** The stored receipt, when something was deleted (never on a dry run). */
  receiptId?: string;
}

/**
 * The spaces that are not businesses though their keys look like one (`t#<space>…`): people's
 * accounts, the channel directory, the dev outbox, Meta deliveries not yet matched to a
 * business. A purge there would delete what belongs to everyone.
 */
const SPACES: ReadonlySet<string> = new Set([ACCOUNTS_TENANT, CHANNEL_DIRECTORY, OUTBOX_TENANT, META_DELIVERY_TENANT]);

/** Refuses what is not a business the table knows: a reserved space, a malformed id, no business record. */
export async function assertBusiness(deps: Pick<PurgeDeps, 'store'>, tenantId: string) {
  assertBusinessId(tenantId);
  const { data } = await deps.store.entities.tenant.get({ tenantId }).go({ attributes: ['tenantId'] });
  if (!data) throw new NotFoundError('no such business');
}

/** The id's shape only (for the command line, before anything is read). */
export function assertBusinessId(tenantId: string) {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId) || SPACES.has(tenantId)) throw new ValidationError('not a business id');
}

/** How many keys a progress report waits for. */
const PROGRESS_EVERY = 500;
const BATCH = 25;
const MAX_ATTEMPTS = 8;

type Key = { pk: string; sk: string };
const keyId = (key: Key) => `${key.pk}\u0000${key.sk}`;

/** Item keys at a location, page by page; with `before`, only items created before it (ms). */
async function* keysAt(deps: PurgeDeps, tenantId: string, location: DataLocation, before?: number) {
  const names: Record<string, string> = { '#pk': 'pk', '#sk': 'sk' };
  const values: Record<string, { S: string }> = {};
  let condition: string;
  if ('partition' in location) {
    values[':pk'] = { S: location.partition };
    condition = '#pk = :pk';
  } else {
    names['#t'] = 'tenantId';
    values[':t'] = { S: tenantId };
    condition = '#t = :t';
  }
  if (before === undefined && location.skPrefix === '') {
    // Every key of the tenant (the tenant purge's last sweep): an empty value is refused.
  } else if (before === undefined) {
    values[':prefix'] = { S: location.skPrefix };
    condition += ' AND begins_with(#sk, :prefix)';
  } else {
    // `<prefix><epoch ms>#…`: epoch milliseconds have 13 digits until the year 2286, so key
    // order is time order and "created before" is one range.
    values[':from'] = { S: location.skPrefix };
    values[':to'] = { S: `${location.skPrefix}${before}` };
    condition += ' AND #sk BETWEEN :from AND :to';
  }
  const input: QueryCommandInput = {
    TableName: deps.table,
    ...('index' in location ? { IndexName: location.index } : {}),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ProjectionExpression: '#pk, #sk',
  };
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await deps.dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S;
      const sk = item.sk?.S;
      if (pk !== undefined && sk !== undefined) yield { pk, sk };
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Deletes keys 25 at a time, retrying what DynamoDB leaves unprocessed (with backoff). */
function batchDeleter(deps: PurgeDeps) {
  let pending: Key[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    let requests: WriteRequest[] = pending.map((key) => ({
      DeleteRequest: { Key: { pk: { S: key.pk }, sk: { S: key.sk } } },
    }));
    pending = [];
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS)
        throw new Error(`${requests.length} deletes still unprocessed after ${MAX_ATTEMPTS} tries`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      const out = await deps.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [deps.table]: requests } }));
      requests = out.UnprocessedItems?.[deps.table] ?? [];
    }
  };
  return {
    async delete(key: Key) {
      pending.push(key);
      if (pending.length >= BATCH) await flush();
    },
    flush,
  };
}

function readerFor(deps: PurgeDeps, tenantId: string): PartitionReader {
  return { keys: (location) => keysAt(deps, tenantId, location) };
}

/** Counts (and unless dry, deletes) keys, skipping those already handled or kept. */
function tally(
  deps: PurgeDeps,
  tenantId: string,
  options: PurgeOptions,
  skip: Set<string>,
  /** Counted but left for the caller to delete at the end. */
  later: ReadonlySet<string> = new Set(),
) {
  const deleter = batchDeleter(deps);
  return async (what: string, keys: AsyncIterable<Key>) => {
    let count = 0;
    for await (const key of keys) {
      const id = keyId(key);
      if (skip.has(id)) continue;
      skip.add(id);
      count++;
      if (!options.dryRun && !later.has(id)) await deleter.delete(key);
      if (count % PROGRESS_EVERY === 0) options.onProgress?.({ tenantId, what, count, done: false });
    }
    await deleter.flush();
    options.onProgress?.({ tenantId, what, count, done: true });
    return count;
  };
}

async function* keysOf(deps: PurgeDeps, tenantId: string, dataClass: DataClass, before?: number) {
  for await (const location of dataClass.partitions(readerFor(deps, tenantId), tenantId)) {
    yield* keysAt(deps, tenantId, location, before);
  }
}

async function storeReceipt(
  deps: PurgeDeps,
  report: Omit<PurgeReport, 'receiptId' | 'dryRun'>,
  by: string,
  startedAt: number,
): Promise<string> {
  const receiptId = randomUUID();
  await deps.store.entities.purgeReceipt
    .create({ ...report, receiptId, by, startedAt, finishedAt: Date.now() })
    .go({ response: 'none' });
  return receiptId;
}

/**
 * Removes every item and object of a business except the classes kept for a legal duty
 * (billing, the deletion receipts). Items no class declares are found by a last sweep of the
 * business's keys (byTenant index) and reported as `unclassified`, so nothing is left behind
 * because an area forgot a declaration, and the receipt says so.
 */
export async function purgeTenant(deps: PurgeDeps, tenantId: string, options: PurgeOptions): Promise<PurgeReport> {
  await assertBusiness(deps, tenantId);
  const startedAt = Date.now();
  // The business record goes last, so an interrupted purge can be run again.
  const last = new Set([keyId({ pk: `t#${tenantId}`, sk: 'tenant' })]);
  const handled = new Set<string>();
  for (const dataClass of deps.dataClasses.filter((c) => c.retention.basis === 'legal')) {
    for await (const key of keysOf(deps, tenantId, dataClass)) handled.add(keyId(key));
  }
  const count = tally(deps, tenantId, options, handled, last);
  const classes: PurgeReport['classes'] = [];
  for (const dataClass of deps.dataClasses.filter((c) => c.retention.basis !== 'legal')) {
    classes.push({ name: dataClass.name, items: await count(dataClass.name, keysOf(deps, tenantId, dataClass)) });
  }
  const unclassified = await count('unclassified', keysAt(deps, tenantId, { index: 'byTenant', skPrefix: '' }));

  let objects = 0;
  for await (const key of deps.blobs.list(tenantId)) {
    objects++;
    if (!options.dryRun) await deps.blobs.delete(tenantId, key);
    if (objects % PROGRESS_EVERY === 0)
      options.onProgress?.({ tenantId, what: 'objects', count: objects, done: false });
  }
  options.onProgress?.({ tenantId, what: 'objects', count: objects, done: true });

  if (!options.dryRun) await deps.store.entities.tenant.delete({ tenantId }).go({ response: 'none' });
  const report = { tenantId, kind: 'tenant' as const, classes, objects, unclassified };
  if (options.dryRun) return { ...report, dryRun: true };
  return { ...report, dryRun: false, receiptId: await storeReceipt(deps, report, options.by, startedAt) };
}

/**
 * Removes every item of the named data classes of one business, and nothing else: the business
 * and its other classes stay (Shopify's `shop/redact` removes the store's copy, not the
 * business). The same per-class deletion as the tenant purge, with a receipt (`kind: classes`).
 */
export async function purgeClasses(
  deps: PurgeDeps,
  tenantId: string,
  names: readonly string[],
  options: PurgeOptions,
): Promise<PurgeReport> {
  await assertBusiness(deps, tenantId);
  const picked = deps.dataClasses.filter((c) => names.includes(c.name));
  const unknown = names.filter((name) => !picked.some((c) => c.name === name));
  if (unknown.length > 0) throw new ValidationError(`no such data class: ${unknown.join(', ')}`);
  if (picked.some((c) => c.retention.basis === 'legal')) throw new ValidationError('a class kept for a legal duty');
  const startedAt = Date.now();
  const count = tally(deps, tenantId, options, new Set());
  const classes: PurgeReport['classes'] = [];
  for (const dataClass of picked) {
    classes.push({ name: dataClass.name, items: await count(dataClass.name, keysOf(deps, tenantId, dataClass)) });
  }
  const report = { tenantId, kind: 'classes' as const, classes, objects: 0, unclassified: 0 };
  if (options.dryRun) return { ...report, dryRun: true };
  return { ...report, dryRun: false, receiptId: await storeReceipt(deps, report, options.by, startedAt) };
}

export interface RetentionOptions extends PurgeOptions {
  /** The run's clock (the schedule's fire time), so a delayed run decides as of when it was due. */
  now: number;
  /** One business only; otherwise every business. */
  tenantId?: string;
  /**
   * A business's own shorter retention per class (days), e.g. messages kept 1 year. Honoured
   * only for classes whose creation time is in their keys.
   */
  shorterRetention?: (tenantId: string) => Promise<Readonly<Record<string, number>>>;
}

const DAY = 86_400_000;

/**
 * Every business, from the business list (an index, not a Scan), then the shared spaces: what
 * they keep by age (the dev outbox's mails) has a retention too.
 */
async function* businesses(deps: PurgeDeps): AsyncGenerator<string> {
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { data: { tenantId: string }[]; cursor: string | null } = await deps.store.entities.tenant.query
      .byList({})
      .go({ cursor, attributes: ['tenantId'] });
    for (const tenant of page.data) {
      seen.add(tenant.tenantId);
      yield tenant.tenantId;
    }
    cursor = page.cursor;
  } while (cursor);
  // Deleted businesses whose legal records (invoices) are still kept: past their retention, they go too.
  const reader: PartitionReader = { keys: (location) => keysAt(deps, '', location) };
  for (const dataClass of deps.dataClasses) {
    if (!dataClass.keptBeyondBusinesses) continue;
    for await (const tenantId of dataClass.keptBeyondBusinesses(reader)) {
      if (seen.has(tenantId) || SPACES.has(tenantId)) continue;
      seen.add(tenantId);
      yield tenantId;
    }
  }
  yield* SPACES;
}

/**
 * Deletes, per business, the items past their class's retention. Only classes whose keys
 * carry the creation time can be purged this way (one key range per location); the others
 * stay until the business's own purge, or their TTL. Classes kept while the business lives
 * are purged by age only where the business chose a shorter period.
 */
export async function purgeRetention(deps: PurgeDeps, options: RetentionOptions): Promise<PurgeReport[]> {
  if (options.tenantId !== undefined) await assertBusiness(deps, options.tenantId);
  const reports: PurgeReport[] = [];
  const tenants = options.tenantId !== undefined ? [options.tenantId] : businesses(deps);
  for await (const tenantId of tenants) {
    const startedAt = Date.now();
    const shorter = (await options.shorterRetention?.(tenantId)) ?? {};
    const count = tally(deps, tenantId, options, new Set());
    const classes: PurgeReport['classes'] = [];
    for (const dataClass of deps.dataClasses) {
      if (!dataClass.createdInSortKey) continue;
      const own = shorter[dataClass.name];
      const days =
        dataClass.retention.basis === 'account-deletion'
          ? own
          : Math.min(dataClass.retention.days, own ?? Number.POSITIVE_INFINITY);
      if (days === undefined || !Number.isFinite(days)) continue;
      const before = options.now - days * DAY;
      classes.push({
        name: dataClass.name,
        items: await count(dataClass.name, keysOf(deps, tenantId, dataClass, before)),
      });
    }
    const report = { tenantId, kind: 'retention' as const, classes, objects: 0, unclassified: 0 };
    const deleted = classes.some((c) => c.items > 0);
    reports.push(
      options.dryRun || !deleted
        ? { ...report, dryRun: Boolean(options.dryRun) }
        : { ...report, dryRun: false, receiptId: await storeReceipt(deps, report, options.by, startedAt) },
    );
  }
  return reports;
}
