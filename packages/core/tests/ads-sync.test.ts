import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMeta, startFakeMeta } from '../../local/src/fakes/meta.js';
import { type AdAccountsDeps, connectAdAccounts, disconnectAdAccount, listAdAccounts } from '../src/ads/accounts.js';
import { adsInsights } from '../src/ads/insights.js';
import { INSIGHT_FIELDS, marketingApi } from '../src/ads/marketing-api.js';
import { ADS_RECORDS } from '../src/ads/records.js';
import { type AdSyncDeps, type AdSyncOutcome, historyStart, runAdSync } from '../src/ads/sync.js';
import { adsViewDeps } from '../src/ads/view-deps.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { graphClient } from '../src/channels/meta/graph.js';
import { type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { applyCustomer, applyOrder } from '../src/shopify/apply.js';
import { CustomerWebhook, OrderWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The ads sync against the fake Marketing API over HTTP (report runs, usage headers, throttling
 * codes) and the local DynamoDB emulator: an account connected through the ads login has its 18
 * months of history pulled through report runs, every day stored exactly as Meta reports it; the
 * sync pauses for Meta's throttles and its usage header; a conversation started from an ad and
 * the order that customer placed are counted for that ad; and nothing but ids, field names and
 * dates ever goes to Meta.
 */

const APP = { appId: '100000000000777', appSecret: 'ads-sync-app-secret-0123456789' };
const TENANT = 't_ads';
const NUMBER = '100000000000961';
let clock = Date.parse('2026-11-20T09:00:00Z');
let test: TestPlatform;
let meta: FakeMeta;
let connect: AdAccountsDeps;
let sync: AdSyncDeps;
let accountId: string;
const queued: string[] = [];

const records = { ...ADS_RECORDS, ...AUDIT_RECORDS };

async function dev<T = Record<string, unknown>>(path: string, body?: unknown, method = 'POST'): Promise<T> {
  const answer = await fetch(`${meta.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  expect(answer.ok, await answer.clone().text()).toBe(true);
  return (await answer.json()) as T;
}

type Call = {
  method: string;
  path: string;
  status: number;
  query: Record<string, string>;
  body?: Record<string, string>;
};
const calls = async () => (await dev<{ calls: Call[] }>('/dev/meta/ads/calls', undefined, 'GET')).calls;

/** Runs the sync as the worker would, each run when the one before asked to come back. */
async function syncUntilDone(maxRuns = 300): Promise<AdSyncOutcome[]> {
  const outcomes: AdSyncOutcome[] = [];
  for (let run = 0; run < maxRuns; run++) {
    const outcome = await runAdSync(sync, TENANT, accountId);
    outcomes.push(outcome);
    if (outcome.state === 'synced') return outcomes;
    clock = Math.max(clock + 5_000, outcome.nextAt ?? 0);
  }
  throw new Error('the sync did not finish');
}

/** The stored rows of one level (`ad` is a prefix of `adset` in the key: filtered by the attribute). */
const storedRows = async (level: string) =>
  (
    await sync.store.entities.adInsight.query
      .byDay({ tenantId: TENANT })
      .begins({ accountId, level: level as 'ad' })
      .go({ pages: 'all' })
  ).data.filter((row) => row.level === level);

beforeAll(async () => {
  test = await startTestPlatform();
  meta = await startFakeMeta({
    ...APP,
    instagramAppSecret: 'ads-sync-instagram-secret-0123',
    webhookUrl: () => 'http://127.0.0.1:9/unused',
    statusWebhooks: false,
    now: () => clock,
  });
  const { storeOf, keyring } = test.platform;
  await createTenant({ store: test.platform.store, keyring }, TENANT, 'Çiçekçi');
  await connectWhatsAppNumber({ store: test.platform.store, keyring }, TENANT, NUMBER, 'Çiçekçi');
  const store = storeOf(records);
  const api = marketingApi({ baseUrl: meta.url });
  connect = {
    store,
    keyring,
    graph: graphClient({ baseUrl: meta.url, instagramBaseUrl: `${meta.url}/instagram-graph` }),
    ads: api,
    meta: APP,
    queueSync: async (_tenantId, id) => {
      queued.push(id);
    },
    now: () => clock,
  };
  sync = { store, keyring, api, now: () => clock, sleep: async () => {} };
}, 60_000);
afterAll(async () => {
  await meta?.stop();
  await test?.stop();
});

describe('an ad account', () => {
  it('connects through the ads login with a 60-day token, sealed, and queues its first sync', async () => {
    const login = await dev<{ code: string; adAccountIds: string[] }>('/dev/meta/dialog/ads-login/finish', {});
    [accountId] = login.adAccountIds as [string];
    const accounts = await connectAdAccounts(connect, { userId: 'u_owner' }, TENANT, { code: login.code });
    expect(accounts).toMatchObject([
      {
        accountId,
        currency: 'TRY',
        status: 'connected',
        backfill: { state: 'waiting', from: historyStart('2026-11-20'), progress: 0 },
        syncedThrough: null,
      },
    ]);
    const expires = Date.parse(accounts[0]?.tokenExpiresAt ?? '');
    expect(expires - clock).toBeGreaterThan(59 * 86_400_000);
    expect(queued).toEqual([accountId]);
    // The token is kept sealed: the stored item does not hold it.
    const raw = (await test.dumpTable()).find((item) => item.sk === `adaccount#${accountId}`);
    expect(JSON.stringify(raw)).not.toMatch(/EAA/);
    // The code works once.
    await expect(connectAdAccounts(connect, { userId: 'u_owner' }, TENANT, { code: login.code })).rejects.toThrow();
  });

  it('backfills 18 months through asynchronous report runs, every day as Meta reports it', async () => {
    const outcomes = await syncUntilDone();
    const made = await calls();
    // Runs Meta started (a POST refused for the rate is asked again later).
    const runs = made.filter((call) => call.method === 'POST' && call.status === 200);
    // 18 months in chunks of 92 days (6), at four levels.
    expect(runs).toHaveLength(24);
    expect(new Set(runs.map((call) => call.body?.level ?? call.query.level))).toEqual(
      new Set(['account', 'campaign', 'adset', 'ad']),
    );
    // The usage header slowed it down on the way, and it went on after each wait.
    expect(outcomes.some((outcome) => outcome.state === 'more')).toBe(true);
    const [view] = await listAdAccounts(sync.store, TENANT, clock);
    expect(view).toMatchObject({
      backfill: { state: 'done', progress: 1 },
      syncedThrough: '2026-11-20',
      lastError: null,
    });

    // Every day of the history matches Meta's own daily answer for the account, to the kuruş.
    const stored = await storedRows('account');
    const ours = new Map(stored.map((row) => [row.day, row]));
    const from = historyStart('2026-11-20');
    expect(stored.length).toBeGreaterThan(500);
    expect([...ours.keys()].sort()[0]).toBe(from);
    const ads = await storedRows('ad');
    for (const [day, account] of ours) {
      const sum = ads.filter((ad) => ad.day === day).reduce((total, ad) => total + ad.spendMinor, 0);
      expect(sum, day).toBe(account.spendMinor);
    }
  });

  it('reads the same figures Meta answers synchronously for a week', async () => {
    const api = marketingApi({ baseUrl: meta.url });
    const keys = await test.platform.keyring.forTenant(TENANT);
    const item = (await sync.store.entities.adAccount.get({ tenantId: TENANT, accountId }).go()).data;
    const token = keys.open('adAccount', 'token', accountId, item?.token as string);
    const page = await api.insights(token, accountId, { level: 'campaign', since: '2026-10-01', until: '2026-10-07' });
    const answer = await adsInsights(adsViewDeps(test.platform), TENANT, {
      accountId,
      level: 'campaign',
      from: '2026-10-01',
      to: '2026-10-07',
    });
    const metaSpend = page.rows.reduce((total, row) => total + Math.round(Number(row.spend) * 100), 0);
    expect(answer.totals.spend).toBe((metaSpend / 100).toFixed(2));
    expect(answer.days).toHaveLength(7);
    expect(answer.rows).toHaveLength(3);
    // Ratios from the exact sums: CTR is clicks over impressions.
    const total = answer.totals;
    expect(Number(total.ctr)).toBeCloseTo((total.clicks / total.impressions) * 100, 2);
    expect(answer.series.length).toBeGreaterThan(0);
  });

  it('pauses for the time Meta names when it throttles, calls nothing meanwhile, then goes on', async () => {
    clock += 3_600_000;
    await dev('/dev/meta/ads/throttle', { accountId, calls: 1, code: 80000, regainMinutes: 3 });
    const before = (await calls()).length;
    const throttled = await runAdSync(sync, TENANT, accountId);
    expect(throttled.state).toBe('paused');
    expect((throttled.nextAt as number) - clock).toBeGreaterThanOrEqual(3 * 60_000);
    const [view] = await listAdAccounts(sync.store, TENANT, clock);
    expect(view?.pausedUntil).toBe(new Date(throttled.nextAt as number).toISOString());

    clock += 60_000;
    expect(await runAdSync(sync, TENANT, accountId)).toMatchObject({ state: 'paused', calls: 0 });
    expect((await calls()).length).toBe(before + 1);

    clock = throttled.nextAt as number;
    expect(await runAdSync(sync, TENANT, accountId)).toMatchObject({ state: 'synced' });
  });

  it('backs off a throttle without a named wait, and stops near the usage limit', async () => {
    clock += 3_600_000;
    await dev('/dev/meta/ads/throttle', { accountId, calls: 1, code: 17 });
    const first = await runAdSync(sync, TENANT, accountId);
    expect(first.state).toBe('paused');
    expect((first.nextAt as number) - clock).toBeGreaterThanOrEqual(60_000);
    clock = first.nextAt as number;
    expect((await runAdSync(sync, TENANT, accountId)).state).toBe('synced');

    // At 80% of the business use case limit: one call, then the run stops and waits a minute.
    clock += 3_600_000;
    await dev('/dev/meta/ads/usage', { accountId, percent: 80 });
    const slowed = await runAdSync(sync, TENANT, accountId);
    expect(slowed).toMatchObject({ state: 'more', calls: 1 });
    expect((slowed.nextAt as number) - clock).toBeGreaterThanOrEqual(60_000);
  });

  it('asks to reconnect when Meta no longer accepts the token, keeping the figures', async () => {
    clock += 3_600_000;
    const keys = await test.platform.keyring.forTenant(TENANT);
    const key = { tenantId: TENANT, accountId };
    await sync.store.entities.adAccount
      .patch(key)
      .set({ token: keys.seal('adAccount', 'token', accountId, 'EAAwithdrawn'), pausedUntil: 0 })
      .go();
    expect((await runAdSync(sync, TENANT, accountId)).state).toBe('reconnect');
    const [view] = await listAdAccounts(sync.store, TENANT, clock);
    expect(view).toMatchObject({ status: 'reconnect', lastError: expect.stringContaining('reconnect') });
    expect((await storedRows('account')).length).toBeGreaterThan(500);
    // Disconnecting drops the token; the history stays.
    const gone = await disconnectAdAccount(connect, { userId: 'u_owner' }, TENANT, accountId);
    expect(gone.status).toBe('disconnected');
    expect((await sync.store.entities.adAccount.get(key).go()).data?.token).toBeUndefined();
    expect((await storedRows('account')).length).toBeGreaterThan(500);
  });
});

describe('what an ad brought', () => {
  it('counts the conversation a click-to-WhatsApp ad started, and the order that customer placed, for that ad', async () => {
    const ads = await storedRows('ad');
    const ad = ads.find((row) => row.day === '2026-10-03') as (typeof ads)[number];
    const other = ads.find((row) => row.day === '2026-10-03' && row.campaignId !== ad.campaignId);
    const keys = await test.platform.keyring.forTenant(TENANT);
    const startedAt = Date.parse('2026-10-03T10:00:00+03:00');
    const message: InboundMessage = {
      tenantId: TENANT,
      channel: { kind: 'whatsapp', externalId: NUMBER },
      sender: { externalId: '905551234567', phone: '+905551234567', name: 'Ayşe Yılmaz' },
      providerMessageId: 'wamid.ads-sync-1',
      sentAt: startedAt,
      receivedAt: startedAt + 1000,
      position: 0,
      type: 'text',
      text: 'Merhaba, reklamdaki buket var mı?',
      details: { referral: { source_type: 'ad', source_id: ad.entityId, source_url: 'https://fb.me/x' } },
    };
    await recordInbound({ store: test.platform.store, keys }, message);
    // The same customer in the Shopify copy, and their order two days later.
    const applyDeps = {
      store: test.platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }),
      keyring: test.platform.keyring,
    };
    const stamp = '2026-10-05T12:00:00+03:00';
    await applyCustomer(
      applyDeps as never,
      TENANT,
      CustomerWebhook.parse({
        id: 7_100_000_001,
        admin_graphql_api_id: 'gid://shopify/Customer/7100000001',
        phone: '+905551234567',
        first_name: 'Ayşe',
        created_at: stamp,
        updated_at: stamp,
      }),
    );
    await applyOrder(
      applyDeps as never,
      TENANT,
      OrderWebhook.parse({
        id: 7_200_000_001,
        admin_graphql_api_id: 'gid://shopify/Order/7200000001',
        name: '#1001',
        currency: 'TRY',
        financial_status: 'paid',
        created_at: stamp,
        updated_at: stamp,
        line_items: [],
        total_price: '849.90',
        customer: { id: 7_100_000_001, admin_graphql_api_id: 'gid://shopify/Customer/7100000001' },
      }),
    );
    const range = { accountId, from: '2026-10-01', to: '2026-10-07' };
    const byAd = await adsInsights(adsViewDeps(test.platform), TENANT, { ...range, level: 'ad' });
    const row = byAd.rows.find((candidate) => candidate.id === ad.entityId);
    expect(row).toMatchObject({ conversations: 1, orders: 1, revenue: '849.90' });
    expect(byAd.rows.filter((candidate) => candidate.id !== ad.entityId).every((r) => r.conversations === 0)).toBe(
      true,
    );
    expect(byAd.days.find((day) => day.day === '2026-10-03')).toMatchObject({ conversations: 1 });
    // Rolled up to the ad's campaign, and to no other.
    const byCampaign = await adsInsights(adsViewDeps(test.platform), TENANT, { ...range, level: 'campaign' });
    expect(byCampaign.rows.find((candidate) => candidate.id === ad.campaignId)).toMatchObject({
      conversations: 1,
      revenue: '849.90',
    });
    if (other) {
      expect(byCampaign.rows.find((candidate) => candidate.id === other.campaignId)).toMatchObject({
        conversations: 0,
      });
    }
  });
});

describe('what goes to Meta', () => {
  it('is ids, field names and dates: no contact, customer or order ever', async () => {
    const made = await calls();
    expect(made.length).toBeGreaterThan(50);
    const allowed = new Set(['level', 'fields', 'time_range', 'time_increment', 'limit', 'after']);
    for (const call of made) {
      expect(call.path).toMatch(/^\/v26\.0\/(me\/adaccounts|act_\d+\/insights|\d+|\d+\/insights)$/);
      const params = { ...call.query, ...(call.body ?? {}) };
      for (const [name, value] of Object.entries(params)) {
        if (call.path.endsWith('/me/adaccounts')) continue;
        expect(allowed.has(name), name).toBe(true);
        if (name === 'fields') expect(value).toBe(INSIGHT_FIELDS);
        if (name === 'time_range')
          expect(value).toMatch(/^\{"since":"\d{4}-\d{2}-\d{2}","until":"\d{4}-\d{2}-\d{2}"\}$/);
      }
      expect(JSON.stringify(call)).not.toMatch(/905551234567|Ayşe|849\.90|@/);
    }
  });

  it('is called from modules that read no customer data', () => {
    // The modules that talk to Meta for ads import nothing from the inbox, the store or privacy.
    for (const file of ['marketing-api.ts', 'sync.ts', 'accounts.ts']) {
      const source = readFileSync(new URL(`../src/ads/${file}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((match) => match[1]);
      for (const from of imports)
        expect(from, `${file} imports ${from}`).not.toMatch(/inbox|shopify|privacy|campaigns|contacts/);
    }
  });
});
