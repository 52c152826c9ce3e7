import { randomBytes } from 'node:crypto';
import {
  type CampaignListBody,
  type CampaignListMember,
  type CampaignListView,
  type CampaignSelectionBody,
  type CampaignSelectionFilter,
  type CampaignUploadBody,
  type ListCounts,
  MAX_LIST_FILE_BYTES,
} from '@asistone/contract/campaign-lists';
import type { Logger } from '@aws-lambda-powertools/logger';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import type { InboxStore } from '../inbox/records.js';
import type { Blobs } from '../platform/blobs.js';
import { openOrUndefined, type TenantKeyring, type TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { UPLOAD_DAYS } from './data-classes.js';
import { CAMPAIGN_IMPORTS_QUEUE, type CampaignImportMessage } from './import-queue.js';
import { type CampaignListStore, EMPTY_COUNTS, uploadKeyOf } from './list-records.js';
import { maskPhone } from './phone-mask.js';

/**
 * Campaign lists as the merchant handles them: announce a file and get an upload link, make a
 * list of it (imported by the worker, imports.ts), or snapshot the inbox's WhatsApp customers;
 * read lists and their members (numbers masked), download the report of rejected rows, delete a
 * list (its members, report and file; the contacts stay, they are the inbox's).
 */

export type ListsStore = CampaignListStore & InboxStore & AuditStore;

export interface ListsDeps {
  store: ListsStore;
  keyring: TenantKeyring;
  blobs: Pick<Blobs, 'presignPut' | 'presignGet' | 'head' | 'delete'>;
  producer: Pick<Producer, 'send'>;
}

/** The upload link lives 15 minutes. */
export const UPLOAD_LINK_SECONDS = 15 * 60;
/** The report's download link lives 10 minutes. */
export const REPORT_LINK_SECONDS = 10 * 60;
/** Time a deletion spends in the request before it continues in the worker. */
const DELETE_INLINE_MS = 15_000;

/** The hint shown with a file that is not UTF-8, or with rows that were not. */
export const ENCODING_HINT =
  'Save the file as "CSV UTF-8 (comma delimited)" (Excel: File › Save As) and upload it again';

type ListItem = NonNullable<
  Awaited<ReturnType<ReturnType<CampaignListStore['entities']['campaignList']['get']>['go']>>['data']
>;

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

function viewOf(list: ListItem, keys?: TenantKeys): CampaignListView {
  const rejectedByReason = (list.rejectedByReason ?? {}) as Record<string, number>;
  return {
    listId: list.listId,
    name: list.name,
    source: list.source,
    state: list.state,
    fileName: openOrUndefined(keys, 'campaignList', 'fileName', list.listId, list.fileName) ?? null,
    counts: { ...EMPTY_COUNTS, ...(list.counts as Partial<ListCounts>) },
    rejectedByReason,
    consentWording: list.consentWording ?? null,
    consentCollectedAt: iso(list.consentCollectedAt),
    iysRegistered: list.iysRegistered === true,
    failure: list.failure ?? null,
    hint: list.failure === 'encoding' || (rejectedByReason.encoding ?? 0) > 0 ? ENCODING_HINT : null,
    hasReport: Boolean(list.reportKey),
    createdAt: new Date(list.createdAt).toISOString(),
    importedAt: iso(list.importedAt),
  };
}

async function requireList(store: CampaignListStore, tenantId: string, listId: string): Promise<ListItem> {
  // Ids have one shape; anything else is no list of this business.
  if (!/^cl_[A-Za-z0-9_-]{16,40}$/.test(listId)) throw new NotFoundError('No such list');
  const { data } = await store.entities.campaignList.get({ tenantId, listId }).go({ consistent: true });
  if (!data) throw new NotFoundError('No such list');
  return data as ListItem;
}

/** A list of this business, or 404 (another business's id reads the same). `keys` opens the file name. */
export async function getList(
  store: CampaignListStore,
  tenantId: string,
  listId: string,
  keys?: TenantKeys,
): Promise<CampaignListView> {
  return viewOf(await requireList(store, tenantId, listId), keys);
}

/** The business's lists, newest first. */
export async function listLists(
  deps: Pick<ListsDeps, 'store' | 'keyring'>,
  tenantId: string,
): Promise<CampaignListView[]> {
  const { data } = await deps.store.entities.campaignList.query.byId({ tenantId }).go({ pages: 'all' });
  const keys = await deps.keyring.forTenant(tenantId);
  return (data as ListItem[]).sort((a, b) => b.createdAt - a.createdAt).map((list) => viewOf(list, keys));
}

/** Thrown for a file larger than lists take (the API answers 413). */
export class ListFileTooLargeError extends ValidationError {
  override name = 'ListFileTooLargeError';
}

/**
 * A file the merchant is about to upload: remembered a day, answered with a 15-minute link that
 * takes exactly this size as text/csv.
 */
export async function announceUpload(
  deps: Pick<ListsDeps, 'store' | 'keyring' | 'blobs'>,
  tenantId: string,
  userId: string,
  file: CampaignUploadBody,
  now = Date.now(),
) {
  if (file.contentLength > MAX_LIST_FILE_BYTES) {
    throw new ListFileTooLargeError(`A list file is at most ${MAX_LIST_FILE_BYTES / 1024 / 1024} MB`, [
      'contentLength',
    ]);
  }
  const uploadId = `cu_${now}_${randomBytes(16).toString('base64url')}`;
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.campaignUpload
    .create({
      tenantId,
      uploadId,
      fileName: keys.seal('campaignUpload', 'fileName', uploadId, file.fileName),
      contentLength: file.contentLength,
      createdBy: userId,
      expiresAt: Math.floor(now / 1000) + UPLOAD_DAYS * 86_400,
    })
    .go();
  const url = await deps.blobs.presignPut(
    tenantId,
    uploadKeyOf(uploadId),
    { contentType: file.contentType, contentLength: file.contentLength },
    UPLOAD_LINK_SECONDS,
  );
  return {
    uploadId,
    upload: {
      url,
      method: 'PUT' as const,
      headers: { 'content-type': file.contentType },
      expiresAt: new Date(now + UPLOAD_LINK_SECONDS * 1000).toISOString(),
    },
  };
}

const newListId = () => `cl_${randomBytes(16).toString('base64url')}`;

/**
 * Makes a list of an uploaded file and queues its import: the file must be there, complete
 * (the size announced), and the upload used once.
 */
export async function createUploadedList(
  deps: ListsDeps,
  tenantId: string,
  userId: string,
  body: CampaignListBody,
  now = Date.now(),
): Promise<CampaignListView> {
  const { store } = deps;
  const { data: upload } = await store.entities.campaignUpload
    .get({ tenantId, uploadId: body.uploadId })
    .go({ consistent: true });
  if (!upload || upload.expiresAt * 1000 < now) throw new NotFoundError('No such upload: announce the file again');
  const key = uploadKeyOf(body.uploadId);
  const stored = await deps.blobs.head(tenantId, key);
  if (!stored || stored.size !== upload.contentLength) {
    throw new ConflictError('The file has not been uploaded (or not completely): upload it, then make the list');
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const fileName = keys.open('campaignUpload', 'fileName', body.uploadId, upload.fileName);
  const listId = newListId();
  // The upload is used once: a second list of the same file would race its import for the file.
  try {
    await store.entities.campaignUpload
      .delete({ tenantId, uploadId: body.uploadId })
      .where((item, { exists }) => exists(item.uploadId))
      .go();
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError('No such upload: announce the file again');
    throw error;
  }
  const { data } = await store.entities.campaignList
    .create({
      tenantId,
      listId,
      name: body.name,
      source: 'upload',
      state: 'importing',
      uploadKey: key,
      fileName: keys.seal('campaignList', 'fileName', listId, fileName),
      columns: body.columns,
      ...(body.consentWording && { consentWording: body.consentWording }),
      ...(body.consentCollectedAt && { consentCollectedAt: Date.parse(body.consentCollectedAt) }),
      ...(body.iysRegistered !== undefined && { iysRegistered: body.iysRegistered }),
      counts: EMPTY_COUNTS,
      rejectedByReason: {},
      createdBy: userId,
      createdAt: now,
    })
    .go();
  await deps.producer.send(CAMPAIGN_IMPORTS_QUEUE, { tenantId, listId });
  return viewOf(data as ListItem, keys);
}

/** Makes a list of the inbox's WhatsApp customers matching the filter, filled by the worker. */
export async function createSelectionList(
  deps: ListsDeps,
  tenantId: string,
  userId: string,
  body: CampaignSelectionBody,
  now = Date.now(),
): Promise<CampaignListView> {
  const listId = newListId();
  const { data } = await deps.store.entities.campaignList
    .create({
      tenantId,
      listId,
      name: body.name,
      source: 'selection',
      state: 'importing',
      filter: body.filter,
      counts: EMPTY_COUNTS,
      rejectedByReason: {},
      createdBy: userId,
      createdAt: now,
    })
    .go();
  await deps.producer.send(CAMPAIGN_IMPORTS_QUEUE, { tenantId, listId });
  return viewOf(data as ListItem);
}

/** A conversation of the selection's filter. */
function matches(
  conversation: { channelKind: string; labels?: string[] | undefined; lastInboundAt: number },
  filter: CampaignSelectionFilter,
) {
  if (conversation.channelKind !== 'whatsapp') return false;
  if (filter.labels?.length && !filter.labels.some((label) => conversation.labels?.includes(label))) return false;
  if (filter.lastInboundAfter && !(conversation.lastInboundAt >= Date.parse(filter.lastInboundAfter))) return false;
  if (
    filter.lastInboundBefore &&
    !(conversation.lastInboundAt > 0 && conversation.lastInboundAt < Date.parse(filter.lastInboundBefore))
  )
    return false;
  return true;
}

/**
 * Fills a selection list: pages the business's conversations newest first (the byRecency
 * index), keeps the WhatsApp ones matching the filter, and adds each contact once (a contact on
 * two WhatsApp numbers is one member). The page cursor is the checkpoint, so a redelivery goes on
 * from the last page; members are created conditionally, so a page done twice adds nobody twice.
 */
export async function fillSelection(
  deps: { store: ListsStore; log: Logger },
  message: CampaignImportMessage,
): Promise<void> {
  const { store } = deps;
  const { tenantId, listId } = message;
  const { data } = await store.entities.campaignList.get({ tenantId, listId }).go({ consistent: true });
  if (data?.state !== 'importing' || data.source !== 'selection') return;
  const list = data as ListItem;
  const filter = (list.filter ?? {}) as CampaignSelectionFilter;
  const saved = list.checkpoint as { cursor: string | null; counts: ListCounts } | undefined;
  const counts: ListCounts = { ...EMPTY_COUNTS, ...(saved?.counts ?? {}) };
  let cursor = saved?.cursor ?? null;
  do {
    const page = await store.entities.conversation.query
      .byRecency({ tenantId })
      .go({ order: 'desc', limit: 200, ...(cursor && { cursor }) });
    const chosen = page.data.filter((conversation) => matches(conversation, filter));
    for (let i = 0; i < chosen.length; i += 16) {
      await Promise.all(
        chosen.slice(i, i + 16).map(async ({ contactId }) => {
          counts.rows++;
          let fileConsent: 'granted' | 'none' = 'none';
          const { data: consent } = await store.entities.consentState
            .get({ tenantId, contactId, channel: 'whatsapp', purpose: 'marketing' })
            .go({ consistent: true });
          if (consent?.state === 'granted') fileConsent = 'granted';
          if (filter.consent === 'granted' && fileConsent !== 'granted') {
            counts.rows--;
            return;
          }
          try {
            await store.entities.campaignListMember.create({ tenantId, listId, contactId, row: 0, fileConsent }).go();
            counts.accepted++;
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
            // Already a member: the same customer on another number, or a page done twice.
            counts.merged++;
          }
        }),
      );
    }
    cursor = page.cursor ?? null;
    await store.entities.campaignList
      .patch({ tenantId, listId })
      .set({ checkpoint: { cursor, counts }, counts })
      .where((item, { eq }) => eq(item.state, 'importing'))
      .go();
  } while (cursor);
  const now = Date.now();
  try {
    await store.entities.campaignList
      .patch({ tenantId, listId })
      .set({ state: 'ready', importedAt: now, counts })
      .remove(['checkpoint'])
      .where((item, { eq }) => eq(item.state, 'importing'))
      .go();
  } catch (error) {
    if (isConditionFailure(error)) return;
    throw error;
  }
  await recordAuditEvent(
    store,
    tenantId,
    {
      action: 'campaign.list_imported',
      actorId: list.createdBy,
      target: { type: 'campaign-list', id: listId },
      detail: { source: 'selection', members: String(counts.accepted) },
    },
    now,
  );
  deps.log.info('campaign list selected', { tenantId, listId, members: counts.accepted });
}

/**
 * A page of the list's members, for the campaign steps that read it: contact ids and what the
 * file said of consent. `cursor` continues where the last page ended.
 */
export async function listMembers(
  store: CampaignListStore,
  tenantId: string,
  listId: string,
  cursor?: string,
  limit = 500,
): Promise<{ members: { contactId: string; fileConsent: 'granted' | 'withdrawn' | 'none' }[]; cursor?: string }> {
  await requireList(store, tenantId, listId);
  const page = await store.entities.campaignListMember.query
    .byList({ tenantId, listId })
    .go({ limit, ...(cursor && { cursor }), attributes: ['contactId', 'fileConsent'] });
  return {
    members: page.data.map((member) => ({ contactId: member.contactId, fileConsent: member.fileConsent })),
    ...(page.cursor && { cursor: page.cursor }),
  };
}

/** A page of members as the list page shows them: the number masked, the name, the file's consent. */
export async function memberPage(
  deps: Pick<ListsDeps, 'store' | 'keyring'>,
  tenantId: string,
  listId: string,
  cursor?: string,
  limit = 50,
): Promise<{ members: CampaignListMember[]; cursor: string | null }> {
  const { store } = deps;
  await requireList(store, tenantId, listId);
  let page: Awaited<
    ReturnType<ReturnType<CampaignListStore['entities']['campaignListMember']['query']['byList']>['go']>
  >;
  try {
    page = await store.entities.campaignListMember.query
      .byList({ tenantId, listId })
      .go({ limit, ...(cursor && { cursor }) });
  } catch (error) {
    // A cursor that is not one of ours.
    if ((error as { name?: string }).name === 'ElectroError') throw new ValidationError('Invalid cursor', ['cursor']);
    throw error;
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const ids = page.data.map((member) => member.contactId);
  const { data: contacts } =
    ids.length > 0
      ? await store.entities.contact.get(ids.map((contactId) => ({ tenantId, contactId }))).go()
      : { data: [] };
  const byId = new Map(contacts.map((contact) => [contact.contactId, contact]));
  return {
    members: page.data.map((member) => {
      const contact = byId.get(member.contactId);
      const phone = openOrUndefined(keys, 'contact', 'phone', member.contactId, contact?.phone);
      return {
        contactId: member.contactId,
        phone: phone ? maskPhone(phone) : null,
        name: openOrUndefined(keys, 'contact', 'name', member.contactId, contact?.name) ?? null,
        fileConsent: member.fileConsent,
        row: member.row,
      };
    }),
    cursor: page.cursor ?? null,
  };
}

/** A 10-minute link to the report of rejected rows (row, reason, column). */
export async function reportLink(
  deps: Pick<ListsDeps, 'store' | 'blobs'>,
  tenantId: string,
  listId: string,
  now = Date.now(),
) {
  const list = await requireList(deps.store, tenantId, listId);
  if (!list.reportKey) throw new NotFoundError('This list has no rejected rows');
  return {
    url: await deps.blobs.presignGet(tenantId, list.reportKey, REPORT_LINK_SECONDS, {
      fileName: `${list.listId}-rejected-rows.csv`,
    }),
    expiresAt: new Date(now + REPORT_LINK_SECONDS * 1000).toISOString(),
  };
}

/** Deletes members page by page until done or out of time; answers whether any remain. */
export async function deleteMembers(store: CampaignListStore, tenantId: string, listId: string, untilMs: number) {
  for (;;) {
    const page = await store.entities.campaignListMember.query
      .byList({ tenantId, listId })
      .go({ limit: 100, attributes: ['contactId'] });
    if (page.data.length === 0) return false;
    for (let i = 0; i < page.data.length; i += 25) {
      await Promise.all(
        page.data
          .slice(i, i + 25)
          .map(({ contactId }) => store.entities.campaignListMember.delete({ tenantId, listId, contactId }).go()),
      );
    }
    if (Date.now() > untilMs) return true;
  }
}

/** Removes the list record itself, once its members are gone, with its report and file. */
export async function removeList(
  deps: { store: CampaignListStore; blobs: Pick<Blobs, 'delete'> },
  tenantId: string,
  listId: string,
) {
  const { data } = await deps.store.entities.campaignList.get({ tenantId, listId }).go({ consistent: true });
  if (!data) return;
  if (data.reportKey) await deps.blobs.delete(tenantId, data.reportKey);
  if (data.uploadKey) await deps.blobs.delete(tenantId, data.uploadKey);
  await deps.store.entities.campaignList.delete({ tenantId, listId }).go();
}

/**
 * Deletes a list on the merchant's request: its members, report and file, then the list; the
 * contacts stay (they are the inbox's, with their conversations and consent). An import still
 * running stops at its next step (it finds no list). A list too big to delete within the request
 * is finished by the worker (`deleting`); answers whether it is gone already. Audited.
 */
export async function deleteList(
  deps: ListsDeps,
  tenantId: string,
  listId: string,
  actor: { userId: string; sourceAddress?: string | undefined },
  now = Date.now(),
): Promise<{ done: boolean }> {
  const list = await requireList(deps.store, tenantId, listId);
  // Marked first, so an import in progress stops writing members into what is being deleted.
  await deps.store.entities.campaignList.patch({ tenantId, listId }).set({ state: 'deleting' }).go();
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'campaign.list_deleted',
      actorId: actor.userId,
      target: { type: 'campaign-list', id: listId },
      sourceAddress: actor.sourceAddress,
      detail: { source: list.source, members: String((list.counts as Partial<ListCounts>)?.accepted ?? 0) },
    },
    now,
  );
  const remaining = await deleteMembers(deps.store, tenantId, listId, Date.now() + DELETE_INLINE_MS);
  if (remaining) {
    await deps.producer.send(CAMPAIGN_IMPORTS_QUEUE, { tenantId, listId });
    return { done: false };
  }
  await removeList(deps, tenantId, listId);
  return { done: true };
}
