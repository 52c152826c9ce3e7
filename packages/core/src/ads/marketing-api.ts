import { GraphError, graphErrorFrom } from '../channels/meta/graph-errors.js';
import { reportedGraphError } from '../channels/meta/provider.js';

/**
 * Meta's Marketing API as the ads sync reads it: the person's ad accounts, and insights per
 * level and day, synchronously for a few days or through an asynchronous report run for a long
 * history. Read-only. What goes to Meta is ad-account ids, report ids, field names and dates;
 * this module takes nothing else (no contact, customer or order ever reaches it), and every
 * answer's usage header comes back with it, so the caller paces itself.
 */

export const ADS_API_VERSION = 'v26.0';

export type AdsLevel = 'account' | 'campaign' | 'adset' | 'ad';

/** Meta's figures asked for; the ratios (CTR, CPC, CPM, ROAS) are computed from the exact sums. */
export const INSIGHT_FIELDS = [
  'account_id',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'ad_id',
  'ad_name',
  'spend',
  'impressions',
  'reach',
  'clicks',
  'inline_link_clicks',
  'actions',
  'action_values',
  'date_start',
  'date_stop',
].join(',');

/** How near Meta's business use case limit the account is (the highest of its percentages), and when it eases. */
export interface AdsUsage {
  percent: number;
  /** Minutes Meta says until calls are accepted again (0 when not throttled). */
  regainMinutes: number;
}

/** Meta refused the call for the rate: wait before the next one. */
export class AdsThrottledError extends Error {
  readonly waitMs: number;
  readonly code: number | undefined;

  constructor(code: number | undefined, waitMs: number) {
    super(`Meta throttled the ad account (code ${code ?? 'none'}); waiting ${Math.ceil(waitMs / 1000)} s`);
    this.name = 'AdsThrottledError';
    this.code = code;
    this.waitMs = waitMs;
  }
}

/** The range is too much for one synchronous call: ask for an asynchronous report run. */
export class AdsTooMuchDataError extends Error {
  constructor() {
    super('Meta asked for less data per call');
    this.name = 'AdsTooMuchDataError';
  }
}

/** Meta's throttling codes for ads (app, user, ad account, and the business use case's 80000–80014). */
const THROTTLE_CODES = new Set([4, 17, 32, 613]);
const isThrottle = (code: number | undefined) =>
  code !== undefined && (THROTTLE_CODES.has(code) || (code >= 80_000 && code <= 80_014));

/** Reads `X-Business-Use-Case-Usage` (per business or account) and `X-Ad-Account-Usage`. */
export function usageOf(headers: Headers, accountId?: string): AdsUsage {
  let percent = 0;
  let regainMinutes = 0;
  const buc = parseJson(headers.get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    const entries = Object.entries(buc as Record<string, unknown>);
    const mine = entries.filter(([id]) => !accountId || id === accountId || id === `act_${accountId}`);
    for (const [, list] of mine.length > 0 ? mine : entries) {
      for (const entry of Array.isArray(list) ? list : []) {
        const usage = entry as Record<string, unknown>;
        percent = Math.max(percent, num(usage.call_count), num(usage.total_cputime), num(usage.total_time));
        regainMinutes = Math.max(regainMinutes, num(usage.estimated_time_to_regain_access));
      }
    }
  }
  const account = parseJson(headers.get('x-ad-account-usage')) as Record<string, unknown> | undefined;
  if (account) percent = Math.max(percent, num(account.acc_id_util_pct));
  return { percent, regainMinutes };
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : Number(value) || 0);

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface AdAccountInfo {
  accountId: string;
  name: string;
  currency: string;
  timezone: string;
  /** Meta's account_status: 1 active, 2 disabled, 3 unsettled, … */
  status: number;
}

export interface InsightPage {
  rows: Record<string, unknown>[];
  /** The next page's cursor, when Meta has more. */
  after?: string;
  usage: AdsUsage;
}

export interface ReportStatus {
  status: 'running' | 'completed' | 'failed';
  percent: number;
  usage: AdsUsage;
}

export interface InsightRange {
  level: AdsLevel;
  since: string;
  until: string;
}

export interface MarketingApiOptions {
  /** https://graph.facebook.com (the fake on the local stack). */
  baseUrl: string;
  version?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const ACCOUNT = /^[0-9]{1,20}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = 500;

export function marketingApi(options: MarketingApiOptions) {
  const fetchFn = options.fetch ?? fetch;
  const base = `${options.baseUrl.replace(/\/+$/, '')}/${options.version ?? ADS_API_VERSION}`;
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function call<T>(
    path: string,
    token: string,
    init: { method?: 'GET' | 'POST'; query?: Record<string, string | undefined>; accountId?: string } = {},
  ): Promise<{ body: T; usage: AdsUsage }> {
    const url = new URL(`${base}${path}`);
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(init.query ?? {})) if (value !== undefined) params.set(name, value);
    const post = init.method === 'POST';
    if (!post) for (const [name, value] of params) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(post && { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(post && { body: params.toString() }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new GraphError({ status: 0, title: timedOut ? `no answer in ${timeoutMs} ms` : 'network error' });
    }
    const usage = usageOf(response.headers, init.accountId);
    const body = parseJson(await response.text());
    if (!response.ok || body === undefined || (body as { error?: unknown }).error !== undefined) {
      const error = reportedGraphError(
        graphErrorFrom(response.ok ? 502 : response.status, body, response.headers.get('retry-after')),
      );
      if (isThrottle(error.code)) {
        const waitMs = Math.max(usage.regainMinutes * 60_000, (error.retryAfterSeconds ?? 0) * 1000);
        throw new AdsThrottledError(error.code, waitMs);
      }
      if (error.code === 1 && /reduce the amount of data/i.test(error.title)) throw new AdsTooMuchDataError();
      throw error;
    }
    return { body: body as T, usage };
  }

  const range = (input: InsightRange) => {
    if (!DAY.test(input.since) || !DAY.test(input.until)) throw new Error('Insight ranges are ISO dates');
    return {
      level: input.level,
      fields: INSIGHT_FIELDS,
      time_range: JSON.stringify({ since: input.since, until: input.until }),
      time_increment: '1',
    };
  };
  const account = (accountId: string) => {
    if (!ACCOUNT.test(accountId)) throw new Error('An ad account id is digits');
    return accountId;
  };
  type Paged = { data?: Record<string, unknown>[]; paging?: { cursors?: { after?: string }; next?: string } };
  const page = (answer: { body: Paged; usage: AdsUsage }): InsightPage => {
    const after = answer.body.paging?.next ? answer.body.paging.cursors?.after : undefined;
    return { rows: answer.body.data ?? [], ...(after && { after }), usage: answer.usage };
  };

  return {
    /** The ad accounts the person's token reads (`/me/adaccounts`). */
    async adAccounts(token: string): Promise<AdAccountInfo[]> {
      const accounts: AdAccountInfo[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 20; pages += 1) {
        const answer = await call<Paged>('/me/adaccounts', token, {
          query: { fields: 'id,account_id,name,currency,timezone_name,account_status', limit: '100', after },
        });
        for (const row of answer.body.data ?? []) {
          const accountId = String(row.account_id ?? String(row.id ?? '').replace(/^act_/, ''));
          if (!ACCOUNT.test(accountId)) continue;
          accounts.push({
            accountId,
            name: String(row.name ?? accountId).slice(0, 200),
            currency: String(row.currency ?? 'USD').slice(0, 3),
            timezone: String(row.timezone_name ?? 'UTC').slice(0, 64),
            status: num(row.account_status),
          });
        }
        after = page(answer).after;
        if (!after) break;
      }
      return accounts;
    },

    /** One page of daily insights for a few days (synchronous). */
    async insights(token: string, accountId: string, input: InsightRange, after?: string): Promise<InsightPage> {
      const id = account(accountId);
      return page(
        await call<Paged>(`/act_${id}/insights`, token, {
          query: { ...range(input), limit: String(PAGE), after },
          accountId: id,
        }),
      );
    },

    /** Starts an asynchronous report run for a long range. */
    async startReport(token: string, accountId: string, input: InsightRange) {
      const id = account(accountId);
      const answer = await call<{ report_run_id?: unknown }>(`/act_${id}/insights`, token, {
        method: 'POST',
        query: range(input),
        accountId: id,
      });
      const reportRunId = String(answer.body.report_run_id ?? '');
      if (!/^[0-9]{1,30}$/.test(reportRunId)) throw new GraphError({ status: 502, title: 'no report run id' });
      return { reportRunId, usage: answer.usage };
    },

    async reportStatus(token: string, accountId: string, reportRunId: string): Promise<ReportStatus> {
      const answer = await call<{ async_status?: unknown; async_percent_completion?: unknown }>(
        `/${reportRunId}`,
        token,
        { accountId: account(accountId) },
      );
      const text = String(answer.body.async_status ?? '');
      const status = text === 'Job Completed' ? 'completed' : /Failed|Skipped/.test(text) ? 'failed' : 'running';
      return { status, percent: num(answer.body.async_percent_completion), usage: answer.usage };
    },

    async reportRows(token: string, accountId: string, reportRunId: string, after?: string): Promise<InsightPage> {
      return page(
        await call<Paged>(`/${reportRunId}/insights`, token, {
          query: { limit: String(PAGE), after },
          accountId: account(accountId),
        }),
      );
    },
  };
}

export type MarketingApi = ReturnType<typeof marketingApi>;
