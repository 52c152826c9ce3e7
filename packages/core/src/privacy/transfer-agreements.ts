import { randomBytes } from 'node:crypto';
import { DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import { PRIVACY_REQUEST_DAYS, type TransferAgreementsRequest } from '@asistone/contract/privacy';
import { ownerOf } from '../accounts/businesses.js';
import type { Actor } from '../accounts/deps.js';
import { accountKeys, loadUser, profileOf } from '../accounts/people.js';
import type { AccountsStore } from '../accounts/records.js';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import type { OutgoingMail } from '../notify/mailer.js';
import { type MailQueue, sealMail } from '../notify/outbound.js';
import { renderMail } from '../notify/render.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/service.js';
import type { TRANSFER_AGREEMENT_RECORDS } from './requests.js';

/**
 * A business asks for the agreements that cover its data's transfers abroad (the policy says
 * it may). The request is recorded with the policy's 30-day deadline, audited, and the owner
 * is mailed a confirmation in their own language, whoever of the managers asked: the owner is
 * the one the answer goes to.
 */

const DAY_MS = 24 * 3600 * 1000;

export interface TransferAgreementsDeps {
  store: AccountsStore & AuditStore & Store<typeof TRANSFER_AGREEMENT_RECORDS>;
  keyring: TenantKeyring;
  mails: MailQueue;
  appUrl: string;
}

type RequestItem = {
  requestId: string;
  requestedBy: string;
  requestedAt: number;
  dueAt: number;
  status: 'open' | 'answered';
};

function view(item: RequestItem): TransferAgreementsRequest {
  return {
    id: item.requestId,
    kind: 'transfer-agreements',
    status: 'open',
    requestedAt: new Date(item.requestedAt).toISOString(),
    requestedBy: item.requestedBy,
    dueAt: new Date(item.dueAt).toISOString(),
  };
}

/** The business's open request, newest first; a business holds a handful at most. */
export async function openTransferAgreementsRequest(
  deps: Pick<TransferAgreementsDeps, 'store'>,
  tenantId: string,
): Promise<TransferAgreementsRequest | null> {
  const { data } = await deps.store.entities.transferAgreementsRequest.query
    .byTime({ tenantId })
    .go({ order: 'desc', pages: 'all' });
  const open = data.find((item) => item.status === 'open');
  return open ? view(open) : null;
}

const WORDS: Record<Language, { subject: string; paragraphs: string[]; action: string }> = {
  tr: {
    subject: 'Veri aktarım sözleşmeleri talebiniz alındı',
    paragraphs: [
      '{business} için yurt dışına veri aktarımını kapsayan sözleşmelerin (standart sözleşme maddeleri) bir kopyasını talep ettiniz.',
      'Talebinizi {dueDate} tarihine kadar bu e-posta adresine yanıtlayacağız. Talep numaranız: {requestId}.',
      'Bu talebi siz ya da ekibiniz yapmadıysanız bu e-postayı yanıtlayarak bize bildirin.',
    ],
    action: 'Gizlilik sayfasını aç',
  },
  en: {
    subject: 'We received your request for the data transfer agreements',
    paragraphs: [
      'You asked for a copy of the agreements that cover transfers of {business}’s data abroad (the standard contractual clauses).',
      'We will answer at this address by {dueDate}. Your request number: {requestId}.',
      'If neither you nor your team asked for this, reply to this mail and tell us.',
    ],
    action: 'Open the privacy page',
  },
};

export function transferAgreementsMail(
  to: string,
  language: Language,
  facts: { business: string; requestId: string; dueAt: number; url: string; key: string },
): OutgoingMail {
  const words = WORDS[language];
  const values: Record<string, string> = {
    business: facts.business,
    requestId: facts.requestId,
    // A date, the same in every language: the reader's time zone is not known.
    dueDate: new Date(facts.dueAt).toISOString().slice(0, 10),
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  return renderMail('privacy-request', to, facts.key, {
    language,
    subject: words.subject,
    paragraphs: words.paragraphs.map(fill),
    action: { label: words.action, url: facts.url },
  });
}

/**
 * Records the request (or answers the one still open: a second click asks nothing new),
 * audits it and queues the owner's confirmation.
 */
export async function requestTransferAgreements(
  deps: TransferAgreementsDeps,
  actor: Actor,
  tenantId: string,
  nowMs = Date.now(),
): Promise<{ request: TransferAgreementsRequest; created: boolean }> {
  const existing = await openTransferAgreementsRequest(deps, tenantId);
  if (existing) return { request: existing, created: false };
  const item: RequestItem = {
    requestId: `ta_${randomBytes(10).toString('hex')}`,
    requestedBy: actor.userId,
    requestedAt: nowMs,
    dueAt: nowMs + PRIVACY_REQUEST_DAYS * DAY_MS,
    status: 'open',
  };
  await deps.store.entities.transferAgreementsRequest.create({ tenantId, ...item }).go({ response: 'none' });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'privacy.transfer_agreements_requested',
    actorId: actor.userId,
    target: { type: 'privacy-request', id: item.requestId },
    sourceAddress: actor.sourceAddress,
    detail: { dueAt: new Date(item.dueAt).toISOString() },
  });
  await queueOwnerConfirmation(deps, tenantId, item);
  return { request: view(item), created: true };
}

async function queueOwnerConfirmation(deps: TransferAgreementsDeps, tenantId: string, item: RequestItem) {
  const ownerId = await ownerOf(deps, tenantId);
  const owner = ownerId ? await loadUser(deps, ownerId) : undefined;
  if (!owner) return;
  const [people, keys, tenant] = await Promise.all([
    accountKeys(deps),
    deps.keyring.forTenant(tenantId),
    deps.store.entities.tenant.get({ tenantId }).go(),
  ]);
  const business = tenant.data ? keys.open('tenant', 'name', tenantId, tenant.data.name) : tenantId;
  const mail = transferAgreementsMail(profileOf(people, owner).email, owner.language ?? DEFAULT_LANGUAGE, {
    business,
    requestId: item.requestId,
    dueAt: item.dueAt,
    url: `${deps.appUrl}/b/${tenantId}/privacy`,
    key: `privacy-request/${tenantId}/${item.requestId}`,
  });
  // Sealed with the business's key, as invitations are: the queue carries no address in clear.
  await deps.mails.enqueue(sealMail(keys, mail));
}
