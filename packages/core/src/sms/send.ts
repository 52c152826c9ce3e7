import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { PermanentError, ValidationError } from '../platform/errors.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import { smsAccountCredentials } from './account.js';
import { type IysFilter, NetgsmBusyError, type NetgsmClient, NetgsmRefusedError } from './netgsm.js';
import type { SMS_RECORDS, SmsState } from './records.js';

/**
 * Sending one SMS through the business's own NetGSM account, at most once per `ref`, and what
 * became of it. The delivery report arrives later through the `sms-reports` schedule.
 */

export type SmsPurpose = 'informational' | 'commercial';

export interface SmsRequest {
  /** E.164 digits without '+', e.g. 905551112233. */
  to: string;
  text: string;
  purpose: SmsPurpose;
  /** The caller's id for this message, e.g. `order-notice/<orderId>/shipped`. */
  ref: string;
}

/** The business has no NetGSM account saved. */
export class SmsNotConfigured extends PermanentError {
  override name = 'SmsNotConfigured';
  constructor(message = 'No NetGSM account is saved for this business') {
    super(message);
  }
}

/** This ref was already tried and failed for good; it is not sent again. */
export class SmsAlreadyFailed extends PermanentError {
  override name = 'SmsAlreadyFailed';
}

export interface SmsDeps {
  store: Store<typeof SMS_RECORDS>;
  keyring: Pick<TenantKeyring, 'forTenant'>;
  netgsm: NetgsmClient;
  now?: () => number;
}

export interface SmsDeliveryView {
  state: 'pending' | 'delivered' | 'failed';
  /** Words a merchant understands, e.g. 'İYS rejected'. */
  reason?: string;
  at: number;
}

/**
 * A claim younger than this is another call still waiting for NetGSM: the caller retries later.
 * Older, and NetGSM's answer was lost: whether it sent is unknown, so it is not sent again.
 */
export const SMS_SENDING_LEASE_MS = 60_000;
/** How long a job's record is kept (DynamoDB's TTL; cost only). */
export const SMS_JOB_KEEP_DAYS = 180;

/** Informational messages are not İYS-checked; commercial ones to individuals are (BIREYSEL). */
export const IYS_FILTER: Record<SmsPurpose, IysFilter> = { informational: '0', commercial: '11' };

const NUMBER = /^[1-9]\d{9,14}$/;
const UNKNOWN_OUTCOME = 'NetGSM did not confirm the message; it was not sent again, to avoid a duplicate';

function check(sms: SmsRequest) {
  const issues: string[] = [];
  if (!NUMBER.test(sms.to)) issues.push('to: E.164 digits without +');
  if (!sms.text.trim()) issues.push('text: required');
  if (!sms.ref || sms.ref.length > 200) issues.push('ref: 1 to 200 characters');
  if (sms.purpose !== 'informational' && sms.purpose !== 'commercial')
    issues.push('purpose: informational or commercial');
  if (issues.length > 0) throw new ValidationError('The SMS cannot be sent as given', issues);
}

/**
 * Sends through the business's NetGSM account once per ref (conditional put on the ref before the
 * call; a retry after a lost answer does not send twice) and records a pending delivery for the poller.
 *
 * Throws SmsNotConfigured (no account), NetgsmRefusedError (credentials, header, İYS setup, text:
 * permanent), NetgsmBusyError (rate or duplicate limit, system error: retry later).
 */
export async function sendBusinessSms(deps: SmsDeps, tenantId: string, sms: SmsRequest): Promise<{ jobId: string }> {
  check(sms);
  const now = deps.now ?? Date.now;
  const account = await smsAccountCredentials(deps, tenantId);
  if (!account) throw new SmsNotConfigured();
  const jobs = deps.store.entities.smsJob;
  const key = { tenantId, ref: sms.ref };
  const claimedAt = now();

  try {
    await jobs
      .create({
        ...key,
        state: 'sending',
        purpose: sms.purpose,
        createdAt: claimedAt,
        at: claimedAt,
        expiresAt: Math.floor(claimedAt / 1000) + SMS_JOB_KEEP_DAYS * 86_400,
      })
      .go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return settledBefore(deps, tenantId, sms.ref);
  }

  let jobId: string;
  try {
    ({ jobId } = await deps.netgsm.send(account, {
      msgheader: account.msgheader,
      iysfilter: IYS_FILTER[sms.purpose],
      messages: [{ msg: sms.text, no: sms.to }],
    }));
  } catch (error) {
    if (error instanceof NetgsmRefusedError) {
      await jobs.patch(key).set({ state: 'failed', code: error.code, reason: error.message, at: now() }).go();
    } else if (error instanceof NetgsmBusyError && /^\d+$/.test(error.code)) {
      // NetGSM answered "not now" (80, 85, 100, 101): nothing was sent, so the ref is free again.
      await jobs
        .delete(key)
        .where(({ state }, { eq }) => eq(state, 'sending'))
        .go()
        .catch((deleteError: unknown) => {
          if (!isConditionFailure(deleteError)) throw deleteError;
        });
    }
    // No answer: the claim stays `sending`; a retry finds it and does not send twice.
    throw error;
  }
  await jobs.patch(key).set({ state: 'pending', jobId, at: now() }).go();
  await deps.store.entities.smsPending.put({ tenantId, sentAt: claimedAt, ref: sms.ref, jobId }).go();
  return { jobId };
}

/** A second call for a ref already claimed: its job id, or why it will not be sent. */
async function settledBefore(deps: SmsDeps, tenantId: string, ref: string): Promise<{ jobId: string }> {
  const now = deps.now ?? Date.now;
  const jobs = deps.store.entities.smsJob;
  const job = (await jobs.get({ tenantId, ref }).go()).data;
  if (!job) throw new NetgsmBusyError('in-flight', 'The SMS is being sent; try again shortly');
  if (job.jobId) {
    // The first call may have stopped before recording the pending delivery: putting it again is harmless.
    if (job.state === 'pending') {
      await deps.store.entities.smsPending.put({ tenantId, sentAt: job.createdAt, ref, jobId: job.jobId }).go();
    }
    return { jobId: job.jobId };
  }
  if (job.state === 'failed') throw new SmsAlreadyFailed(job.reason ?? 'The SMS could not be sent');
  if (now() - job.at < SMS_SENDING_LEASE_MS) {
    throw new NetgsmBusyError('in-flight', 'The SMS is being sent; try again shortly');
  }
  await jobs
    .patch({ tenantId, ref })
    .set({ state: 'failed', reason: UNKNOWN_OUTCOME, at: now() })
    .where(({ state }, { eq }) => eq(state, 'sending'))
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  throw new SmsAlreadyFailed(UNKNOWN_OUTCOME);
}

/** What became of the SMS sent with this ref; undefined when none was. */
export async function smsDeliveryOf(
  store: Store<Pick<typeof SMS_RECORDS, 'smsJob'>>,
  tenantId: string,
  ref: string,
): Promise<SmsDeliveryView | undefined> {
  const job = (await store.entities.smsJob.get({ tenantId, ref }).go()).data;
  if (!job) return undefined;
  const state: SmsDeliveryView['state'] =
    job.state === 'sending' ? 'pending' : (job.state as Exclude<SmsState, 'sending'>);
  return { state, ...(job.reason ? { reason: job.reason } : {}), at: job.at };
}
