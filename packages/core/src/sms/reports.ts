import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { smsAccountCredentials } from './account.js';
import { NetgsmBusyError, type NetgsmClient, NetgsmRefusedError } from './netgsm.js';
import type { SMS_RECORDS } from './records.js';

/**
 * Delivery reports: NetGSM pushes none to us, so every 5 minutes each business's pending jobs
 * are asked about (`POST /report` with a batch of job ids) and settled: delivered, or failed
 * with a reason a merchant understands. NetGSM allows 10 report queries a minute per account:
 * a run asks at most {@link REPORT_QUERIES_PER_RUN} times per business, and stops asking a
 * business at once when NetGSM answers 80 (its jobs wait for the next run).
 */

/** Below NetGSM's 10 a minute, leaving room for a run that overlaps the previous one's tail. */
export const REPORT_QUERIES_PER_RUN = 8;
/** Job ids per report query; a single-number job is one line, so one page of 100 holds them. */
export const REPORT_BATCH = 100;
/** A job with no final status after this long is given up: NetGSM keeps no report that late. */
export const REPORT_GIVE_UP_MS = 3 * 24 * 3_600_000;

/** Report statuses (NetGSM REST v2): 0 pending, 1 delivered, the rest failed, in the merchant's words. */
const FAILED_STATUSES: Record<number, string> = {
  2: 'Expired: the phone was unreachable until the message expired',
  3: 'Invalid number',
  4: 'Not passed to the operator',
  11: 'Rejected by the operator',
  12: 'Delivery error at the operator',
  13: 'Duplicate message',
  14: 'Not enough NetGSM credit',
  15: 'The number is blacklisted',
  16: 'İYS rejected: no İYS consent for commercial messages',
  17: 'İYS error',
};
const NO_REPORT = 'No report: NetGSM gave no delivery status within 3 days';

export interface SmsReportDeps {
  store: Store<typeof SMS_RECORDS & { tenant: (typeof TENANCY_RECORDS)['tenant'] }>;
  keyring: Pick<TenantKeyring, 'forTenant'>;
  netgsm: NetgsmClient;
  now?: () => number;
  batchSize?: number;
  queriesPerRun?: number;
}

export interface SmsReportRun {
  businesses: number;
  queries: number;
  delivered: number;
  failed: number;
  stillPending: number;
  /** Businesses NetGSM answered 80 for: their jobs wait for the next run. */
  rateLimited: number;
  /** Businesses whose account NetGSM refused, or that failed otherwise (error kinds only). */
  errors: { tenantId: string; error: string }[];
}

/** Every business's id, by Query on the business list (never a Scan). */
async function* businesses(store: SmsReportDeps['store']): AsyncGenerator<string> {
  let cursor: string | null = null;
  do {
    const page: { data: { tenantId: string }[]; cursor: string | null } = await store.entities.tenant.query
      .byList({})
      .go({ cursor, attributes: ['tenantId'] });
    for (const { tenantId } of page.data) yield tenantId;
    cursor = page.cursor;
  } while (cursor);
}

/** Polls every business's pending jobs once. */
export async function pollSmsReports(deps: SmsReportDeps): Promise<SmsReportRun> {
  const run: SmsReportRun = {
    businesses: 0,
    queries: 0,
    delivered: 0,
    failed: 0,
    stillPending: 0,
    rateLimited: 0,
    errors: [],
  };
  for await (const tenantId of businesses(deps.store)) {
    const pending = (await deps.store.entities.smsPending.query.bySent({ tenantId }).go({ pages: 'all' })).data;
    if (pending.length === 0) continue;
    run.businesses += 1;
    try {
      await pollBusiness(deps, tenantId, pending, run);
    } catch (error) {
      run.errors.push({ tenantId, error: (error as Error).name });
    }
  }
  return run;
}

type Pending = { tenantId: string; sentAt: number; ref: string; jobId: string };

async function pollBusiness(deps: SmsReportDeps, tenantId: string, pending: Pending[], run: SmsReportRun) {
  const now = deps.now ?? Date.now;
  const batchSize = deps.batchSize ?? REPORT_BATCH;
  const budget = deps.queriesPerRun ?? REPORT_QUERIES_PER_RUN;
  const open = new Map(pending.map((job) => [job.jobId, job]));
  const account = await smsAccountCredentials(deps, tenantId);

  if (account) {
    // Oldest first: the ones closest to being given up are asked about first.
    const ids = pending.map((job) => job.jobId);
    let asked = 0;
    for (let start = 0; start < ids.length && asked < budget; start += batchSize) {
      const batch = ids.slice(start, start + batchSize);
      asked += 1;
      run.queries += 1;
      let lines: Awaited<ReturnType<NetgsmClient['report']>>;
      try {
        lines = await deps.netgsm.report(account, batch);
      } catch (error) {
        if (error instanceof NetgsmBusyError && error.code === '80') {
          // NetGSM's limit: asking again this minute would only be refused again.
          run.rateLimited += 1;
          break;
        }
        if (error instanceof NetgsmRefusedError || error instanceof NetgsmBusyError) {
          run.errors.push({ tenantId, error: `netgsm-${error.code}` });
          break;
        }
        throw error;
      }
      for (const line of lines) {
        const job = open.get(line.jobid);
        if (!job) continue;
        if (line.status === 1) {
          await settle(deps, job, 'delivered', String(line.status), undefined);
          run.delivered += 1;
          open.delete(job.jobId);
        } else if (FAILED_STATUSES[line.status]) {
          await settle(deps, job, 'failed', String(line.status), FAILED_STATUSES[line.status]);
          run.failed += 1;
          open.delete(job.jobId);
        }
        // 0 (pending) or a status this code does not know: asked again next run.
      }
    }
  }

  for (const job of open.values()) {
    if (now() - job.sentAt > REPORT_GIVE_UP_MS) {
      await settle(deps, job, 'failed', undefined, NO_REPORT);
      run.failed += 1;
    } else {
      run.stillPending += 1;
    }
  }
}

async function settle(
  deps: SmsReportDeps,
  job: Pending,
  state: 'delivered' | 'failed',
  code: string | undefined,
  reason: string | undefined,
) {
  const now = deps.now ?? Date.now;
  await deps.store.entities.smsJob
    .patch({ tenantId: job.tenantId, ref: job.ref })
    .set({ state, at: now(), ...(code ? { code } : {}), ...(reason ? { reason } : {}) })
    .where(({ state: current }, { eq }) => eq(current, 'pending'))
    .go()
    .catch((error: unknown) => {
      // Already settled (or gone with its TTL): the pending marker is all that is left to remove.
      if (!isConditionFailure(error)) throw error;
    });
  await deps.store.entities.smsPending.delete({ tenantId: job.tenantId, sentAt: job.sentAt, ref: job.ref }).go();
}
