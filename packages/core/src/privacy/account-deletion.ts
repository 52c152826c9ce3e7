import { randomUUID } from 'node:crypto';
import {
  ACCOUNT_DELETION_GRACE_DAYS,
  type AccountDeletion,
  type AccountDeletionBody,
} from '@asistone/contract/account-deletion';
import { DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import { PRIVACY_REQUEST_DAYS, type PrivacyReceipt, type PrivacyRequest } from '@asistone/contract/privacy';
import type { Logger } from '@aws-lambda-powertools/logger';
import { ownerOf } from '../accounts/businesses.js';
import type { Actor } from '../accounts/deps.js';
import { accountKeys, loadUser, profileOf } from '../accounts/people.js';
import type { AccountsStore } from '../accounts/records.js';
import { reauthenticate } from '../accounts/second-factor.js';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { OutgoingMail } from '../notify/mailer.js';
import { type MailQueue, sealMail } from '../notify/outbound.js';
import { renderMail } from '../notify/render.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { KMS_PENDING_WINDOW_DAYS } from '../platform/crypto/kms-key-provider.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import {
  cancelPrivacyRequest,
  completePrivacyRequest,
  getPrivacyRequest,
  listPrivacyRequests,
  openPrivacyRequest,
  openPrivacyRequestsDueBy,
  type PrivacyRequestsStore,
} from './privacy-requests.js';
import { type PurgeDeps, type PurgeReport, purgeTenant } from './purge.js';
import type { PRIVACY_RECORDS } from './records.js';

/**
 * Deleting a business account. The owner asks (retyping the business's name, with their
 * password and second factor); the business works as before through a grace period in which
 * the owner can cancel; then the `account-deletions` schedule marks the business `deleting`
 * (the API stops answering its members), disconnects its channels at Meta, destroys its key
 * (crypto-shredding: every sealed value of it, in the table, in backups and in exports already
 * downloaded, becomes noise) and purges every item and object of it. What stays: the purge's receipt and the request with its receipt
 * (`legal` classes, counts and ids only), and the invoices (billing's `legal` classes, outside
 * the business's partition) under their own retention.
 *
 * People are not businesses: the purge removes the business's memberships, ownership and
 * invitations, but a member's own account (address, password, second factor) is theirs and
 * may belong to other businesses. It stays: they can still sign in, and start a business.
 */

const DAY_MS = 24 * 3600 * 1000;
const GRACE_MS = ACCOUNT_DELETION_GRACE_DAYS * DAY_MS;

/** Who the deletion runs as, in receipts. */
export const ACCOUNT_DELETIONS_RUNNER = 'schedule:account-deletions';

/**
 * The longest a business can take to be gone after the request, in days: the grace period, a
 * day for the schedule to pick it up (it runs hourly; a day covers retries and a purge resumed
 * over several runs), and KMS's wait before it deletes the destroyed key. The policy promises
 * 30 days; `account-deletion.test.ts` holds this to it.
 */
export const LONGEST_DELETION_DAYS = ACCOUNT_DELETION_GRACE_DAYS + 1 + KMS_PENDING_WINDOW_DAYS;

export interface AccountDeletionDeps {
  store: AccountsStore & PrivacyRequestsStore;
  keyring: TenantKeyring;
  mails: MailQueue;
  appUrl: string;
}

/** As the API answers it: `scheduled` while open, with when the grace period ends. */
export function deletionView(request: PrivacyRequest): AccountDeletion {
  return {
    requestId: request.requestId,
    status: request.status === 'open' ? 'scheduled' : request.status,
    requestedAt: request.requestedAt,
    graceEndsAt: new Date(Date.parse(request.requestedAt) + GRACE_MS).toISOString(),
    dueAt: request.dueAt,
  };
}

/** The business's newest deletion request (a business has a handful of requests at most). */
async function newestDeletion(store: PrivacyRequestsStore, tenantId: string): Promise<PrivacyRequest | undefined> {
  return (await listPrivacyRequests(store, tenantId)).find((request) => request.kind === 'account-deletion');
}

/** The newest deletion request, scheduled, cancelled or done; null when none was made. */
export async function currentAccountDeletion(
  deps: Pick<AccountDeletionDeps, 'store'>,
  tenantId: string,
): Promise<AccountDeletion | null> {
  const request = await newestDeletion(deps.store, tenantId);
  return request ? deletionView(request) : null;
}

/** Names compared as a person retypes them: surrounding and repeated spaces and Unicode forms do not count. */
const sameName = (a: string, b: string) => {
  const norm = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ');
  return norm(a) === norm(b);
};

/**
 * Schedules the business's deletion. Only its owner may (the route's `data.delete` says the
 * same; checked here too, as the owner is the one who answers for it). A second request while
 * one is scheduled answers that one.
 */
export async function requestAccountDeletion(
  deps: AccountDeletionDeps,
  actor: Actor,
  tenantId: string,
  body: AccountDeletionBody,
  nowMs = Date.now(),
): Promise<{ deletion: AccountDeletion; created: boolean }> {
  if ((await ownerOf(deps, tenantId)) !== actor.userId)
    throw new ForbiddenError('Only the owner can delete the business');
  const [tenant, user, keys] = await Promise.all([
    deps.store.entities.tenant.get({ tenantId }).go(),
    loadUser(deps, actor.userId),
    deps.keyring.forTenant(tenantId),
  ]);
  if (!tenant.data || !user) throw new NotFoundError('No such business');
  if (tenant.data.status !== 'active') throw new ConflictError('The business is already being deleted');
  const name = keys.open('tenant', 'name', tenantId, tenant.data.name);
  if (!sameName(name, body.businessName)) {
    throw new ValidationError('Type the business’s name exactly as it is shown', ['businessName']);
  }
  // The password (and the second factor when on), counted against the same limit as other
  // security changes; a refusal is audited as `auth.reauthentication_failed`.
  await reauthenticate(deps, user, { password: body.password, code: body.code ?? '' }, 'account-deletion', actor);

  const existing = await newestDeletion(deps.store, tenantId);
  if (existing?.status === 'open') return { deletion: deletionView(existing), created: false };
  const request = await openPrivacyRequest(deps.store, {
    tenantId,
    kind: 'account-deletion',
    source: 'app',
    requestedBy: `member:${actor.userId}`,
    receivedAt: nowMs,
  });
  const deletion = deletionView(request);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'data.deletion_requested',
    actorId: actor.userId,
    target: { type: 'privacy-request', id: request.requestId },
    sourceAddress: actor.sourceAddress,
    detail: { graceEndsAt: deletion.graceEndsAt },
  });
  await mailOwner(deps, tenantId, actor.userId, name, deletion);
  return { deletion, created: true };
}

/** Withdraws the scheduled deletion, while its grace period lasts. */
export async function cancelAccountDeletion(
  deps: Pick<AccountDeletionDeps, 'store'>,
  actor: Actor,
  tenantId: string,
  nowMs = Date.now(),
): Promise<AccountDeletion> {
  const request = await newestDeletion(deps.store, tenantId);
  if (request?.status !== 'open') throw new NotFoundError('No deletion is scheduled');
  if (nowMs >= Date.parse(deletionView(request).graceEndsAt)) {
    throw new ConflictError('The grace period has ended: the business is being deleted');
  }
  const cancelled = await cancelPrivacyRequest(deps.store, tenantId, request.requestId);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'data.deletion_cancelled',
    actorId: actor.userId,
    target: { type: 'privacy-request', id: request.requestId },
    sourceAddress: actor.sourceAddress,
  });
  return deletionView(cancelled);
}

const WORDS: Record<Language, { subject: string; paragraphs: string[]; action: string }> = {
  tr: {
    subject: '{business} işletme hesabının silinmesi planlandı',
    paragraphs: [
      '{business} işletme hesabının ve tüm verilerinin silinmesini istediniz.',
      'İşletme {graceDate} tarihine kadar her zamanki gibi çalışır; bu süre içinde silme işlemini gizlilik sayfasından iptal edebilirsiniz. Bu tarihten sonra işletmenin şifreleme anahtarı yok edilir ve tüm verileri kalıcı olarak silinir. Talep numaranız: {requestId}.',
      'Verilerinizin bir kopyasını istiyorsanız silinmeden önce gizlilik sayfasından tüm verileri dışa aktarın.',
      'Bu talebi siz yapmadıysanız hemen oturum açıp silme işlemini iptal edin ve parolanızı değiştirin.',
    ],
    action: 'Gizlilik sayfasını aç',
  },
  en: {
    subject: 'Deletion of the business account {business} is scheduled',
    paragraphs: [
      'You asked for the business account {business} and all its data to be deleted.',
      'The business works as usual until {graceDate}; until then you can cancel the deletion on the privacy page. After that date the business’s encryption key is destroyed and all its data is permanently deleted. Your request number: {requestId}.',
      'If you want a copy of your data, export all data from the privacy page before it is deleted.',
      'If you did not ask for this, sign in now, cancel the deletion and change your password.',
    ],
    action: 'Open the privacy page',
  },
};

export function accountDeletionMail(
  to: string,
  language: Language,
  facts: { business: string; requestId: string; graceEndsAt: string; url: string },
): OutgoingMail {
  const words = WORDS[language];
  const values: Record<string, string> = {
    business: facts.business,
    requestId: facts.requestId,
    // A date and UTC time, the same in every language: the reader's time zone is not known.
    graceDate: `${facts.graceEndsAt.slice(0, 16).replace('T', ' ')} UTC`,
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
  return renderMail('privacy-request', to, `account-deletion/${facts.requestId}`, {
    language,
    subject: fill(words.subject),
    paragraphs: words.paragraphs.map(fill),
    action: { label: words.action, url: facts.url },
  });
}

async function mailOwner(
  deps: AccountDeletionDeps,
  tenantId: string,
  ownerId: string,
  business: string,
  deletion: AccountDeletion,
) {
  const owner = await loadUser(deps, ownerId);
  if (!owner) return;
  const [people, keys] = await Promise.all([accountKeys(deps), deps.keyring.forTenant(tenantId)]);
  const mail = accountDeletionMail(profileOf(people, owner).email, owner.language ?? DEFAULT_LANGUAGE, {
    business,
    requestId: deletion.requestId,
    graceEndsAt: deletion.graceEndsAt,
    url: `${deps.appUrl}/b/${tenantId}/privacy`,
  });
  // Sealed with the business's key, as the other privacy mails: the queue carries no address in clear.
  await deps.mails.enqueue(sealMail(keys, mail));
}

/** What the schedule needs: the purge's, the keyring, and the requests. */
export interface AccountDeletionRunDeps extends Omit<PurgeDeps, 'store'> {
  store: Store<typeof PRIVACY_RECORDS & Pick<typeof TENANCY_RECORDS, 'tenant'>> & PrivacyRequestsStore;
  keyring: Pick<TenantKeyring, 'destroy'>;
  /**
   * Disconnects the business's channels at Meta while their tokens can still be opened
   * (channels/connect/manage.ts releaseBusinessChannels); it never fails the deletion.
   */
  releaseChannels(tenantId: string): Promise<unknown>;
  log?: Pick<Logger, 'info' | 'error'>;
}

export interface AccountDeletionRun {
  /** Businesses deleted by this run, with the receipt kept for each. */
  deleted: { tenantId: string; requestId: string; receiptId: string }[];
  /** Businesses whose deletion failed this time; the next run resumes them. */
  failed: { tenantId: string; requestId: string }[];
}

/**
 * Carries out every deletion whose grace period has ended by `now` (the schedule's fire time).
 * The requests are found by one Query on the open requests' deadline index (never a Scan): a
 * deletion's deadline is a fixed 30 days after it was asked, so "grace ended by now" is "due
 * by now + (30 − grace) days". Each step can run again: a run cut off after the key is
 * destroyed, or half-way through the purge, is finished by the next one; a deletion done is no
 * longer open and is not found again.
 */
export async function runDueAccountDeletions(deps: AccountDeletionRunDeps, now: number): Promise<AccountDeletionRun> {
  const dueBy = now - GRACE_MS + PRIVACY_REQUEST_DAYS * DAY_MS;
  const due: { tenantId: string; requestId: string }[] = [];
  // Read first, then delete: completing a request takes it out of the index being paged.
  for await (const request of openPrivacyRequestsDueBy(deps.store, dueBy + 1)) {
    if (request.kind === 'account-deletion') due.push({ tenantId: request.tenantId, requestId: request.requestId });
  }
  const run: AccountDeletionRun = { deleted: [], failed: [] };
  for (const { tenantId, requestId } of due) {
    try {
      const receiptId = await deleteBusiness(deps, tenantId, requestId, now);
      if (receiptId) run.deleted.push({ tenantId, requestId, receiptId });
    } catch (error) {
      // One business's failure does not hold up the others; it stays open for the next run.
      deps.log?.error('account deletion failed; the next run resumes it', { tenantId, requestId, error });
      run.failed.push({ tenantId, requestId });
    }
  }
  return run;
}

async function deleteBusiness(
  deps: AccountDeletionRunDeps,
  tenantId: string,
  requestId: string,
  now: number,
): Promise<string | undefined> {
  // Read again: it may have been cancelled since the index was read.
  const request = await getPrivacyRequest(deps.store, tenantId, requestId);
  if (request?.status !== 'open' || Date.parse(deletionView(request).graceEndsAt) > now) return undefined;

  const tenant = await deps.store.entities.tenant.get({ tenantId }).go();
  if (tenant.data?.status === 'active') {
    // First, so the API refuses the business's members while its data goes (tenancy: roleIn).
    await deps.store.entities.tenant.patch({ tenantId }).set({ status: 'deleting' }).go({ response: 'none' });
  }
  // While the key still opens the channels' tokens: unsubscribed at Meta, the business's
  // customers' messages stop reaching us at all. A resumed run finds them disconnected already,
  // or the key gone: then there is nothing left to release.
  if (tenant.data) await deps.releaseChannels(tenantId);
  // Crypto-shredding before the purge: whatever the purge has not reached yet, and every
  // backup, is unreadable from here on. Safe to repeat (no key record: nothing to do).
  await deps.keyring.destroy(tenantId);

  let report: Pick<PurgeReport, 'classes' | 'objects' | 'unclassified' | 'receiptId'> | undefined;
  if (tenant.data) {
    report = await purgeTenant(deps, tenantId, { by: ACCOUNT_DELETIONS_RUNNER });
  } else {
    // The purge deletes the business record last, then writes its receipt: a run cut off after
    // that finds the receipt the purge kept.
    const receipts = await deps.store.entities.purgeReceipt.query
      .byTime({ tenantId })
      .go({ order: 'desc', pages: 'all' });
    report = receipts.data.find((receipt) => receipt.kind === 'tenant');
  }
  // The counts are those of the purge run that finished: a run cut off half-way kept no receipt,
  // so what it removed before stopping is not counted (it is gone all the same).
  const receipt: PrivacyReceipt = {
    // The purge's receipt id, so the request's receipt and the purge's are one proof.
    receiptId: report?.receiptId ?? randomUUID(),
    at: new Date().toISOString(),
    by: ACCOUNT_DELETIONS_RUNNER,
    items: [
      ...(report?.classes ?? []).map((c) => ({ dataClass: c.name, count: c.items })),
      { dataClass: 'objects', count: report?.objects ?? 0 },
      { dataClass: 'unclassified', count: report?.unclassified ?? 0 },
    ],
  };
  await completePrivacyRequest(deps.store, tenantId, requestId, receipt);
  deps.log?.info('business deleted', { tenantId, requestId, receiptId: receipt.receiptId });
  return receipt.receiptId;
}
