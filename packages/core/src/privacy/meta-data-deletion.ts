import type { ErasureReceipt } from '@asistone/contract/contacts';
import { Entity } from 'electrodb';
import { recordAuditEvent } from '../audit/audit-log.js';
import { AUDIT_RECORDS } from '../audit/records.js';
import { META_DELIVERY_TENANT } from '../channels/meta/envelope.js';
import { contactIdOf } from '../inbox/inbound.js';
import { ContactRecord, ContactUserRecord } from '../inbox/records.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { ConflictError, NotFoundError, TenantKeyMissingError } from '../platform/errors.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { markChannelDisconnected } from '../tenancy/tenants.js';
import { CONFIRMATION_CODE, type MetaDataDeletionWork } from './meta-data-deletion-callback.js';
import { completePrivacyRequest, openPrivacyRequest, PRIVACY_REQUEST_RECORDS } from './privacy-requests.js';

/**
 * Meta's data deletion callback. A person who removes Asistone in their Facebook or Instagram
 * settings makes Meta POST a `signed_request` naming their app-scoped id. Our app's Facebook and
 * Instagram Login users are merchants' staff who connected channels (Instagram Login: the
 * Instagram professional account itself), so what we hold of them is the channel connection
 * they made (its token) and, if they also wrote to a business, that business's contact.
 *
 * The webhook (meta-data-deletion-callback.ts) verifies, queues the work under a confirmation
 * code and answers Meta's `{ url, confirmation_code }`; the worker drops the tokens and erases the
 * contacts in every business, each business getting a `meta-data-deletion` request with its
 * deadline and receipt. The status page shows the code's progress, nothing about the person.
 */

/** The status of one callback: no personal data (a code, times, counts, business ids). */
export const MetaDataDeletionRecord = new Entity({
  model: { entity: 'metaDataDeletion', version: '1', service: 'asistone' },
  attributes: {
    /** Always the platform id `meta`: the request names no business. */
    tenantId: { type: 'string', required: true, readOnly: true },
    code: { type: 'string', required: true, readOnly: true },
    app: { type: ['facebook', 'instagram'] as const, required: true, readOnly: true },
    receivedAt: { type: 'number', required: true, readOnly: true },
    status: { type: ['received', 'done'] as const, required: true },
    completedAt: { type: 'number' },
    /**
     * Seconds since the epoch (the table's TTL): the status answers Meta's and the person's
     * questions for as long as the logs could be asked about the deletion, then goes.
     */
    expiresAt: { type: 'number', required: true, readOnly: true },
    /** The request each affected business got, so a retried run completes the same one. */
    requests: {
      type: 'list',
      items: {
        type: 'map',
        properties: { tenantId: { type: 'string', required: true }, requestId: { type: 'string', required: true } },
      },
    },
  },
  indexes: {
    byCode: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#data-deletion', casing: 'none' },
      sk: { field: 'sk', composite: ['code'], template: 'code#${code}', casing: 'none' },
    },
  },
});

export const META_DATA_DELETION_RECORDS = { metaDataDeletion: MetaDataDeletionRecord };

/** When a status goes (the table's TTL, seconds): after the logs' retention. */
const expiryOf = (receivedAt: number) => Math.floor(receivedAt / 1000) + RETENTION_DAYS.logs * 86_400;

const WORK_RECORDS = {
  ...META_DATA_DELETION_RECORDS,
  ...PRIVACY_REQUEST_RECORDS,
  ...AUDIT_RECORDS,
  ...TENANCY_RECORDS,
  contact: ContactRecord,
  contactUser: ContactUserRecord,
};
export type MetaDataDeletionStore = Store<typeof WORK_RECORDS>;
export const META_DATA_DELETION_WORK_RECORDS = WORK_RECORDS;

/** What the status page shows: the code's progress only. */
export interface DataDeletionStatus {
  confirmationCode: string;
  status: 'received' | 'done';
  receivedAt: string;
  completedAt: string | null;
}

export async function dataDeletionStatus(
  store: Store<typeof META_DATA_DELETION_RECORDS>,
  code: string,
): Promise<DataDeletionStatus> {
  if (!CONFIRMATION_CODE.test(code)) throw new NotFoundError('no such confirmation code');
  const { data } = await store.entities.metaDataDeletion.get({ tenantId: META_DELIVERY_TENANT, code }).go();
  if (!data) throw new NotFoundError('no such confirmation code');
  return {
    confirmationCode: code,
    status: data.status,
    receivedAt: new Date(data.receivedAt).toISOString(),
    completedAt: data.completedAt === undefined ? null : new Date(data.completedAt).toISOString(),
  };
}

export interface DataDeletionWorkerDeps {
  store: MetaDataDeletionStore;
  keyring: TenantKeyring;
  /** contact-rights.ts eraseContact with its dependencies: the erasure the app does. */
  eraseContact: (
    requester: { by: string; source: 'meta' },
    tenantId: string,
    contactId: string,
  ) => Promise<ErasureReceipt>;
  log: { info(message: string, attributes: Record<string, unknown>): void };
}

/** Channels whose provider-scoped user ids a Meta app-scoped id could be: Instagram Login's and Messenger's. */
const CONTACT_KINDS = ['instagram', 'messenger'] as const;

interface Affected {
  channels: number;
  contacts: string[];
}

/**
 * Applies one callback in every business, once: the Instagram channel whose account is the
 * person (Instagram Login) loses its token and leaves the directory (conversations kept); a
 * contact whose channel-scoped id is the person's is erased as the app erases one. Each business
 * touched gets a `meta-data-deletion` request, completed with a receipt of counts. Businesses
 * are visited by the tenancy list (Query), never a Scan. A run retried after a failure finds
 * only what is left and completes the same requests; a finished code does nothing.
 */
export async function applyDataDeletion(
  deps: DataDeletionWorkerDeps,
  work: MetaDataDeletionWork,
): Promise<{ businesses: number; channels: number; contacts: number; already?: true }> {
  const { store, log } = deps;
  const key = { tenantId: META_DELIVERY_TENANT, code: work.code };
  let record = (await store.entities.metaDataDeletion.get(key).go()).data;
  if (record?.status === 'done') return { businesses: 0, channels: 0, contacts: 0, already: true };
  if (!record) {
    // From now on the status page answers `received` for this code.
    const first = {
      ...key,
      app: work.app,
      receivedAt: work.receivedAt,
      status: 'received' as const,
      expiresAt: expiryOf(work.receivedAt),
    };
    await store.entities.metaDataDeletion
      .create(first)
      .go({ response: 'none' })
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    record = (await store.entities.metaDataDeletion.get(key).go()).data ?? first;
  }
  const requests = new Map((record?.requests ?? []).map((entry) => [entry.tenantId, entry.requestId]));
  const receivedAt = record?.receivedAt ?? work.receivedAt;
  /** The code's status, with the request each business got so far (a retried run completes those). */
  const saveStatus = (progress: { status: 'received' } | { status: 'done'; completedAt: number }) =>
    store.entities.metaDataDeletion
      .upsert({
        ...key,
        app: work.app,
        receivedAt,
        expiresAt: expiryOf(receivedAt),
        ...progress,
        requests: [...requests].map(([tenantId, requestId]) => ({ tenantId, requestId })),
      })
      .go({ response: 'none' });

  const affected = new Map<string, Affected>();
  const touch = (tenantId: string) => {
    const entry = affected.get(tenantId) ?? { channels: 0, contacts: [] };
    affected.set(tenantId, entry);
    return entry;
  };

  // The Instagram account that is the person, wherever it is connected (the directory's index).
  const owners = await store.entities.channel.query
    .byProviderId({ kind: 'instagram', externalId: work.userId })
    .go({ pages: 'all', attributes: ['tenantId'] });
  const channels: { tenantId: string }[] = owners.data;
  for (const { tenantId } of channels) {
    const channel = (await store.entities.channel.get({ tenantId, kind: 'instagram', externalId: work.userId }).go())
      .data;
    if (!channel || channel.status === 'disconnected') continue;
    touch(tenantId).channels += 1;
  }

  // Contacts by the contact-user blind index, business by business.
  let cursor: string | null = null;
  do {
    const page: { data: { tenantId: string }[]; cursor: string | null } = await store.entities.tenant.query
      .byList({})
      .go({ cursor, attributes: ['tenantId'] });
    for (const { tenantId } of page.data) {
      let keys: Awaited<ReturnType<TenantKeyring['forTenant']>>;
      try {
        keys = await deps.keyring.forTenant(tenantId);
      } catch (error) {
        // A business being deleted has no key any more: nothing of anyone is readable there.
        if (error instanceof TenantKeyMissingError) continue;
        throw error;
      }
      for (const kind of CONTACT_KINDS) {
        // A customer known by a user id is linked to their contact (the contact-user blind
        // index); one known only by their Page- or Instagram-scoped id has a contact id derived
        // from it (inbox/inbound.ts idsFor). Both are looked up; only contacts that exist count.
        const userIndex = keys.blindIndex('user', `${kind}:${work.userId}`);
        const link = (await store.entities.contactUser.get({ tenantId, userIndex }).go()).data;
        for (const contactId of new Set([link?.contactId, contactIdOf(keys, kind, work.userId)])) {
          if (!contactId) continue;
          const contact = await store.entities.contact.get({ tenantId, contactId }).go({ attributes: ['contactId'] });
          if (contact.data && !touch(tenantId).contacts.includes(contactId)) touch(tenantId).contacts.push(contactId);
        }
      }
    }
    cursor = page.cursor;
  } while (cursor);

  // Businesses where a request was opened by an earlier, interrupted run still get it completed.
  for (const tenantId of requests.keys()) touch(tenantId);

  let contacts = 0;
  let tokens = 0;
  for (const [tenantId, found] of affected) {
    let requestId = requests.get(tenantId);
    if (!requestId) {
      requestId = (
        await openPrivacyRequest(store, {
          tenantId,
          kind: 'meta-data-deletion',
          source: 'meta',
          requestedBy: 'meta',
          receivedAt: work.receivedAt,
        })
      ).requestId;
      requests.set(tenantId, requestId);
      await saveStatus({ status: 'received' });
    }
    const items = new Map<string, number>();
    const add = (dataClass: string, count: number) => items.set(dataClass, (items.get(dataClass) ?? 0) + count);
    if (found.channels > 0) {
      const channel = (await store.entities.channel.get({ tenantId, kind: 'instagram', externalId: work.userId }).go())
        .data;
      if (channel && channel.status !== 'disconnected') {
        await markChannelDisconnected({ store, keyring: deps.keyring }, channel);
        await recordAuditEvent(store, tenantId, {
          action: 'integration.disconnected',
          actorId: 'meta',
          target: { type: 'channel', id: `instagram:${work.userId}` },
          detail: { kind: 'instagram', reason: 'meta-data-deletion' },
        });
        add('channels.connections', 1);
        tokens += 1;
      }
    }
    for (const contactId of found.contacts) {
      try {
        const receipt = await deps.eraseContact({ by: 'meta', source: 'meta' }, tenantId, contactId);
        for (const removed of receipt.removed) add(removed.dataClass, removed.count);
        contacts += 1;
      } catch (error) {
        // Erased meanwhile (by the team, or an earlier run): nothing left to remove.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    try {
      await completePrivacyRequest(store, tenantId, requestId, {
        receiptId: `rc_${work.code.slice(0, 12)}_${tenantId}`.slice(0, 64),
        at: new Date().toISOString(),
        by: 'meta',
        items: [...items].map(([dataClass, count]) => ({ dataClass, count })),
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  await saveStatus({ status: 'done', completedAt: Date.now() });
  // Counts and business ids: the person's id is not logged.
  log.info('meta data deletion done', { code: work.code, businesses: affected.size, tokens, contacts });
  return { businesses: affected.size, channels: tokens, contacts };
}
