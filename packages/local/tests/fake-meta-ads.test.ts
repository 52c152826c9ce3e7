import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMeta, startFakeMeta } from '../src/fakes/meta.js';
import { FAKE_META_DEMO, FAKE_META_DEMO_AD_IDS } from '../src/fakes/meta-state.js';

/**
 * The fake Marketing API over its HTTP shapes: the ads login's code and tokens, the token's ad
 * accounts, daily insights whose ad rows sum exactly to the account's, the too-much-data
 * refusal, an async report polled and paged, the business use case usage header and its 80000
 * refusal that eases as the clock moves, scripted throttles, and permission checks.
 */

const APP = { appId: '100000000000900', appSecret: 'test-app-secret-0123456789' };
const V = 'v26.0';
const DEMO_ACCOUNT = FAKE_META_DEMO.adAccountId;
/** The fake's clock: fixed, so the demo's history and "yesterday" are the same on every run. */
let clock = Date.parse('2025-06-15T09:00:00Z');
let fake: FakeMeta;

beforeAll(async () => {
  fake = await startFakeMeta({
    ...APP,
    instagramAppSecret: 'test-instagram-secret-0123456789',
    webhookUrl: () => 'http://127.0.0.1:9/unused',
    now: () => clock,
  });
});
afterAll(async () => {
  await fake?.stop();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { data?: Record<string, unknown>[]; error?: Record<string, unknown> };
  usage: Record<string, Record<string, unknown>[]> | undefined;
}

async function graph(path: string, token: string, init: { method?: string; form?: Record<string, string> } = {}) {
  const answer = await fetch(`${fake.url}/${V}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  const header = answer.headers.get('x-business-use-case-usage');
  return {
    status: answer.status,
    body: (await answer.json()) as Answer['body'],
    usage: header ? (JSON.parse(header) as Answer['usage']) : undefined,
  } satisfies Answer;
}

async function dev(path: string, body: unknown) {
  const answer = await fetch(`${fake.url}/dev/meta${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.ok).toBe(true);
  return (await answer.json()) as Record<string, unknown>;
}

const query = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

const FIELDS =
  'account_id,account_currency,campaign_id,adset_id,ad_id,ad_name,spend,impressions,reach,clicks,inline_link_clicks,ctr,cpc,cpm,frequency,actions,action_values,purchase_roas';

/** Every row of a sync insights call, following `paging.next` cursors. */
async function allRows(accountId: string, params: Record<string, string>, token: string = FAKE_META_DEMO.adsToken) {
  const rows: Record<string, unknown>[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const answer = await graph(`/act_${accountId}/insights${query({ ...params, ...(after ? { after } : {}) })}`, token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    rows.push(...(answer.body.data ?? []));
    const paging = answer.body.paging as { next?: string; cursors: { after: string } };
    if (!paging.next) break;
    after = paging.cursors.after;
  }
  return rows;
}

const kurus = (value: unknown) => Math.round(Number(value) * 100);
const action = (row: Record<string, unknown>, key: string, type: string) =>
  Number(
    (row[key] as { action_type: string; value: string }[] | undefined)?.find((a) => a.action_type === type)?.value ?? 0,
  );

describe('ads login and ad accounts', () => {
  it('exchanges the ads login’s code for a short token, then a 60-day one that lists the ad account', async () => {
    const finished = (await dev('/dialog/ads-login/finish', {})) as {
      code: string;
      adAccountIds: string[];
      messages: unknown[];
    };
    expect(finished.messages).toEqual([{ type: 'ASISTONE_FAKE_LOGIN', provider: 'ads', code: finished.code }]);
    const exchange = (params: Record<string, string>) =>
      fetch(
        `${fake.url}/${V}/oauth/access_token${query({ client_id: APP.appId, client_secret: APP.appSecret, ...params })}`,
      );
    const short = (await (await exchange({ code: finished.code, redirect_uri: 'https://app.test/cb' })).json()) as {
      access_token: string;
      expires_in: number;
    };
    expect(short.expires_in).toBe(3600);
    const long = (await (
      await exchange({ grant_type: 'fb_exchange_token', fb_exchange_token: short.access_token })
    ).json()) as { access_token: string; expires_in: number };
    expect(long.expires_in).toBe(60 * 24 * 3600);

    const accounts = await graph(
      `/me/adaccounts${query({ fields: 'id,account_id,name,currency,timezone_name,account_status', limit: '100' })}`,
      long.access_token,
    );
    expect(accounts.status).toBe(200);
    const [accountId] = finished.adAccountIds;
    expect(accounts.body.data).toEqual([
      {
        id: `act_${accountId}`,
        account_id: accountId,
        name: expect.any(String),
        currency: 'TRY',
        timezone_name: 'Europe/Istanbul',
        account_status: 1,
      },
    ]);
    expect(Object.keys(accounts.usage ?? {})).toEqual([accountId]);
    // The long-lived token reads the new account's insights too.
    const rows = await allRows(
      accountId as string,
      {
        time_range: JSON.stringify({ since: '2025-06-10', until: '2025-06-14' }),
        time_increment: '1',
        fields: 'spend',
      },
      long.access_token,
    );
    expect(rows.map((row) => row.date_start)).toEqual([
      '2025-06-10',
      '2025-06-11',
      '2025-06-12',
      '2025-06-13',
      '2025-06-14',
    ]);
  });

  it('refuses a token without ads_read, and one for another account', async () => {
    const noScope = await graph('/me/adaccounts', FAKE_META_DEMO.pageToken);
    expect(noScope.status).toBe(403);
    expect(noScope.body.error).toMatchObject({ code: 200, message: '(#200) Requires ads_read permission' });
    const whatsapp = await graph(`/act_${DEMO_ACCOUNT}/insights`, FAKE_META_DEMO.whatsappToken);
    expect(whatsapp.status).toBe(403);
    expect(whatsapp.body.error).toMatchObject({ code: 200 });
    expect(whatsapp.usage?.[DEMO_ACCOUNT]?.[0]).toMatchObject({ type: 'ads_insights' });
    const other = (await dev('/ads/accounts', { months: 1 })) as { accessToken: string };
    const elsewhere = await graph(`/act_${DEMO_ACCOUNT}/insights`, other.accessToken);
    expect(elsewhere.status).toBe(403);
    const unknown = await graph('/act_999999999999999/insights', FAKE_META_DEMO.adsToken);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect(String(unknown.body.error?.message)).toMatch(/^Unsupported get request/);
  });
});

describe('insights', () => {
  const week = { time_range: JSON.stringify({ since: '2025-06-01', until: '2025-06-07' }), time_increment: '1' };

  it('answers daily ad rows, as strings, that sum exactly to the account’s row for each day', async () => {
    const ads = await allRows(DEMO_ACCOUNT, { ...week, level: 'ad', fields: FIELDS, limit: '20' });
    const account = await allRows(DEMO_ACCOUNT, { ...week, level: 'account', fields: FIELDS });
    expect(account.map((row) => row.date_start)).toEqual([
      '2025-06-01',
      '2025-06-02',
      '2025-06-03',
      '2025-06-04',
      '2025-06-05',
      '2025-06-06',
      '2025-06-07',
    ]);
    expect(ads.length).toBeGreaterThan(60);
    // Sorted by date, then ad id.
    const keys = ads.map((row) => `${row.date_start}|${row.ad_id}`);
    expect(keys).toEqual([...keys].sort());
    for (const row of ads) {
      expect(row.date_stop).toBe(row.date_start);
      expect(FAKE_META_DEMO_AD_IDS).toContain(row.ad_id);
      expect(row).toMatchObject({ account_id: DEMO_ACCOUNT, account_currency: 'TRY' });
      expect(row.spend).toMatch(/^\d+\.\d{2}$/);
      expect(row.impressions).toMatch(/^\d+$/);
      expect(Number(row.reach)).toBeLessThanOrEqual(Number(row.impressions));
    }
    for (const day of account) {
      const same = ads.filter((row) => row.date_start === day.date_start);
      const sum = (pick: (row: Record<string, unknown>) => number) => same.reduce((total, row) => total + pick(row), 0);
      for (const field of ['impressions', 'reach', 'clicks', 'inline_link_clicks']) {
        expect(
          sum((row) => Number(row[field])),
          field,
        ).toBe(Number(day[field]));
      }
      expect(sum((row) => kurus(row.spend))).toBe(kurus(day.spend));
      expect(sum((row) => action(row, 'actions', 'purchase'))).toBe(action(day, 'actions', 'purchase'));
      expect(sum((row) => kurus(action(row, 'action_values', 'purchase')))).toBe(
        kurus(action(day, 'action_values', 'purchase')),
      );
      // Ratios are the row's own sums divided.
      expect(Number(day.ctr)).toBeCloseTo((Number(day.clicks) / Number(day.impressions)) * 100, 5);
      expect(Number(day.cpm)).toBeCloseTo((Number(day.spend) / Number(day.impressions)) * 1000, 5);
      expect(day).not.toHaveProperty('ad_id');
    }
  });

  it('returns only the fields asked for, plus the dates', async () => {
    const [row] = await allRows(DEMO_ACCOUNT, { ...week, level: 'campaign', fields: 'campaign_id,spend' });
    expect(Object.keys(row ?? {}).sort()).toEqual(['campaign_id', 'date_start', 'date_stop', 'spend']);
  });

  it('asks for less data when days × ads pass 5,000 rows, and refuses other time increments', async () => {
    const big = await graph(
      `/act_${DEMO_ACCOUNT}/insights${query({
        level: 'ad',
        time_range: JSON.stringify({ since: '2024-01-01', until: '2025-06-01' }),
        time_increment: '1',
      })}`,
      FAKE_META_DEMO.adsToken,
    );
    expect(big.status).toBe(400);
    expect(big.body.error).toMatchObject({
      message: "Please reduce the amount of data you're asking for, then retry your request",
      type: 'OAuthException',
      code: 1,
      error_subcode: 99,
      fbtrace_id: expect.any(String),
    });
    const weekly = await graph(
      `/act_${DEMO_ACCOUNT}/insights${query({ ...week, time_increment: '7' })}`,
      FAKE_META_DEMO.adsToken,
    );
    expect(weekly.status).toBe(400);
    expect(weekly.body.error).toMatchObject({ code: 100 });
  });

  it('runs an async report to completion in a few polls, whose pages equal the sync answer', async () => {
    const params = {
      level: 'ad',
      fields: FIELDS,
      time_range: JSON.stringify({ since: '2025-06-01', until: '2025-06-03' }),
      time_increment: '1',
    };
    const started = await graph(`/act_${DEMO_ACCOUNT}/insights`, FAKE_META_DEMO.adsToken, {
      method: 'POST',
      form: params,
    });
    expect(started.status).toBe(200);
    const runId = String(started.body.report_run_id);
    expect(runId).toMatch(/^\d{15}$/);
    const early = await graph(`/${runId}/insights`, FAKE_META_DEMO.adsToken);
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ code: 100, message: 'Report not ready' });

    const statuses: string[] = [];
    for (let polls = 0; polls < 10 && statuses.at(-1) !== 'Job Completed'; polls++) {
      const status = await graph(`/${runId}`, FAKE_META_DEMO.adsToken);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ id: runId, account_id: DEMO_ACCOUNT, date_start: '2025-06-01' });
      statuses.push(`${status.body.async_status}`);
    }
    expect(statuses).toEqual(['Job Not Started', 'Job Started', 'Job Running', 'Job Completed']);

    const rows: Record<string, unknown>[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await graph(
        `/${runId}/insights${query({ limit: '10', ...(after ? { after } : {}) })}`,
        FAKE_META_DEMO.adsToken,
      );
      expect(page.status).toBe(200);
      rows.push(...(page.body.data ?? []));
      const paging = page.body.paging as { next?: string; cursors: { after: string } };
      if (!paging.next) break;
      after = paging.cursors.after;
    }
    expect(rows).toEqual(await allRows(DEMO_ACCOUNT, params));
  });

  it('fails a report run on request', async () => {
    const started = await graph(`/act_${DEMO_ACCOUNT}/insights`, FAKE_META_DEMO.adsToken, {
      method: 'POST',
      form: { level: 'account', time_range: JSON.stringify({ since: '2024-01-01', until: '2025-06-01' }) },
    });
    const runId = String(started.body.report_run_id);
    await dev('/ads/report-fail', { reportRunId: runId });
    const status = await graph(`/${runId}`, FAKE_META_DEMO.adsToken);
    expect(status.body.async_status).toBe('Job Failed');
    expect((await graph(`/${runId}/insights`, FAKE_META_DEMO.adsToken)).status).toBe(400);
  });
});

describe('rate limits', () => {
  const newAccount = async () =>
    (await dev('/ads/accounts', { months: 2, campaigns: 1, adsetsPerCampaign: 1, adsPerAdset: 1 })) as {
      account: { accountId: string };
      accessToken: string;
    };
  const insights = (accountId: string, token: string) =>
    graph(
      `/act_${accountId}/insights${query({ time_range: JSON.stringify({ since: '2025-06-01', until: '2025-06-02' }) })}`,
      token,
    );

  it('reports rising usage, refuses with 80000 past 100%, and serves again once the usage decays', async () => {
    const { account, accessToken } = await newAccount();
    const first = await insights(account.accountId, accessToken);
    const second = await insights(account.accountId, accessToken);
    const entry = (answer: Answer) => answer.usage?.[account.accountId]?.[0] as Record<string, number>;
    expect(entry(first)).toMatchObject({
      type: 'ads_insights',
      call_count: 1,
      estimated_time_to_regain_access: 0,
      ads_api_access_tier: 'standard_access',
    });
    expect(entry(second).call_count).toBe(2);

    await dev('/ads/usage', { accountId: account.accountId, percent: 99.5 });
    const refused = await insights(account.accountId, accessToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      message: '(#80000) There have been too many calls from this ad-account. Wait a bit and try again.',
      type: 'OAuthException',
      code: 80000,
      error_subcode: 2446079,
    });
    expect(entry(refused).estimated_time_to_regain_access).toBeGreaterThanOrEqual(1);

    clock += 60_000; // 300 s decay: a minute takes 20 points off
    const again = await insights(account.accountId, accessToken);
    expect(again.status).toBe(200);
    expect(entry(again).call_count).toBe(81);
  });

  it('fails the next calls with a scripted throttle code, then recovers', async () => {
    const { account, accessToken } = await newAccount();
    await dev('/ads/throttle', { accountId: `act_${account.accountId}`, calls: 1, code: 17 });
    const throttled = await insights(account.accountId, accessToken);
    expect(throttled.status).toBe(400);
    expect(throttled.body.error).toMatchObject({
      code: 17,
      error_subcode: 2446079,
      message: '(#17) User request limit reached',
    });
    expect(throttled.usage?.[account.accountId]?.[0]?.estimated_time_to_regain_access).toBe(1);
    expect((await insights(account.accountId, accessToken)).status).toBe(200);
  });

  it('logs every ads call with its parameters, never the token', async () => {
    await fetch(`${fake.url}/${V}/act_${DEMO_ACCOUNT}/insights?access_token=${FAKE_META_DEMO.adsToken}&level=account`);
    const { calls } = (await (await fetch(`${fake.url}/dev/meta/ads/calls`)).json()) as {
      calls: { method: string; path: string; query: Record<string, string>; status: number }[];
    };
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.at(-1)).toMatchObject({
      method: 'GET',
      path: `/${V}/act_${DEMO_ACCOUNT}/insights`,
      query: { level: 'account' },
    });
    expect(JSON.stringify(calls)).not.toContain(FAKE_META_DEMO.adsToken);
  });
});
