import { randomBytes } from 'node:crypto';
import {
  PRIVACY_REQUEST_DAYS,
  PRIVACY_REQUEST_KINDS,
  PRIVACY_REQUEST_SOURCES,
  type PrivacyReceipt,
  type PrivacyRequest,
  type PrivacyRequestKind,
  type PrivacyRequestSource,
} from '@asistone/contract/privacy';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { TransferAgreementsRequestRecord } from './requests.js';

/**
 * Every request about personal data a business has had (a contact's export, correction,
 * restriction or erasure, the account's export or deletion, the transfer agreements, Meta's
 * data deletion callback), from the app, by mail, from ops or from Meta, each with the policy's
 * deadline counted from when it was received, and when done the receipt of what was removed or
 * handed over. No personal data: the contact's opaque id while the request is open (the engine
 * needs it to finish the job), dropped when it is done or cancelled.
 */

const DAY_MS = 24 * 3600 * 1000;

/** The one partition of open requests of every business, by deadline: what the deadline alarm reads. */
export const OPEN_PRIVACY_REQUESTS = 'privacy#open';

export const PrivacyRequestRecord = new Entity({
  model: { entity: 'privacyRequest', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** `pr_<createdAt>_<random>`: the creation time in the id finds the item's key. */
    requestId: { type: 'string', required: true, readOnly: true },
    /** When it was recorded, ms (the retention purge counts from it). */
    createdAt: { type: 'number', required: true, readOnly: true },
    kind: { type: PRIVACY_REQUEST_KINDS, required: true, readOnly: true },
    source: { type: PRIVACY_REQUEST_SOURCES, required: true, readOnly: true },
    /** `member:<userId>`, `ops:<name>`, `meta` or `schedule:<name>`. */
    requestedBy: { type: 'string', required: true, readOnly: true },
    /** When it was received, ms (a mailed request: when the mail arrived). */
    receivedAt: { type: 'number', required: true, readOnly: true },
    /** `receivedAt` + PRIVACY_REQUEST_DAYS, ms. */
    dueAt: { type: 'number', required: true, readOnly: true },
    status: { type: ['open', 'done', 'cancelled'] as const, required: true },
    /** The contact it is about, while open (an opaque id, no name or number). */
    contactId: { type: 'string' },
    completedAt: { type: 'number' },
    /**
     * While open: what a run stopped halfway already removed, by data class, so the receipt of
     * the run that finishes counts the whole job.
     */
    progress: {
      type: 'list',
      items: {
        type: 'map',
        properties: { dataClass: { type: 'string', required: true }, count: { type: 'number', required: true } },
      },
    },
    receipt: {
      type: 'map',
      properties: {
        receiptId: { type: 'string', required: true },
        at: { type: 'number', required: true },
        by: { type: 'string', required: true },
        items: {
          type: 'list',
          required: true,
          items: {
            type: 'map',
            properties: { dataClass: { type: 'string', required: true }, count: { type: 'number', required: true } },
          },
        },
      },
    },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#privacy-requests', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['createdAt', 'requestId'],
        template: 'request#${createdAt}#${requestId}',
        casing: 'none',
      },
    },
    /**
     * Open requests of every business, soonest deadline first (sparse: an item leaves the index
     * when done or cancelled), so the deadline alarm reads one Query, never a Scan. Ids and
     * times only, no personal data.
     */
    openByDeadline: {
      index: 'gsi1',
      condition: (request) => request.status === 'open',
      pk: { field: 'gsi1pk', composite: [], template: OPEN_PRIVACY_REQUESTS, casing: 'none' },
      sk: {
        field: 'gsi1sk',
        composite: ['dueAt', 'tenantId', 'requestId'],
        template: '${dueAt}#${tenantId}#${requestId}',
        casing: 'none',
      },
    },
  },
});

/**
 * The requests' records. The transfer agreements requests were recorded before this module
 * (requests.ts) and keep their own records and API answers; the business's list reads them too,
 * so a store of these records can.
 */
export const PRIVACY_REQUEST_RECORDS = {
  privacyRequest: PrivacyRequestRecord,
  transferAgreementsRequest: TransferAgreementsRequestRecord,
};
export type PrivacyRequestsStore = Store<typeof PRIVACY_REQUEST_RECORDS>;

/**
 * Requests are the proof that a promise was kept (an erasure's receipt names what was removed),
 * so, like the purges' receipts, they outlive the business's own purge (`legal`) and are kept as
 * long as the logs that could be asked about them. The contact id they carry while open is an
 * opaque id, and is dropped when they are done.
 */
export const PRIVACY_REQUEST_DATA_CLASSES: DataClass[] = [
  {
    name: 'privacy.requests',
    description:
      'Requests about personal data (kind, source, who asked, when, deadline, receipt); the contact id only while open',
    personal: false,
    retention: { days: RETENTION_DAYS.logs, basis: 'legal' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#privacy-requests`, skPrefix: 'request#' }]),
    createdInSortKey: true,
  },
];

export interface NewPrivacyRequest {
  tenantId: string;
  kind: PrivacyRequestKind;
  source: PrivacyRequestSource;
  /** 'member:<userId>' | 'ops:<name>' | 'meta' | 'schedule:<name>' */
  requestedBy: string;
  /** When it was received (a mailed request: when the mail arrived); default now. The deadline counts from it. */
  receivedAt?: number;
  /** The contact it is about, while open (dropped when an erasure completes). */
  contactId?: string;
}

type RequestItem = {
  tenantId: string;
  requestId: string;
  createdAt: number;
  kind: PrivacyRequestKind;
  source: PrivacyRequestSource;
  requestedBy: string;
  receivedAt: number;
  dueAt: number;
  status: 'open' | 'done' | 'cancelled';
  contactId?: string;
  completedAt?: number;
  progress?: { dataClass: string; count: number }[];
  receipt?: { receiptId: string; at: number; by: string; items: { dataClass: string; count: number }[] };
};

const iso = (ms: number) => new Date(ms).toISOString();

function view(item: RequestItem): PrivacyRequest {
  return {
    requestId: item.requestId,
    kind: item.kind,
    source: item.source,
    status: item.status,
    requestedAt: iso(item.receivedAt),
    dueAt: iso(item.dueAt),
    completedAt: item.completedAt === undefined ? null : iso(item.completedAt),
    receipt: item.receipt
      ? {
          receiptId: item.receipt.receiptId,
          at: iso(item.receipt.at),
          by: item.receipt.by,
          items: item.receipt.items.map(({ dataClass, count }) => ({ dataClass, count })),
        }
      : null,
  };
}

/** Opens a request with its deadline; answers it as the privacy page shows it. */
export async function openPrivacyRequest(
  store: PrivacyRequestsStore,
  input: NewPrivacyRequest,
): Promise<PrivacyRequest> {
  const createdAt = Date.now();
  const receivedAt = input.receivedAt ?? createdAt;
  const item: RequestItem = {
    tenantId: input.tenantId,
    requestId: `pr_${createdAt}_${randomBytes(8).toString('hex')}`,
    createdAt,
    kind: input.kind,
    source: input.source,
    requestedBy: input.requestedBy,
    receivedAt,
    dueAt: receivedAt + PRIVACY_REQUEST_DAYS * DAY_MS,
    status: 'open',
    ...(input.contactId === undefined ? {} : { contactId: input.contactId }),
  };
  await store.entities.privacyRequest.create(item).go({ response: 'none' });
  return view(item);
}

async function loadItem(store: PrivacyRequestsStore, tenantId: string, requestId: string) {
  const match = /^pr_(\d{13})_[0-9a-f]+$/.exec(requestId);
  if (!match) return undefined;
  const { data } = await store.entities.privacyRequest.get({ tenantId, createdAt: Number(match[1]), requestId }).go();
  return (data ?? undefined) as RequestItem | undefined;
}

async function finish(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
  status: 'done' | 'cancelled',
  receipt: PrivacyReceipt | null,
): Promise<PrivacyRequest> {
  const item = await loadItem(store, tenantId, requestId);
  if (!item) throw new NotFoundError('no such request');
  if (item.status !== 'open') throw new ConflictError(`the request is already ${item.status}`);
  // Rewritten whole (not patched): the sparse index's keys go with the status, and the contact
  // id is dropped now that nothing is left to do for it.
  const { contactId: _dropped, progress: _done, ...kept } = item;
  const next: RequestItem = {
    ...kept,
    status,
    completedAt: receipt ? Date.parse(receipt.at) : Date.now(),
    ...(receipt
      ? {
          receipt: {
            receiptId: receipt.receiptId,
            at: Date.parse(receipt.at),
            by: receipt.by,
            items: receipt.items.map(({ dataClass, count }) => ({ dataClass, count })),
          },
        }
      : {}),
  };
  await store.entities.privacyRequest
    .put(next)
    .where((attr, op) => op.eq(attr.status, 'open'))
    .go({ response: 'none' });
  return view(next);
}

/** Marks an open request done, with the receipt of what it removed or handed over. */
export function completePrivacyRequest(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
  receipt: PrivacyReceipt | null,
): Promise<PrivacyRequest> {
  return finish(store, tenantId, requestId, 'done', receipt);
}

/** Withdraws an open request (e.g. an account deletion cancelled in its grace period). */
export function cancelPrivacyRequest(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
): Promise<PrivacyRequest> {
  return finish(store, tenantId, requestId, 'cancelled', null);
}

export async function getPrivacyRequest(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
): Promise<PrivacyRequest | undefined> {
  const item = await loadItem(store, tenantId, requestId);
  return item ? view(item) : undefined;
}

/** The contact an open request is about (the engine's own use: the API never shows it). */
export async function contactOfPrivacyRequest(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
): Promise<string | undefined> {
  return (await loadItem(store, tenantId, requestId))?.contactId;
}

/** What the open request's stopped runs removed so far, by data class (empty when none). */
export async function progressOfPrivacyRequest(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
): Promise<{ dataClass: string; count: number }[]> {
  return (await loadItem(store, tenantId, requestId))?.progress ?? [];
}

/** Notes what the open request's run removed so far (the totals, replacing the last note). */
export async function notePrivacyRequestProgress(
  store: PrivacyRequestsStore,
  tenantId: string,
  requestId: string,
  progress: readonly { dataClass: string; count: number }[],
): Promise<void> {
  const item = await loadItem(store, tenantId, requestId);
  if (item?.status !== 'open') throw new ConflictError('the request is not open');
  await store.entities.privacyRequest
    .put({ ...item, progress: progress.map(({ dataClass, count }) => ({ dataClass, count })) })
    .where((attr, op) => op.eq(attr.status, 'open'))
    .go({ response: 'none' });
}

/** Every request of the business, newest first, the transfer agreements requests among them. */
export async function listPrivacyRequests(store: PrivacyRequestsStore, tenantId: string): Promise<PrivacyRequest[]> {
  const [own, transfers] = await Promise.all([
    store.entities.privacyRequest.query.byTime({ tenantId }).go({ pages: 'all' }),
    store.entities.transferAgreementsRequest.query.byTime({ tenantId }).go({ pages: 'all' }),
  ]);
  const requests = [
    ...(own.data as RequestItem[]).map(view),
    ...transfers.data.map(
      (item): PrivacyRequest => ({
        requestId: item.requestId,
        kind: 'transfer-agreements',
        source: 'app',
        status: item.status === 'answered' ? 'done' : 'open',
        requestedAt: iso(item.requestedAt),
        dueAt: iso(item.dueAt),
        completedAt: null,
        receipt: null,
      }),
    ),
  ];
  return requests.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
}

/** Open requests of every business due before `dueBy` (epoch ms), by one Query on a sparse index: for the deadline alarm. */
export async function* openPrivacyRequestsDueBy(
  store: PrivacyRequestsStore,
  dueBy: number,
): AsyncIterable<{ tenantId: string; requestId: string; kind: PrivacyRequestKind; dueAt: number }> {
  let cursor: string | null = null;
  do {
    const page: { data: RequestItem[]; cursor: string | null } = (await store.entities.privacyRequest.query
      .openByDeadline({})
      .lt({ dueAt: dueBy })
      .go({ cursor })) as { data: RequestItem[]; cursor: string | null };
    for (const item of page.data) {
      if (item.status !== 'open') continue;
      yield { tenantId: item.tenantId, requestId: item.requestId, kind: item.kind, dueAt: item.dueAt };
    }
    cursor = page.cursor;
  } while (cursor);
}
