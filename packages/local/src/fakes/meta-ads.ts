import { type Context, Hono } from 'hono';
import { daysBetween } from './meta-ads-days.js';
import { entityCount, insightRows } from './meta-ads-insights.js';
import { insightQuery } from './meta-ads-query.js';
import { ADS_CALL_COST, adsCall } from './meta-ads-usage.js';
import { paged } from './meta-graph.js';
import { authorize, fail, tokenOf } from './meta-http.js';
import type { FakeContext } from './meta-send.js';
import { type FakeReportRun, type FakeToken, newId } from './meta-state.js';

/**
 * graph.facebook.com/{version}, Marketing API (read-only reporting): the token's ad accounts,
 * insights by level and day (synchronous, refused when too big), and asynchronous report runs
 * polled to completion and paged. Mounted before the Graph routes: `/{report_run_id}` would
 * otherwise be read as a phone number or Page.
 */

/** More rows than this in one synchronous call and Meta asks for an async report. */
const SYNC_ROW_LIMIT = 5000;
const INSIGHTS_PAGE_MAX = 500;

const ACCOUNT_FIELDS = ['id', 'account_id', 'name', 'currency', 'timezone_name', 'account_status'];

const unsupported = (method: string, id: string): never =>
  fail(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    33,
  );

function requireAdsRead(token: FakeToken, accountId?: string): void {
  if (!token.scopes.includes('ads_read') && !token.scopes.includes('ads_management')) {
    fail(403, 200, '(#200) Requires ads_read permission');
  }
  if (accountId !== undefined && !token.targets.has(accountId)) {
    fail(403, 200, '(#200) Ad account owner has NOT grant ads_management or ads_read permission');
  }
}

/** A POST's parameters, from a form or JSON body (the query string's come along too). */
async function postParams(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  const body = type.includes('application/json')
    ? ((await c.req.json().catch(() => ({}))) as Record<string, unknown>)
    : type.includes('form')
      ? await c.req.parseBody()
      : {};
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number') params[name] = String(value);
    else if (value && typeof value === 'object' && !(value instanceof Blob)) params[name] = JSON.stringify(value);
  }
  return params;
}

/** A report run's status after one more poll: ~34% a poll, so it completes on the fourth. */
function advance(run: FakeReportRun, nowMs: number) {
  if (!run.failed) run.polls += 1;
  const percent = Math.min(100, 34 * Math.max(0, run.polls - 1));
  if (percent === 100 && run.completedAtMs === undefined) run.completedAtMs = nowMs;
  const status = run.failed
    ? 'Job Failed'
    : percent === 100
      ? 'Job Completed'
      : run.polls <= 1
        ? 'Job Not Started'
        : run.polls === 2
          ? 'Job Started'
          : 'Job Running';
  return { status, percent };
}

export function adsGraphRoutes(ctx: FakeContext) {
  const { state } = ctx;
  const app = new Hono();
  // A finished report's rows do not change: computed on its first page, not on every page.
  const reportRows = new WeakMap<FakeReportRun, Record<string, unknown>[]>();

  /** Token valid, account known, token reads it: in Meta's order (190, then 100/33, then 200). */
  const access = (c: Context, accountId: string) => () => {
    const token = authorize(state, c);
    if (!state.adAccounts.has(accountId)) unsupported(c.req.method, `act_${accountId}`);
    requireAdsRead(token, accountId);
  };

  app.get('/me/adaccounts', (c) => {
    const peek = state.tokens.get(tokenOf(c) ?? '');
    const accountIds = [...(peek?.targets ?? [])].filter((id) => state.adAccounts.has(id));
    return adsCall(
      state,
      c,
      {
        ...(accountIds[0] ? { accountId: accountIds[0] } : {}),
        cost: ADS_CALL_COST.accounts,
        check: () => requireAdsRead(authorize(state, c)),
      },
      () => {
        const fields = (c.req.query('fields') ?? 'id,account_id').split(',').map((field) => field.trim());
        const unknown = fields.find((field) => !ACCOUNT_FIELDS.includes(field));
        if (unknown) fail(400, 100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (AdAccount)`);
        const rows = accountIds.flatMap((id) => {
          const account = state.adAccounts.get(id);
          if (!account) return [];
          const all: Record<string, unknown> = {
            account_id: account.accountId,
            name: account.name,
            currency: account.currency,
            timezone_name: account.timezoneName,
            account_status: account.accountStatus,
          };
          return [
            { id: account.id, ...Object.fromEntries(Object.entries(all).filter(([name]) => fields.includes(name))) },
          ];
        });
        return c.json(paged(c, rows));
      },
    );
  });

  app.get('/:id/insights', (c) => {
    const id = c.req.param('id');
    if (id.startsWith('act_')) {
      const accountId = id.slice(4);
      return adsCall(state, c, { accountId, cost: ADS_CALL_COST.insights, check: access(c, accountId) }, () => {
        const account = state.adAccounts.get(accountId) ?? unsupported('GET', id);
        const query = insightQuery(c.req.query(), state.now());
        if (daysBetween(query.since, query.until) * entityCount(account, query.level) > SYNC_ROW_LIMIT) {
          fail(400, 1, "Please reduce the amount of data you're asking for, then retry your request", 99);
        }
        return c.json(paged(c, insightRows(account, query, state.now()), INSIGHTS_PAGE_MAX));
      });
    }
    const run = state.ads.reports.get(id);
    if (!run) {
      return adsCall(state, c, { cost: 0, check: () => authorize(state, c) }, () => unsupported('GET', id));
    }
    return adsCall(
      state,
      c,
      { accountId: run.accountId, cost: ADS_CALL_COST.page, check: access(c, run.accountId) },
      () => {
        const account = state.adAccounts.get(run.accountId) ?? unsupported('GET', id);
        if (run.failed || run.completedAtMs === undefined) fail(400, 100, 'Report not ready');
        // Rows as of the run's start: a report does not change when a new day begins.
        const rows = reportRows.get(run) ?? insightRows(account, run, run.createdAtMs);
        reportRows.set(run, rows);
        return c.json(paged(c, rows, INSIGHTS_PAGE_MAX));
      },
    );
  });

  app.post('/:id/insights', async (c, next) => {
    const id = c.req.param('id');
    if (!id.startsWith('act_')) return next();
    const accountId = id.slice(4);
    const body = await postParams(c);
    return adsCall(state, c, { accountId, cost: ADS_CALL_COST.report, body, check: access(c, accountId) }, () => {
      const query = insightQuery({ ...c.req.query(), ...body }, state.now());
      let runId = newId();
      while (state.ads.reports.has(runId)) runId = newId();
      state.ads.reports.set(runId, {
        id: runId,
        accountId,
        ...query,
        createdAtMs: state.now(),
        polls: 0,
        failed: false,
      });
      return c.json({ report_run_id: runId });
    });
  });

  app.get('/:id', (c, next) => {
    const run = state.ads.reports.get(c.req.param('id'));
    if (!run) return next();
    return adsCall(
      state,
      c,
      { accountId: run.accountId, cost: ADS_CALL_COST.poll, check: access(c, run.accountId) },
      () => {
        const { status, percent } = advance(run, state.now());
        return c.json({
          id: run.id,
          account_id: run.accountId,
          time_ref: Math.floor(run.createdAtMs / 1000),
          ...(run.completedAtMs !== undefined ? { time_completed: Math.floor(run.completedAtMs / 1000) } : {}),
          async_status: status,
          async_percent_completion: percent,
          date_start: run.since,
          date_stop: run.until,
        });
      },
    );
  });

  return app;
}
