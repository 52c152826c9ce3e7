import { GraphError } from '../channels/meta/graph-errors.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { currencyDigits } from '../platform/money.js';
import { isConditionFailure } from '../platform/store/service.js';
import {
  type AdsLevel,
  AdsThrottledError,
  AdsTooMuchDataError,
  type AdsUsage,
  type InsightPage,
  type MarketingApi,
} from './marketing-api.js';
import type { AdsStore, BackfillJob } from './records.js';
import { type InsightItem, insightItemOf } from './rows.js';

/**
 * Pulls one ad account's insights, a step at a time, so any run may stop and the next go on:
 * first the history (asynchronous report runs, a level and about three months each, newest
 * first), then, once it is in, the last few days at every level on each run (Meta restates
 * recent days as conversions come in). Every answer's usage is read: near Meta's limit the run
 * stops and the account waits; a throttling refusal pauses the account for the time Meta names
 * (or a back-off), and the next run starts where this one stopped. Rows are written whole and
 * keyed by account, level, day and entity, so a page read twice writes the same items.
 */

export const AD_LEVELS_SYNCED: readonly AdsLevel[] = ['account', 'campaign', 'adset', 'ad'];
/** How far back the history goes when an account is connected. */
export const HISTORY_MONTHS = 18;
/** Days per report run of the history (Meta answers a few months at ad level in one run). */
const CHUNK_DAYS = 92;
/** Days the daily sync reads again each run. */
const RECENT_DAYS = 3;
/** Report runs polled at once. */
const PARALLEL_RUNS = 8;
/** Within one run, the history's runs are polled this many times, a second apart, before the run yields. */
const BACKFILL_PASSES = 10;
const POLL_PAUSE_MS = 1_000;
/** Calls one run makes at most; the rest waits for the next run. */
const CALLS_PER_RUN = 60;
/** Over this share of Meta's limit, the run stops and the account waits a minute. */
const SLOW_DOWN_PERCENT = 75;
/** A run holds the account this long at most (a stopped worker's hold lapses). */
const LEASE_MS = 2 * 60_000;
const DAY_MS = 86_400_000;

export interface AdSyncDeps {
  store: AdsStore;
  keyring: TenantKeyring;
  api: MarketingApi;
  now?: () => number;
  /** Waits between polls of the report runs (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

export interface AdSyncOutcome {
  /** What the run did: pulled, waited for Meta, or found nothing to do. */
  state: 'synced' | 'more' | 'paused' | 'busy' | 'idle' | 'reconnect';
  /** When a follow-up run is worth it (ms epoch), if any. */
  nextAt?: number;
  calls: number;
  rows: number;
}

/** The day of an instant in a time zone (ISO date). */
export function dayIn(ms: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The history's first day: the same day HISTORY_MONTHS months before. */
export function historyStart(today: string, months = HISTORY_MONTHS): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

/** The history's report runs: every level for each chunk of days, newest chunk first. */
export function backfillJobs(from: string, through: string): BackfillJob[] {
  const jobs: BackfillJob[] = [];
  for (let until = through; until >= from; until = addDays(until, -CHUNK_DAYS)) {
    const start = addDays(until, -(CHUNK_DAYS - 1));
    const since = start < from ? from : start;
    for (const level of AD_LEVELS_SYNCED) jobs.push({ level, since, until, state: 'waiting' });
  }
  return jobs;
}

/** The last day the history's runs cover. */
export const lastDayOf = (jobs: BackfillJob[]): string | undefined =>
  jobs
    .map((job) => job.until)
    .sort()
    .at(-1);

/** Signals the run to stop where it is (the work so far is saved). */
class StopRun extends Error {
  constructor(
    readonly outcome: 'more' | 'paused',
    readonly waitMs: number,
  ) {
    super(outcome);
  }
}

type Account = NonNullable<Awaited<ReturnType<ReturnType<AdsStore['entities']['adAccount']['get']>['go']>>['data']>;

/** Writes rows 25 at a time, again for what DynamoDB leaves unprocessed. */
async function writeRows(store: AdsStore, tenantId: string, accountId: string, items: InsightItem[]) {
  for (let start = 0; start < items.length; start += 25) {
    let pending = items.slice(start, start + 25).map((item) => ({ tenantId, accountId, ...item }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error('The store left insight rows unprocessed too many times');
      const answer = await store.entities.adInsight.put(pending).go();
      const unprocessed = answer.unprocessed as { entityId: string; day: string; level: string }[];
      pending = pending.filter((row) =>
        unprocessed.some((left) => left.entityId === row.entityId && left.day === row.day && left.level === row.level),
      );
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/**
 * One run for one account. Never throws for Meta's refusals: a throttle pauses the account, an
 * invalid token marks it to reconnect; anything else is saved as its last error and thrown (the
 * queue retries the message).
 */
export async function runAdSync(deps: AdSyncDeps, tenantId: string, accountId: string): Promise<AdSyncOutcome> {
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const key = { tenantId, accountId };
  const start = now();
  const account = (await store.entities.adAccount.get(key).go({ consistent: true })).data;
  if (account?.status !== 'connected' || !account.token) return { state: 'idle', calls: 0, rows: 0 };
  if ((account.pausedUntil ?? 0) > start) {
    return { state: 'paused', nextAt: account.pausedUntil as number, calls: 0, rows: 0 };
  }
  try {
    await store.entities.adAccount
      .patch(key)
      .set({ leaseUntil: start + LEASE_MS })
      .where(({ leaseUntil }, { notExists, lt }) => `${notExists(leaseUntil)} OR ${lt(leaseUntil, start)}`)
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) return { state: 'busy', calls: 0, rows: 0 };
    throw error;
  }

  const keys = await deps.keyring.forTenant(tenantId);
  const token = keys.open('adAccount', 'token', accountId, account.token);
  const run = new AccountRun(deps, account, token, start);
  try {
    const state = await run.go();
    await store.entities.adAccount
      .patch(key)
      .set({
        backfill: run.jobs,
        backfillState: run.backfillState,
        lastSyncedAt: now(),
        throttles: 0,
        ...(run.syncedThrough && { syncedThrough: run.syncedThrough }),
      })
      .remove(['leaseUntil', 'lastError', 'pausedUntil'])
      .go({ response: 'none' });
    return { state, ...(state === 'more' && { nextAt: now() + 2_000 }), calls: run.calls, rows: run.rows };
  } catch (error) {
    if (error instanceof StopRun) {
      const throttled = error.outcome === 'paused';
      const throttles = throttled ? (account.throttles ?? 0) + 1 : 0;
      // Meta's own wait when it names one, else a back-off doubling from a minute to an hour.
      const waitMs = Math.max(error.waitMs, throttled ? Math.min(60 * 60_000, 60_000 * 2 ** (throttles - 1)) : 0);
      const nextAt = now() + waitMs;
      await store.entities.adAccount
        .patch(key)
        .set({
          backfill: run.jobs,
          backfillState: run.backfillState,
          throttles,
          ...(run.syncedThrough && { syncedThrough: run.syncedThrough }),
          ...(waitMs > 0 && { pausedUntil: nextAt }),
        })
        .remove(['leaseUntil'])
        .go({ response: 'none' });
      return { state: error.outcome, nextAt, calls: run.calls, rows: run.rows };
    }
    const auth = error instanceof GraphError && error.kind === 'auth';
    await store.entities.adAccount
      .patch(key)
      .set({
        backfill: run.jobs,
        lastError: auth ? 'Meta no longer accepts the sign-in: reconnect the ad account' : describe(error),
        ...(auth && { status: 'reconnect' as const }),
      })
      .remove(['leaseUntil'])
      .go({ response: 'none' });
    if (auth) return { state: 'reconnect', calls: run.calls, rows: run.rows };
    throw error;
  }
}

function describe(error: unknown): string {
  if (error instanceof GraphError) return `Meta answered: ${error.title}`.slice(0, 300);
  return 'The sync failed; it is tried again';
}

/** One run's work and its counts; its jobs list is saved whatever happens. */
class AccountRun {
  calls = 0;
  rows = 0;
  jobs: BackfillJob[];
  backfillState: Account['backfillState'];
  syncedThrough: string | undefined;
  private readonly digits: number;
  private readonly today: string;

  constructor(
    private readonly deps: AdSyncDeps,
    private readonly account: Account,
    private readonly token: string,
    start: number,
  ) {
    this.today = dayIn(start, account.timezone);
    this.digits = currencyDigits(account.currency);
    this.jobs = ((account.backfill as BackfillJob[] | undefined) ?? []).map((job) => ({ ...job }));
    if (this.jobs.length === 0) this.jobs = backfillJobs(account.backfillFrom, this.today);
    this.backfillState = account.backfillState === 'done' ? 'done' : 'running';
    this.syncedThrough = account.syncedThrough;
  }

  async go(): Promise<'synced' | 'more'> {
    if (this.backfillState !== 'done') {
      const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      for (let pass = 0; pass < BACKFILL_PASSES; pass += 1) {
        await this.backfill();
        if (this.backfillState === 'done') break;
        if (this.waitMs !== undefined) throw new StopRun('more', this.waitMs);
        // Meta's runs take a few seconds: poll again shortly rather than queue a new run for it.
        await sleep(POLL_PAUSE_MS);
      }
      if (this.backfillState !== 'done') return 'more';
      // The history ran up to the day it started: those days are the recent sync's from now on.
      this.syncedThrough = lastDayOf(this.jobs);
    }
    await this.recent();
    this.syncedThrough = this.today;
    return 'synced';
  }

  /** Set when an answer's usage passed the slow-down mark: the run makes no further call. */
  private waitMs: number | undefined;

  /**
   * Makes one call, unless the run must stop first (its call budget spent, or Meta's usage near
   * its limit): stopping before a call, never after one, keeps every answer (a report run's id
   * above all) in the jobs list that is saved.
   */
  private async call<T extends { usage: AdsUsage }>(work: () => Promise<T>): Promise<T> {
    if (this.waitMs !== undefined) throw new StopRun('more', this.waitMs);
    if (this.calls >= CALLS_PER_RUN) throw new StopRun('more', 0);
    try {
      const answer = await work();
      this.calls += 1;
      if (answer.usage.percent >= SLOW_DOWN_PERCENT) {
        this.waitMs = Math.max(60_000, answer.usage.regainMinutes * 60_000);
      }
      return answer;
    } catch (error) {
      if (error instanceof AdsThrottledError) throw new StopRun('paused', error.waitMs);
      throw error;
    }
  }

  private async store(level: AdsLevel, page: InsightPage) {
    const items = page.rows
      .map((raw) => insightItemOf(raw, level, this.digits))
      .filter((item): item is InsightItem => item !== undefined);
    await writeRows(this.deps.store, this.account.tenantId, this.account.accountId, items);
    this.rows += items.length;
  }

  private async backfill() {
    const { api } = this.deps;
    const { accountId } = this.account;
    const open = this.jobs.filter((job) => job.state !== 'done').slice(0, PARALLEL_RUNS);
    for (const job of open) {
      if (job.state === 'waiting') {
        const started = await this.call(() => api.startReport(this.token, accountId, job));
        job.state = 'running';
        job.reportRunId = started.reportRunId;
        continue;
      }
      const runId = job.reportRunId as string;
      if (!job.after) {
        const status = await this.call(() => api.reportStatus(this.token, accountId, runId));
        if (status.status === 'failed') {
          // Meta gave up on the run: ask again next time.
          job.state = 'waiting';
          delete job.reportRunId;
          continue;
        }
        if (status.status !== 'completed') continue;
      }
      for (;;) {
        const page = await this.call(() => api.reportRows(this.token, accountId, runId, job.after));
        await this.store(job.level, page);
        if (!page.after) break;
        job.after = page.after;
      }
      job.state = 'done';
      delete job.after;
    }
    if (this.jobs.every((job) => job.state === 'done')) this.backfillState = 'done';
  }

  /** The last few days at every level, synchronously (a long gap goes through a report run). */
  private async recent() {
    const { api } = this.deps;
    const { accountId } = this.account;
    const since = addDays(
      this.syncedThrough && this.syncedThrough < this.today ? this.syncedThrough : this.today,
      -(RECENT_DAYS - 1),
    );
    for (const level of AD_LEVELS_SYNCED) {
      const range = { level, since, until: this.today };
      try {
        let after: string | undefined;
        do {
          const page = await this.call(() => api.insights(this.token, accountId, range, after));
          await this.store(level, page);
          after = page.after;
        } while (after);
      } catch (error) {
        if (!(error instanceof AdsTooMuchDataError)) throw error;
        // Too much for one call (a long pause): the gap becomes a report run of the history.
        this.jobs.push({ ...range, state: 'waiting' });
        this.backfillState = 'running';
      }
    }
  }
}
