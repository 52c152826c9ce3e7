import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADS_RECORDS } from '../../packages/core/src/ads/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { DEMO_OWNER } from '../../packages/local/src/demo-owner.js';
import { FAKE_META_DEMO } from '../../packages/local/src/fakes/meta-state.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  mailsTo,
  newMember,
  newOwner,
  type SignedInPerson,
} from './accounts-client.js';
import { fakeMetaClient } from './fake-meta-client.js';

/**
 * Meta ads on a real `npm start`: the owner connects the fake Meta's ad account with the ads
 * login's code; the `ads-sync` worker pulls its history through report runs on the local queue
 * until the account says done; the figures, their CSV and the recommendations (through the
 * `ads-recommendations` worker and the fake OpenAI) are read by role; another business finds
 * nothing; ids and dates of the wrong shape are refused. The demo business comes connected.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let other: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;
let accountId: string;

const ads = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}/ads/${rest}`;
type Accounts = { accounts: { accountId: string; status: string; backfill: { state: string; progress: number } }[] };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Reklamci');
  other = await newOwner(api, 'Baskasi');
  agent = await newMember(api, owner, 'agent', 'reklam-agent');
  analyst = await newMember(api, owner, 'analyst', 'reklam-analyst');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const today = new Date().toISOString().slice(0, 10);
const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

describe('Meta ads over the API', () => {
  it('connects the ad accounts a sign-in reads, for owners and admins only', async () => {
    const setup = await api.call('GET', ads('setup'), { token: owner.accessToken });
    expect(setup.body).toMatchObject({ localDialog: '/dev/meta/dialog/ads-login' });
    expect((await api.call('GET', ads('setup'), { token: analyst.accessToken })).status).toBe(403);

    const { code, adAccountIds } = await fakeMetaClient(stack.url).dev<{ code: string; adAccountIds: string[] }>(
      'POST',
      '/dialog/ads-login/finish',
      {},
    );
    [accountId] = adAccountIds as [string];
    expect((await api.call('POST', ads('connect'), { token: agent.accessToken, body: { code } })).status).toBe(403);
    expect((await api.call('POST', ads('connect'), { token: analyst.accessToken, body: { code } })).status).toBe(403);
    const connected = await api.call<Accounts>('POST', ads('connect'), { token: owner.accessToken, body: { code } });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    expect(connected.body.accounts).toMatchObject([{ accountId, status: 'connected' }]);
    // The code worked once: a replay is refused and connects nothing new.
    const replay = await api.call('POST', ads('connect'), { token: owner.accessToken, body: { code } });
    expect(replay.status).toBe(400);
  });

  it('pulls the history through report runs until the account says done', async () => {
    const done = await eventually(async () => {
      const { body } = await api.call<Accounts>('GET', ads('accounts'), { token: analyst.accessToken });
      return body.accounts[0]?.backfill.state === 'done' ? body.accounts[0] : undefined;
    }, 120_000);
    expect(done.backfill.progress).toBe(1);
  }, 150_000);

  it('reads the figures per campaign and day, and exports them as CSV, for analysts too', async () => {
    const query = `?accountId=${accountId}&level=campaign&from=${monthAgo}&to=${today}`;
    const figures = await api.call<{ rows: { name: string; spend: string }[]; days: unknown[]; currency: string }>(
      'GET',
      `${ads('insights')}${query}`,
      { token: analyst.accessToken },
    );
    expect(figures.status, JSON.stringify(figures.body)).toBe(200);
    expect(figures.body.currency).toBe('TRY');
    expect(figures.body.rows).toHaveLength(3);
    expect(figures.body.rows[0]?.spend).toMatch(/^\d+\.\d{2}$/);
    expect(figures.body.days.length).toBeGreaterThan(25);

    const csv = await fetch(`${stack.url}/api${ads('insights.csv')}${query}`, {
      headers: { authorization: `Bearer ${analyst.accessToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^level,id,name,parent,currency,spend,/);
    expect(lines).toHaveLength(4);

    // Agents answer customers; ad figures are not theirs.
    expect((await api.call('GET', `${ads('insights')}${query}`, { token: agent.accessToken })).status).toBe(403);
  });

  it('recommends from the figures on request, each citing figures the table holds', async () => {
    const asked = await api.call<{ createdAt: string }>('POST', ads('recommendations'), {
      token: analyst.accessToken,
      body: { accountId, from: monthAgo, to: today },
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const answer = await eventually(async () => {
      const { body } = await api.call<{
        createdAt: string;
        recommendations: { kind: string; evidence: { metric: string; value: string }[] }[];
      } | null>('GET', `${ads('recommendations')}?accountId=${accountId}`, { token: analyst.accessToken });
      return body && body.createdAt >= asked.body.createdAt ? body : undefined;
    }, 30_000);
    expect(answer.recommendations.length).toBeGreaterThan(0);
    expect(answer.recommendations[0]?.evidence.length).toBeGreaterThan(0);
  });

  it("finds nothing of another business's ad accounts, and refuses ids and dates of the wrong shape", async () => {
    const query = `?accountId=${accountId}&level=campaign&from=${monthAgo}&to=${today}`;
    expect(
      (await api.call('GET', `${ads('insights', other.tenantId)}${query}`, { token: other.accessToken })).status,
    ).toBe(404);
    expect(
      (await api.call('DELETE', ads(`accounts/${accountId}`, other.tenantId), { token: other.accessToken })).status,
    ).toBe(404);
    expect(
      (await api.call('GET', `${ads('insights', owner.tenantId)}${query}`, { token: other.accessToken })).status,
    ).toBe(404);
    for (const bad of [
      `?accountId=act_${accountId}&level=campaign&from=${monthAgo}&to=${today}`,
      `?accountId=${'9'.repeat(400)}&level=campaign&from=${monthAgo}&to=${today}`,
      `?accountId=${accountId}&level=everything&from=${monthAgo}&to=${today}`,
      `?accountId=${accountId}&level=campaign&from=2026-13-01&to=${today}`,
      `?accountId=${accountId}&level=campaign&from=${today}&to=${monthAgo}`,
    ]) {
      expect((await api.call('GET', `${ads('insights')}${bad}`, { token: owner.accessToken })).status, bad).toBe(400);
    }
    expect((await api.call('DELETE', ads(`accounts/${'1'.repeat(300)}`), { token: owner.accessToken })).status).toBe(
      404,
    );
  });

  it('reminds owners and admins once, a week before the sign-in lapses', async () => {
    const core = createPlatform(readConfig(localAws(stack.dataDir).env));
    const expiresAt = Date.now() + 5 * 86_400_000;
    await core
      .storeOf(ADS_RECORDS)
      .entities.adAccount.patch({ tenantId: owner.tenantId, accountId })
      .set({ tokenExpiresAt: expiresAt })
      .go();
    await runSchedule(stack, 'ads-sync', new Date().toISOString());
    const reminders = async () => (await mailsTo(api, owner.email)).filter((kind) => kind === 'ads-expiry');
    await eventually(async () => ((await reminders()).length === 1 ? true : undefined), 20_000);
    const { body } = await api.call<{ accounts: { tokenExpiresAt: string }[] }>('GET', ads('accounts'), {
      token: analyst.accessToken,
    });
    expect(body.accounts[0]?.tokenExpiresAt).toBe(new Date(expiresAt).toISOString());
    // The next hour's run sends nothing more for the same expiry.
    await runSchedule(stack, 'ads-sync', new Date().toISOString());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await reminders()).toHaveLength(1);
  });

  it('disconnects: the sign-in goes, the figures stay', async () => {
    expect((await api.call('DELETE', ads(`accounts/${accountId}`), { token: analyst.accessToken })).status).toBe(403);
    const gone = await api.call<{ status: string }>('DELETE', ads(`accounts/${accountId}`), {
      token: owner.accessToken,
    });
    expect(gone.body.status).toBe('disconnected');
    const query = `?accountId=${accountId}&level=account&from=${monthAgo}&to=${today}`;
    const figures = await api.call<{ days: unknown[] }>('GET', `${ads('insights')}${query}`, {
      token: owner.accessToken,
    });
    expect(figures.body.days.length).toBeGreaterThan(25);
  });

  it('has the demo business connected to the fake Meta’s demo ad account', async () => {
    const demo = await logIn(api, DEMO_OWNER.email, DEMO_OWNER.password);
    const { body } = await api.call<Accounts>('GET', ads('accounts', 'demo'), { token: demo.accessToken });
    expect(body.accounts).toMatchObject([{ accountId: FAKE_META_DEMO.adAccountId, status: 'connected' }]);
  });
});
