import type { CampaignListColumns, ListCounts, ListFailure, ListRejectReason } from '@asistone/contract/campaign-lists';
import { LIST_REJECT_REASONS } from '@asistone/contract/campaign-lists';
import type { Logger } from '@aws-lambda-powertools/logger';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { recordConsent } from '../inbox/consent.js';
import { ensureWhatsAppContact } from '../inbox/contacts.js';
import type { InboxStore } from '../inbox/records.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { CSV_LIMITS, CsvEncodingError, type CsvRecord, type Delimiter, parseCsv } from './csv.js';
import { CAMPAIGN_IMPORTS_QUEUE, type CampaignImportMessage, IMPORT_WORK_SECONDS } from './import-queue.js';
import { type CampaignListStore, EMPTY_COUNTS, reportKeyOf } from './list-records.js';
import { deleteMembers, removeList } from './lists.js';
import { normalisePhone } from './phone.js';

/**
 * Imports an uploaded customer list, row by row, streamed from storage. Each good row becomes (or
 * finds) an inbox contact, a member of the list, and, when the file has a consent column, an
 * entry of the consent ledger; each bad row is counted and written to the report with its row
 * number, reason and column, never its value.
 *
 * It resumes: every thousand rows it records a checkpoint on the list (the byte after the last
 * record, the next row number, the counts) and writes that stretch's rejected rows as a part of
 * the report; a redelivered or continued message starts from the checkpoint, and the rows after
 * it are done again harmlessly (members are created conditionally and a member knows its first
 * row, ledger entries have ids derived from list, contact and state), so the counts come out the
 * same. After IMPORT_WORK_SECONDS it checkpoints and continues in a new message.
 */

export interface ListImportDeps {
  store: CampaignListStore & InboxStore & AuditStore;
  keyring: TenantKeyring;
  blobs: Pick<Blobs, 'getStream' | 'get' | 'put' | 'delete'>;
  producer: Pick<Producer, 'send'>;
  log: Logger;
  /** Work time per delivery, ms (tests shorten it). */
  workMs?: number;
}

/** How often progress is recorded (the list page reads it) and the place a rerun resumes from. */
export const CHECKPOINT_ROWS = 1000;
/** Rows handled at once; rows of one contact among them are handled in file order. */
const BATCH_ROWS = 100;
const PARALLEL_CONTACTS = 16;
/** Extra columns kept per member for template variables. */
const MAX_KEPT_FIELDS = 20;
const MAX_FIELD_CHARS = 200;

export const GRANT_WORDS = new Set(['evet', 'yes', '1', 'true', 'onay', 'var', 'e', 'y']);
export const WITHDRAW_WORDS = new Set(['hayır', 'hayir', 'no', '0', 'false', 'ret', 'yok', 'h', 'n']);

const reportPartKeyOf = (listId: string, part: number) =>
  `campaign-lists/${listId}/report-parts/${String(part).padStart(6, '0')}.csv`;

type FileConsent = 'granted' | 'withdrawn' | 'none';

/** Where the columns are in the file, found from the header once. */
interface ColumnPlan {
  phone: number;
  name?: number;
  consent?: number;
  /** Other columns kept for template variables: header and position. */
  kept: [string, number][];
  headers: { phone: string; consent?: string };
}

interface Checkpoint {
  offset: number;
  /** The record before `offset` ended with a CR (a LF at `offset` ends it too). */
  afterCr?: boolean;
  row: number;
  delimiter: Delimiter;
  plan: ColumnPlan;
  parts: number;
  /** The whole file was read: only the finishing steps remain. */
  done?: boolean;
}

/** The list was deleted (or is being deleted) while it was imported. */
class ListGoneError extends Error {
  override name = 'ListGoneError';
}

/**
 * The list was deleted during its import: the members this run wrote since the deletion began
 * are removed too (this run is the only writer), and the deletion finished.
 */
async function afterDeletion(deps: ListImportDeps, list: ListItem) {
  const { tenantId, listId } = list;
  await deleteMembers(deps.store, tenantId, listId, Number.POSITIVE_INFINITY);
  await removeList(deps, tenantId, listId);
  deps.log.info('campaign list deleted during its import', { tenantId, listId });
}

type Rejection = { row: number; reason: ListRejectReason; column: string };

/** A consent cell's meaning; undefined: not a value the column takes. */
export function consentOfCell(value: string | undefined): FileConsent | undefined {
  const word = (value ?? '').trim().toLocaleLowerCase('tr');
  if (word === '') return 'none';
  if (GRANT_WORDS.has(word)) return 'granted';
  if (WITHDRAW_WORDS.has(word)) return 'withdrawn';
  return undefined;
}

/** A report cell: quoted when needed, and never read by a spreadsheet as a formula. */
function reportCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
const reportLines = (rows: Rejection[]) =>
  rows.map((r) => `${reportCell(r.row)},${reportCell(r.reason)},${reportCell(r.column)}\r\n`).join('');
const REPORT_HEADER = 'row,reason,column\r\n';

const fold = (header: string) => header.trim().toLocaleLowerCase('tr');

/** The column plan from the header, or why the file cannot be imported. */
function planOf(header: string[], columns: CampaignListColumns): ColumnPlan | ListFailure {
  const find = (wanted: string | undefined) => {
    if (wanted === undefined) return undefined;
    const index = header.findIndex((h) => fold(h) === fold(wanted));
    return index < 0 ? -1 : index;
  };
  const phone = find(columns.phone) as number;
  const name = find(columns.name);
  const consent = find(columns.consent);
  if (phone < 0 || name === -1 || consent === -1) return 'missing-columns';
  const used = new Set([phone, name, consent]);
  const kept: [string, number][] = [];
  header.forEach((h, index) => {
    if (!used.has(index) && h.trim() !== '' && kept.length < MAX_KEPT_FIELDS)
      kept.push([h.trim().slice(0, 100), index]);
  });
  return {
    phone,
    ...(name !== undefined && { name }),
    ...(consent !== undefined && { consent }),
    kept,
    headers: {
      phone: header[phone]?.trim() ?? columns.phone,
      ...(consent !== undefined && { consent: header[consent]?.trim() ?? '' }),
    },
  };
}

type ListItem = NonNullable<
  Awaited<ReturnType<ReturnType<CampaignListStore['entities']['campaignList']['get']>['go']>>['data']
>;

interface RunState {
  counts: ListCounts;
  rejectedByReason: Record<string, number>;
}

/** One good row, ready to write. */
interface GoodRow {
  row: number;
  e164: string;
  name?: string;
  consent: FileConsent;
  fields: Record<string, string>;
}

/** Reads a record into a good row or a rejection. */
function readRow(record: CsvRecord, plan: ColumnPlan): GoodRow | Rejection {
  if ('error' in record) return { row: record.row, reason: record.error, column: '' };
  const { fields, row } = record;
  const phone = normalisePhone(fields[plan.phone] ?? '');
  if (!phone.ok) return { row, reason: phone.reason, column: plan.headers.phone };
  const consent = plan.consent === undefined ? 'none' : consentOfCell(fields[plan.consent]);
  if (!consent) return { row, reason: 'bad-consent-value', column: plan.headers.consent ?? '' };
  const name = plan.name === undefined ? '' : (fields[plan.name] ?? '').trim().slice(0, MAX_FIELD_CHARS);
  const kept: Record<string, string> = {};
  for (const [header, index] of plan.kept) {
    const value = (fields[index] ?? '').trim();
    if (value !== '') kept[header] = value.slice(0, MAX_FIELD_CHARS);
  }
  return { row, e164: phone.e164, ...(name && { name }), consent, fields: kept };
}

/** The ledger entry of this list for this contact and state: the same on every rerun. */
const entryIdOf = (listId: string, contactId: string, state: 'granted' | 'withdrawn') =>
  `import_${listId}_${contactId}_${state}`;

/**
 * Writes the rows of one contact (in file order): the contact, the membership (the first row
 * creates it, later rows merge into it, a withdrawal on any of them wins) and the consent.
 */
async function writeContactRows(
  deps: ListImportDeps,
  keys: TenantKeys,
  list: ListItem,
  rows: GoodRow[],
  state: RunState,
) {
  const { store } = deps;
  const { tenantId, listId } = list;
  const at = list.consentCollectedAt ?? list.createdAt;
  for (const good of rows) {
    const contactId = await ensureWhatsAppContact({ store, keys }, tenantId, good.e164, good.name);
    let first = true;
    let existing: { row: number; lastRow?: number; consentRows?: number[]; fileConsent: FileConsent } | undefined;
    try {
      await store.entities.campaignListMember
        .create({
          tenantId,
          listId,
          contactId,
          row: good.row,
          lastRow: good.row,
          fileConsent: good.consent,
          ...(Object.keys(good.fields).length > 0 && {
            fields: keys.seal('campaignListMember', 'fields', `${listId}:${contactId}`, JSON.stringify(good.fields)),
          }),
        })
        .go();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { data } = await store.entities.campaignListMember
        .get({ tenantId, listId, contactId })
        .go({ consistent: true });
      if (!data) throw error;
      existing = data;
      // The same row done before an interruption: it is still the first.
      first = data.row === good.row;
    }
    if (first) state.counts.accepted++;
    else if (existing) {
      state.counts.merged++;
      // A later row records consent only when it changes what the file says of the customer:
      // a withdrawal over a grant (or nothing), a grant over nothing; a grant never undoes the
      // file's own withdrawal, and a repeated one adds nothing. The member keeps the last row
      // applied and the rows that changed it, so a row done again after an interruption counts
      // exactly as it did the first time.
      const lastRow = existing.lastRow ?? existing.row;
      const changedBy = existing.consentRows ?? [];
      if (good.row <= lastRow) {
        if (!changedBy.includes(good.row)) continue;
      } else {
        const merged: FileConsent =
          existing.fileConsent === 'withdrawn' || good.consent === 'withdrawn'
            ? 'withdrawn'
            : existing.fileConsent === 'granted' || good.consent === 'granted'
              ? 'granted'
              : 'none';
        const changed = merged !== existing.fileConsent;
        await store.entities.campaignListMember
          .patch({ tenantId, listId, contactId })
          .set({
            lastRow: good.row,
            ...(changed && { fileConsent: merged, consentRows: [...changedBy, good.row] }),
          })
          .go();
        if (!changed) continue;
      }
    }
    if (good.consent === 'none') continue;
    const base = {
      tenantId,
      contactId,
      channel: 'whatsapp' as const,
      purpose: 'marketing' as const,
      source: 'import' as const,
      at,
      wording: list.consentWording ?? '',
      actor: list.createdBy,
    };
    if (good.consent === 'withdrawn') {
      await recordConsent(
        { store, keys },
        { ...base, state: 'withdrawn', entryId: entryIdOf(listId, contactId, 'withdrawn') },
      );
      state.counts.consentWithdrawn++;
      continue;
    }
    // A file never undoes a customer's STOP (or any withdrawal recorded elsewhere): only a
    // withdrawal this same list recorded (a rerun) leaves room for the grant.
    const { data: current } = await store.entities.consentState
      .get({ tenantId, contactId, channel: 'whatsapp', purpose: 'marketing' })
      .go({ consistent: true });
    if (current?.state === 'withdrawn' && !current.entryId.startsWith(`import_${listId}_`)) {
      state.counts.keptWithdrawn++;
      continue;
    }
    await recordConsent(
      { store, keys },
      {
        ...base,
        state: 'granted',
        entryId: entryIdOf(listId, contactId, 'granted'),
        ...(list.iysRegistered !== undefined && { iys: list.iysRegistered }),
      },
    );
    state.counts.consentGranted++;
  }
}

/** Writes one batch of records: rejections counted, good rows grouped by number and written. */
async function writeBatch(
  deps: ListImportDeps,
  keys: TenantKeys,
  list: ListItem,
  plan: ColumnPlan,
  records: CsvRecord[],
  state: RunState,
  rejections: Rejection[],
) {
  const byNumber = new Map<string, GoodRow[]>();
  for (const record of records) {
    state.counts.rows++;
    const read = readRow(record, plan);
    if ('reason' in read) {
      state.counts.rejected++;
      state.rejectedByReason[read.reason] = (state.rejectedByReason[read.reason] ?? 0) + 1;
      rejections.push(read);
      continue;
    }
    const same = byNumber.get(read.e164);
    if (same) same.push(read);
    else byNumber.set(read.e164, [read]);
  }
  const groups = [...byNumber.values()];
  for (let i = 0; i < groups.length; i += PARALLEL_CONTACTS) {
    await Promise.all(
      groups.slice(i, i + PARALLEL_CONTACTS).map((rows) => writeContactRows(deps, keys, list, rows, state)),
    );
  }
}

async function failList(deps: ListImportDeps, list: ListItem, failure: ListFailure) {
  const { tenantId, listId } = list;
  if (list.uploadKey) await deps.blobs.delete(tenantId, list.uploadKey);
  await deps.store.entities.campaignList
    .patch({ tenantId, listId })
    .set({ state: 'failed', failure })
    .remove(['uploadKey', 'checkpoint'])
    .where((item, { eq }) => eq(item.state, 'importing'))
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  deps.log.warn('campaign list import failed', { tenantId, listId, failure });
}

/** Fills an uploaded list (the import queue's message for a list whose source is `upload`). */
export async function importUploadedList(deps: ListImportDeps, message: CampaignImportMessage): Promise<void> {
  const { store } = deps;
  const { tenantId, listId } = message;
  const startedAt = Date.now();
  const workMs = deps.workMs ?? IMPORT_WORK_SECONDS * 1000;
  const { data } = await store.entities.campaignList.get({ tenantId, listId }).go({ consistent: true });
  // Deleted meanwhile, or finished by an earlier delivery: nothing to do.
  if (data?.state !== 'importing') return;
  const list = data as ListItem;
  const keys = await deps.keyring.forTenant(tenantId);
  let checkpoint = list.checkpoint as Checkpoint | undefined;
  const state: RunState = {
    counts: { ...EMPTY_COUNTS, ...(list.counts as Partial<ListCounts>) },
    rejectedByReason: { ...(list.rejectedByReason as Record<string, number>) },
  };
  if (!checkpoint) {
    // A fresh start: counts from nothing (an import interrupted before its first checkpoint starts over).
    state.counts = { ...EMPTY_COUNTS };
    state.rejectedByReason = {};
  }

  if (!checkpoint?.done) {
    if (!list.uploadKey) return failList(deps, list, 'missing-file');
    const stream = await deps.blobs.getStream(tenantId, list.uploadKey, checkpoint?.offset ?? 0);
    if (!stream) return failList(deps, list, 'missing-file');
    const records = parseCsv(
      stream,
      checkpoint
        ? {
            offset: checkpoint.offset,
            row: checkpoint.row,
            delimiter: checkpoint.delimiter,
            afterCr: checkpoint.afterCr === true,
          }
        : {},
    );
    let plan = checkpoint?.plan;
    let pending: CsvRecord[] = [];
    let rejections: Rejection[] = [];
    let sinceCheckpoint = 0;
    let next = checkpoint?.offset ?? 0;
    let nextRow = checkpoint?.row ?? 1;
    let afterCr = checkpoint?.afterCr === true;
    let delimiter: Delimiter = checkpoint?.delimiter ?? ',';
    let parts = checkpoint?.parts ?? 0;

    const saveCheckpoint = async (done: boolean) => {
      if (rejections.length > 0) {
        await deps.blobs.put(tenantId, reportPartKeyOf(listId, parts), reportLines(rejections), 'text/csv');
        parts++;
        rejections = [];
      }
      checkpoint = {
        offset: next,
        row: nextRow,
        delimiter,
        plan: plan as ColumnPlan,
        parts,
        ...(afterCr && { afterCr }),
        ...(done && { done }),
      };
      try {
        await store.entities.campaignList
          .patch({ tenantId, listId })
          .set({ checkpoint, counts: state.counts, rejectedByReason: state.rejectedByReason })
          .where((item, { eq }) => eq(item.state, 'importing'))
          .go();
      } catch (error) {
        if (isConditionFailure(error)) throw new ListGoneError();
        throw error;
      }
      sinceCheckpoint = 0;
    };

    try {
      for await (const record of records) {
        delimiter = record.delimiter;
        if (!plan) {
          // The header.
          if ('error' in record)
            return failList(deps, list, record.error === 'encoding' ? 'encoding' : 'too-many-columns');
          const planned = planOf(record.fields, list.columns as CampaignListColumns);
          if (typeof planned === 'string') return failList(deps, list, planned);
          plan = planned;
          next = record.next;
          nextRow = record.row + 1;
          afterCr = record.cr === true;
          continue;
        }
        if (record.row - 1 > CSV_LIMITS.maxRows) {
          // Past the limit: the first row over it is reported and the rest is not read.
          await writeBatch(deps, keys, list, plan, pending, state, rejections);
          pending = [];
          state.counts.rows++;
          state.counts.rejected++;
          state.rejectedByReason['too-many-rows'] = (state.rejectedByReason['too-many-rows'] ?? 0) + 1;
          rejections.push({ row: record.row, reason: 'too-many-rows', column: '' });
          break;
        }
        pending.push(record);
        next = record.next;
        nextRow = record.row + 1;
        afterCr = record.cr === true;
        sinceCheckpoint++;
        if (pending.length >= BATCH_ROWS) {
          await writeBatch(deps, keys, list, plan, pending, state, rejections);
          pending = [];
        }
        if (sinceCheckpoint >= CHECKPOINT_ROWS) {
          // Everything up to the checkpoint is written before it is recorded.
          await writeBatch(deps, keys, list, plan, pending, state, rejections);
          pending = [];
          await saveCheckpoint(false);
          if (Date.now() - startedAt > workMs) {
            // Continue in a new message (a function runs at most 15 minutes); this one ends here.
            await deps.producer.send(CAMPAIGN_IMPORTS_QUEUE, { tenantId, listId });
            return;
          }
        }
      }
    } catch (error) {
      if (error instanceof CsvEncodingError) return failList(deps, list, 'encoding');
      if (error instanceof ListGoneError) return afterDeletion(deps, list);
      throw error;
    }
    if (!plan) return failList(deps, list, 'empty-file');
    await writeBatch(deps, keys, list, plan, pending, state, rejections);
    await saveCheckpoint(true);
  }
  await finishImport(deps, list, checkpoint as Checkpoint, state);
}

/**
 * The finishing steps, each safe to run again: the report's parts joined into one file (then
 * removed), the upload removed, the list marked ready (once: the audit entry follows that write).
 */
async function finishImport(deps: ListImportDeps, list: ListItem, checkpoint: Checkpoint, state: RunState) {
  const { tenantId, listId } = list;
  let reportKey: string | undefined;
  if (checkpoint.parts > 0) {
    reportKey = reportKeyOf(listId);
    const chunks: string[] = [REPORT_HEADER];
    let missing = false;
    for (let part = 0; part < checkpoint.parts; part++) {
      const body = await deps.blobs.get(tenantId, reportPartKeyOf(listId, part));
      if (!body) missing = true;
      else chunks.push(body.toString('utf8'));
    }
    // Parts already joined and removed by an earlier run: the report stands.
    if (!missing) await deps.blobs.put(tenantId, reportKey, chunks.join(''), 'text/csv');
    for (let part = 0; part < checkpoint.parts; part++)
      await deps.blobs.delete(tenantId, reportPartKeyOf(listId, part));
  }
  if (list.uploadKey) await deps.blobs.delete(tenantId, list.uploadKey);
  const now = Date.now();
  try {
    await deps.store.entities.campaignList
      .patch({ tenantId, listId })
      .set({
        state: 'ready',
        importedAt: now,
        counts: state.counts,
        rejectedByReason: state.rejectedByReason,
        ...(reportKey && { reportKey }),
      })
      .remove(['uploadKey', 'checkpoint'])
      .where((item, { eq }) => eq(item.state, 'importing'))
      .go();
  } catch (error) {
    if (isConditionFailure(error)) return afterDeletion(deps, list);
    throw error;
  }
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'campaign.list_imported',
      actorId: list.createdBy,
      target: { type: 'campaign-list', id: listId },
      detail: Object.fromEntries(Object.entries(state.counts).map(([name, n]) => [name, String(n)])),
    },
    now,
  );
  deps.log.info('campaign list imported', { tenantId, listId, ...state.counts });
}

/** The reasons in the order the report and the page list them. */
export const REJECT_REASON_ORDER: readonly ListRejectReason[] = LIST_REJECT_REASONS;
