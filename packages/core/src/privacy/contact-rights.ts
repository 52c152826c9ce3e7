import { randomUUID } from 'node:crypto';
import type { Contact, ContactExport, ErasureReceipt } from '@asistone/contract/contacts';
import type { PrivacyRequestKind, PrivacyRequestSource } from '@asistone/contract/privacy';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { changeContactFields, setContactRestriction } from '../inbox/contacts.js';
import type { InboxStore } from '../inbox/records.js';
import type { ContactData, ContactDataContext } from '../platform/area.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { toCsv } from '../platform/csv.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { Records, Store } from '../platform/store/service.js';
import { zipFiles } from './archive.js';
import {
  CONTACT_EXPORT_DAYS,
  type CONTACT_EXPORT_RECORDS,
  CONTACT_EXPORT_TAGGING,
  CONTACT_EXPORTS_UNDER,
  exportMadeAt,
} from './contact-exports.js';
import {
  completePrivacyRequest,
  contactOfPrivacyRequest,
  getPrivacyRequest,
  notePrivacyRequestProgress,
  openPrivacyRequest,
  type PRIVACY_REQUEST_RECORDS,
  progressOfPrivacyRequest,
} from './privacy-requests.js';

/**
 * A contact's rights, as the contact's page (owners and admins), `npm run privacy` (ops) and
 * Meta's data deletion callback exercise them: access and portability (one ZIP of JSON and CSV
 * through a short-lived link), correction, restriction, and erasure with a receipt that names
 * what was removed, when and by whom, and nothing of the person. Each is recorded as a privacy
 * request with its deadline and audited. Every area declares how to export and erase what it
 * holds (`ContactData`, composed in contact-catalog.ts), so this module needs no edit when an
 * area is added.
 */

export interface ContactRightsDeps {
  store: InboxStore & AuditStore & Store<typeof PRIVACY_REQUEST_RECORDS & typeof CONTACT_EXPORT_RECORDS>;
  keyring: TenantKeyring;
  /** Each area binds its own records (ContactDataContext.storeOf). */
  storeOf<R extends Records>(records: R): Store<R>;
  blobs: Pick<Blobs, 'put' | 'list' | 'delete' | 'presignGet'>;
  /** Every area's, in product order (privacy/contact-catalog.ts CONTACT_DATA). */
  contactData: readonly ContactData[];
}

export interface Requester {
  /** `member:<userId>`, `ops:<name>` or `meta`: the request's and receipt's `by`. */
  by: string;
  source: PrivacyRequestSource;
  /** The member's id, as the audit log names actors; otherwise the log names `by`. */
  userId?: string;
  sourceAddress?: string;
  /** An open request to complete (one recorded from a mail); else one is opened and completed. */
  requestId?: string;
}

/** How long the archive's link works. */
export const EXPORT_LINK_SECONDS = 600;

const DAY_MS = 86_400_000;

async function requireContact(store: InboxStore, tenantId: string, contactId: string) {
  const { data } = await store.entities.contact.get({ tenantId, contactId }).go({ attributes: ['contactId'] });
  if (!data) throw new NotFoundError('No such contact');
}

function contextOf(deps: ContactRightsDeps, keys: ContactDataContext['keys'], tenantId: string, contactId: string) {
  return { tenantId, contactId, keys, storeOf: deps.storeOf, blobs: deps.blobs } satisfies ContactDataContext;
}

/**
 * The request this is done for: the open one named (it must be of this kind, and about this
 * contact when it names one), else a new one opened now.
 */
async function requestFor(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
  kind: PrivacyRequestKind,
): Promise<string> {
  if (requester.requestId !== undefined) {
    const request = await getPrivacyRequest(deps.store, tenantId, requester.requestId);
    if (!request) throw new NotFoundError('No such request');
    if (request.status !== 'open') throw new ConflictError(`the request is already ${request.status}`);
    if (request.kind !== kind) throw new ConflictError(`the request is a ${request.kind} request`);
    const about = await contactOfPrivacyRequest(deps.store, tenantId, request.requestId);
    if (about !== undefined && about !== contactId) throw new ConflictError('the request is about another contact');
    return request.requestId;
  }
  const request = await openPrivacyRequest(deps.store, {
    tenantId,
    kind,
    source: requester.source,
    requestedBy: requester.by,
    contactId,
  });
  return request.requestId;
}

async function audit(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  action: 'contact.exported' | 'contact.erased',
  requestId: string,
) {
  await recordAuditEvent(deps.store, tenantId, {
    action,
    actorId: requester.userId ?? requester.by,
    // The request, not the contact: the log outlives the contact, and the request names no one.
    target: { type: 'privacy-request', id: requestId },
    sourceAddress: requester.sourceAddress,
    detail: { by: requester.by },
  });
}

/**
 * Removes the business's export archives older than their day, found by listing their folder
 * (an archive's key carries its time, so one whose record the retention purge already removed
 * is found too), or with `contactId` every archive of that contact, found by their records.
 * The object goes before its record, so a stop between the two is finished next time. Answers
 * how many archives went.
 */
async function removeExports(
  deps: ContactRightsDeps,
  tenantId: string,
  pick: { olderThan: number } | { contactId: string },
): Promise<number> {
  if ('olderThan' in pick) {
    let removed = 0;
    for await (const key of deps.blobs.list(tenantId, CONTACT_EXPORTS_UNDER)) {
      const madeAt = exportMadeAt(key);
      if (madeAt === undefined || madeAt >= pick.olderThan) continue;
      await deps.blobs.delete(tenantId, key);
      removed++;
    }
    const { data } = await deps.store.entities.contactExport.query
      .byTime({ tenantId })
      .lt({ createdAt: pick.olderThan })
      .go({ pages: 'all' });
    for (const archive of data) {
      await deps.store.entities.contactExport
        .delete({ tenantId, createdAt: archive.createdAt, requestId: archive.requestId })
        .go();
    }
    return removed;
  }
  const { data } = await deps.store.entities.contactExport.query
    .byTime({ tenantId })
    .where((attr, { eq }) => eq(attr.contactId, pick.contactId))
    .go({ pages: 'all' });
  for (const archive of data) {
    await deps.blobs.delete(tenantId, archive.objectKey);
    await deps.store.entities.contactExport
      .delete({ tenantId, createdAt: archive.createdAt, requestId: archive.requestId })
      .go();
  }
  return data.length;
}

/**
 * Everything held about the contact, as one ZIP: `contact.json` with every section, and one CSV
 * per section (cells safe against formula injection), stored under the business's
 * `exports/` for a day and handed out through a 10-minute link. Recorded as a `contact-export`
 * request done at once (its receipt counts the rows per data class) and audited.
 */
export async function exportContact(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
): Promise<ContactExport> {
  await requireContact(deps.store, tenantId, contactId);
  const now = Date.now();
  await removeExports(deps, tenantId, { olderThan: now - CONTACT_EXPORT_DAYS * DAY_MS });
  const keys = await deps.keyring.forTenant(tenantId);
  const ctx = contextOf(deps, keys, tenantId, contactId);
  const sections: Record<string, Record<string, unknown>[]> = {};
  const handedOver: { dataClass: string; count: number }[] = [];
  for (const area of deps.contactData) {
    const rows = await area.export(ctx);
    let count = 0;
    for (const [section, list] of Object.entries(rows)) {
      sections[section] = [...(sections[section] ?? []), ...list];
      count += list.length;
    }
    handedOver.push({ dataClass: area.dataClass, count });
  }
  const requestId = await requestFor(deps, requester, tenantId, contactId, 'contact-export');
  const exportedAt = new Date(now).toISOString();
  const archive = zipFiles([
    { name: 'contact.json', data: `${JSON.stringify({ exportedAt, contactId, ...sections }, null, 2)}\n` },
    ...Object.entries(sections).map(([section, rows]) => ({ name: `${section}.csv`, data: toCsv(rows) })),
  ]);
  const objectKey = `${CONTACT_EXPORTS_UNDER}${requestId}.zip`;
  // The record first: an archive is never stored without what finds it for its removal.
  await deps.store.entities.contactExport
    .create({
      tenantId,
      requestId,
      createdAt: now,
      contactId,
      objectKey,
      expiresAt: Math.floor(now / 1000) + CONTACT_EXPORT_DAYS * 86_400 + 3600,
    })
    .go({ response: 'none' });
  await deps.blobs.put(tenantId, objectKey, archive, 'application/zip', { tagging: CONTACT_EXPORT_TAGGING });
  const fileName = `contact-${exportedAt.slice(0, 10)}.zip`;
  const url = await deps.blobs.presignGet(tenantId, objectKey, EXPORT_LINK_SECONDS, { fileName });
  await completePrivacyRequest(deps.store, tenantId, requestId, {
    receiptId: randomUUID(),
    at: new Date().toISOString(),
    by: requester.by,
    items: handedOver,
  });
  await audit(deps, requester, tenantId, 'contact.exported', requestId);
  return { requestId, url, expiresAt: new Date(now + EXPORT_LINK_SECONDS * 1000).toISOString(), fileName };
}

/**
 * Erases the contact from every area: each area's data, objects included, children first and the
 * contact's own record last, so an erasure stopped halfway is finished by running it again (the
 * contact is still found; an erasure opened by the stopped run is picked up again, not doubled).
 * The contact's export archives go too. The receipt names the data classes and counts, the
 * time and who asked, and nothing of the person (not even the contact id); the request is
 * completed with it, dropping the contact id, and the erasure is audited by the request. A
 * contact erased already is not found (404).
 */
export async function eraseContact(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
): Promise<ErasureReceipt> {
  await requireContact(deps.store, tenantId, contactId);
  const requestId = requester.requestId ?? (await unfinishedErasure(deps, tenantId, contactId));
  const reqId = await requestFor(
    deps,
    { ...requester, ...(requestId && { requestId }) },
    tenantId,
    contactId,
    'contact-erasure',
  );
  const keys = await deps.keyring.forTenant(tenantId);
  const ctx = contextOf(deps, keys, tenantId, contactId);
  // Counts carried over from a stopped run of the same request, so the receipt counts the whole job.
  const totals = new Map<string, number>();
  for (const entry of await progressOfPrivacyRequest(deps.store, tenantId, reqId))
    totals.set(entry.dataClass, entry.count);
  const add = (dataClass: string, count: number) => totals.set(dataClass, (totals.get(dataClass) ?? 0) + count);
  const note = () =>
    notePrivacyRequestProgress(
      deps.store,
      tenantId,
      reqId,
      [...totals].map(([dataClass, count]) => ({ dataClass, count })),
    );
  // Every area's data, then the export archives (found by their own records), and the areas
  // holding the contact's own record last: until then a rerun still finds the contact.
  for (const area of deps.contactData.filter((entry) => !entry.holdsContact)) {
    const done = await area.erase(ctx);
    add(area.dataClass, done.items);
    add('media.objects', done.objects);
    await note();
  }
  const archives = await removeExports(deps, tenantId, { contactId });
  add('privacy.contact-exports', archives);
  add('media.objects', archives);
  await note();
  for (const area of deps.contactData.filter((entry) => entry.holdsContact)) {
    const done = await area.erase(ctx);
    add(area.dataClass, done.items);
    add('media.objects', done.objects);
  }
  const removed = [...totals].map(([dataClass, count]) => ({ dataClass, count }));
  const erasedAt = new Date().toISOString();
  const receiptId = randomUUID();
  await completePrivacyRequest(deps.store, tenantId, reqId, {
    receiptId,
    at: erasedAt,
    by: requester.by,
    items: removed,
  });
  await audit(deps, requester, tenantId, 'contact.erased', reqId);
  return { receiptId, requestId: reqId, erasedAt, erasedBy: requester.by, removed };
}

/**
 * The erasure a stopped run opened for this contact, if any: still open and naming the contact
 * (a business has few requests, all read).
 */
async function unfinishedErasure(deps: ContactRightsDeps, tenantId: string, contactId: string) {
  const { data } = await deps.store.entities.privacyRequest.query
    .byTime({ tenantId })
    .where(
      (attr, { eq }) =>
        `${eq(attr.kind, 'contact-erasure')} AND ${eq(attr.status, 'open')} AND ${eq(attr.contactId, contactId)}`,
    )
    .go({ pages: 'all', attributes: ['requestId'] });
  return data[0]?.requestId;
}

/** A request the team carried out on the spot: recorded and done at once, nothing removed. */
async function recordDone(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
  kind: PrivacyRequestKind,
) {
  const requestId = await requestFor(deps, requester, tenantId, contactId, kind);
  await completePrivacyRequest(deps.store, tenantId, requestId, {
    receiptId: randomUUID(),
    at: new Date().toISOString(),
    by: requester.by,
    items: [],
  });
  return requestId;
}

/**
 * Corrects the contact's name or email (`null` clears one): recorded as a `contact-correction`
 * request done at once and audited as `contact.corrected` with the names of the fields changed,
 * never their values. A patch that changes nothing records nothing.
 */
export async function correctContact(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
  patch: { name?: string | null | undefined; email?: string | null | undefined },
): Promise<Contact> {
  const { contact, changed } = await changeContactFields(deps, tenantId, contactId, patch);
  if (changed.length === 0) return contact;
  const requestId = await recordDone(deps, requester, tenantId, contactId, 'contact-correction');
  await recordAuditEvent(deps.store, tenantId, {
    action: 'contact.corrected',
    actorId: requester.userId ?? requester.by,
    target: { type: 'contact', id: contactId },
    sourceAddress: requester.sourceAddress,
    detail: { fields: changed.join(','), request: requestId },
  });
  return contact;
}

/**
 * Restricts processing of the contact, or lifts it (inbox/contacts.ts isContactRestricted is
 * what AI replies, campaigns and recovery messages ask): recorded as a `contact-restriction`
 * request done at once and audited as `contact.restricted` / `contact.unrestricted`. Setting
 * what already stands records nothing.
 */
export async function restrictContact(
  deps: ContactRightsDeps,
  requester: Requester,
  tenantId: string,
  contactId: string,
  restricted: boolean,
): Promise<Contact> {
  const { contact, changed } = await setContactRestriction(deps, tenantId, contactId, restricted);
  if (!changed) return contact;
  const requestId = await recordDone(deps, requester, tenantId, contactId, 'contact-restriction');
  await recordAuditEvent(deps.store, tenantId, {
    action: restricted ? 'contact.restricted' : 'contact.unrestricted',
    actorId: requester.userId ?? requester.by,
    target: { type: 'contact', id: contactId },
    sourceAddress: requester.sourceAddress,
    detail: { request: requestId },
  });
  return contact;
}
