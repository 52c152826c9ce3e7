import type { AccountExport } from '@asistone/contract/account-deletion';
import type { PrivacyRequest } from '@asistone/contract/privacy';
import { effectiveRole, ownerOf } from '../accounts/businesses.js';
import type { Actor } from '../accounts/deps.js';
import { accountKeys, loadUser, profileOf } from '../accounts/people.js';
import type { AccountsStore } from '../accounts/records.js';
import { readAuditLog, recordAuditEvent } from '../audit/audit-log.js';
import { INBOX_RECORDS } from '../inbox/records.js';
import type { BusinessData, ContactData, ContactDataContext } from '../platform/area.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { toCsv } from '../platform/csv.js';
import { NotFoundError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import type { Records, Store } from '../platform/store/service.js';
import { zipFiles } from './archive.js';
import { CONTACT_EXPORT_TAGGING } from './contact-exports.js';
import { PRIVACY_EXPORTS_QUEUE } from './export-queue.js';
import {
  completePrivacyRequest,
  getPrivacyRequest,
  openPrivacyRequest,
  type PrivacyRequestsStore,
} from './privacy-requests.js';

/**
 * The whole business's data to take away (portability): one ZIP with each section as JSON and
 * as CSV (cells safe against formula injection). The business, its team (the members' names and
 * addresses are the business's own data), its channels (never a token or PIN), templates,
 * each area's own data of the business (privacy/business-catalog.ts: the AI agent's settings
 * and knowledge base, ...), every contact with the very sections of a contact's export (each area's `ContactData`, the
 * same code the contact's page uses), and the audit log. Built off the `privacy-exports` queue,
 * never inside an API request: a business with years of messages takes longer than a request
 * may. The archive is kept under `tenants/<id>/exports/` and handed out by 10-minute links.
 */

/** How long a download link works: enough to start the download, short enough not to be forwarded far. */
export const EXPORT_LINK_SECONDS = 600;

export interface AccountExportQueue {
  enqueue(message: { tenantId: string; requestId: string; by: string }): Promise<void>;
}

export function accountExportQueue(producer: Pick<Producer, 'send'>): AccountExportQueue {
  return { enqueue: async (message) => void (await producer.send(PRIVACY_EXPORTS_QUEUE, message)) };
}

const archiveKey = (requestId: string) => `exports/${requestId}.zip`;

function view(request: PrivacyRequest, link?: { url: string; expiresAt: string }): AccountExport {
  return {
    requestId: request.requestId,
    status: request.status,
    requestedAt: request.requestedAt,
    url: link?.url ?? null,
    expiresAt: link?.expiresAt ?? null,
  };
}

/** Records the request, audits it and queues the build; answers it open. */
export async function requestAccountExport(
  deps: { store: AccountsStore & PrivacyRequestsStore; exports: AccountExportQueue },
  actor: Actor,
  tenantId: string,
): Promise<AccountExport> {
  const request = await openPrivacyRequest(deps.store, {
    tenantId,
    kind: 'account-export',
    source: 'app',
    requestedBy: `member:${actor.userId}`,
  });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'data.export_requested',
    actorId: actor.userId,
    target: { type: 'privacy-request', id: request.requestId },
    sourceAddress: actor.sourceAddress,
  });
  await deps.exports.enqueue({ tenantId, requestId: request.requestId, by: `member:${actor.userId}` });
  return view(request);
}

/** The export request, with a fresh short-lived link once the archive is built. */
export async function accountExportStatus(
  deps: { store: PrivacyRequestsStore; blobs: Pick<Blobs, 'presignGet' | 'head'> },
  tenantId: string,
  requestId: string,
  nowMs = Date.now(),
): Promise<AccountExport> {
  const request = await getPrivacyRequest(deps.store, tenantId, requestId);
  if (request?.kind !== 'account-export') throw new NotFoundError('No such export');
  if (request.status !== 'done') return view(request);
  // Gone after its day (the lifecycle rule): no link to an archive that is not there.
  if (!(await deps.blobs.head(tenantId, archiveKey(requestId)))) return view(request);
  return view(request, {
    url: await deps.blobs.presignGet(tenantId, archiveKey(requestId), EXPORT_LINK_SECONDS),
    expiresAt: new Date(nowMs + EXPORT_LINK_SECONDS * 1000).toISOString(),
  });
}

export interface AccountExportDeps {
  store: AccountsStore & PrivacyRequestsStore;
  keyring: TenantKeyring;
  blobs: Pick<Blobs, 'put' | 'list' | 'delete' | 'presignGet' | 'head'>;
  storeOf<R extends Records>(records: R): Store<R>;
  /** How each area exports a contact (privacy/contact-catalog.ts CONTACT_DATA). */
  contactData: readonly ContactData[];
  /** How each area exports the business's own data (privacy/business-catalog.ts BUSINESS_DATA). */
  businessData: readonly BusinessData[];
}

type Rows = Record<string, unknown>[];
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Builds and stores the archive, then completes the request with a receipt of what it holds
 * (rows per section). A redelivered message for a request already done does nothing; one for a
 * request cut off half-way builds it again (the archive is overwritten whole).
 */
export async function buildAccountExport(
  deps: AccountExportDeps,
  message: { tenantId: string; requestId: string; by: string },
): Promise<{ sections: Record<string, number> } | undefined> {
  const { tenantId, requestId } = message;
  const request = await getPrivacyRequest(deps.store, tenantId, requestId);
  if (request?.kind !== 'account-export' || request.status !== 'open') return undefined;
  const keys = await deps.keyring.forTenant(tenantId);
  const sections: Record<string, Rows> = {};
  const add = (name: string, rows: readonly Record<string, unknown>[]) => {
    sections[name] ??= [];
    sections[name].push(...rows);
  };

  const { data: tenant } = await deps.store.entities.tenant.get({ tenantId }).go();
  if (!tenant) throw new NotFoundError('No such business');
  add('business', [
    {
      tenantId,
      name: keys.open('tenant', 'name', tenantId, tenant.name),
      createdAt: iso(tenant.createdAt),
      exportedAt: new Date().toISOString(),
    },
  ]);

  // The team: members with their names and addresses (sealed under the accounts key) and roles.
  const people = await accountKeys(deps);
  const ownerId = await ownerOf(deps, tenantId);
  const { data: members } = await deps.store.entities.membership.query.byBusiness({ tenantId }).go({ pages: 'all' });
  for (const member of members) {
    const user = await loadUser(deps, member.userId);
    const profile = user ? profileOf(people, user) : undefined;
    add('team', [
      {
        userId: member.userId,
        name: profile?.name ?? null,
        email: profile?.email ?? null,
        role: effectiveRole(member.role, ownerId, member.userId),
      },
    ]);
  }

  // Channels: what they are and where they stand; never the access token or PIN.
  const { data: channels } = await deps.store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' });
  add(
    'channels',
    channels.map((channel) => ({
      kind: channel.kind,
      externalId: channel.externalId,
      accountId: channel.accountId ?? null,
      label: channel.label,
      status: channel.status,
      connectedAt: iso(channel.connectedAt),
      disconnectedAt: iso(channel.disconnectedAt),
    })),
  );

  const inbox = deps.storeOf(INBOX_RECORDS);
  const { data: templates } = await inbox.entities.template.query.byId({ tenantId }).go({ pages: 'all' });
  add(
    'templates',
    templates.map((template) => ({
      wabaId: template.wabaId,
      name: template.name,
      language: template.language,
      status: template.status,
      category: template.category,
      components: template.components ?? null,
      syncedAt: iso(template.syncedAt),
    })),
  );

  // Each area's own data of the business (settings and their versions, texts the team wrote).
  const context = { tenantId, keys, storeOf: deps.storeOf, blobs: deps.blobs } satisfies Omit<
    ContactDataContext,
    'contactId'
  >;
  for (const area of deps.businessData) {
    for (const [name, rows] of Object.entries(await area.export(context))) add(name, rows);
  }

  // Every contact, with the same sections as a contact's own export, each row naming its contact.
  let cursor: string | null = null;
  do {
    const page: { data: { contactId: string }[]; cursor: string | null } = await inbox.entities.contact.query
      .byId({ tenantId })
      .go({ cursor, attributes: ['contactId'] });
    for (const { contactId } of page.data) {
      for (const area of deps.contactData) {
        const rows = await area.export({ ...context, contactId });
        for (const [name, sectionRows] of Object.entries(rows)) {
          add(
            name === 'profile' ? 'contacts' : name,
            sectionRows.map((row) => ({ contactId, ...row })),
          );
        }
      }
    }
    cursor = page.cursor;
  } while (cursor);

  // The audit log, newest first (ids and masked networks; no personal data beyond member ids).
  let auditCursor: string | null = null;
  do {
    const page = await readAuditLog(deps.store, tenantId, auditCursor ? { cursor: auditCursor } : {});
    add(
      'audit-log',
      page.events.map((event) => ({ ...event })),
    );
    auditCursor = page.cursor;
  } while (auditCursor);

  const files = Object.entries(sections).flatMap(([name, rows]) => [
    { name: `${name}.json`, data: JSON.stringify(rows, null, 2) },
    { name: `${name}.csv`, data: toCsv(rows) },
  ]);
  // The archive holds the business's data in clear: tagged like a contact's export, so the
  // bucket's lifecycle rule removes it after a day (a later download needs a new export).
  await deps.blobs.put(tenantId, archiveKey(requestId), zipFiles(files), 'application/zip', {
    tagging: CONTACT_EXPORT_TAGGING,
  });
  const counts = Object.fromEntries(Object.entries(sections).map(([name, rows]) => [name, rows.length]));
  await completePrivacyRequest(deps.store, tenantId, requestId, {
    receiptId: requestId,
    at: new Date().toISOString(),
    by: message.by,
    items: Object.entries(counts).map(([dataClass, count]) => ({ dataClass, count })),
  });
  return { sections: counts };
}
