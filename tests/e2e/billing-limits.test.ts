import { planLimitError, readOnlyError } from '@asistone/contract/billing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_ACCOUNT_RECORDS } from '../../packages/core/src/billing/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * Plans' limits and the read-only state through the API on the local stack: a team as large as
 * the trial allows invites no one more (402 `plan_limit`, in Turkish unless the caller asks for
 * English), and a read-only business reads and exports everything and changes nothing until its
 * subscription is active again, which restores writes at the very next request.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };

/** The subscription record, written as the billing lifecycle would. */
async function setState(tenantId: string, state: 'active' | 'read-only') {
  const core = createPlatform(readConfig(localAws(stack.dataDir).env));
  await core
    .storeOf(BILLING_ACCOUNT_RECORDS)
    .entities.billingAccount.put({ tenantId, state, planId: 'growth', dueKey: '' })
    .go();
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Limitli');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const invite = (email: string, headers: Record<string, string> = {}) =>
  api.call('POST', `/businesses/${owner.tenantId}/invites`, {
    token: owner.accessToken,
    body: { email, role: 'agent' },
    headers,
  });

describe("the trial's seats", () => {
  it('refuses a sixth seat with 402 plan_limit, in Turkish by default and in English on request', async () => {
    // The owner, two members and two pending invitations: the trial's five seats.
    await newMember(api, owner, 'agent', 'limit-bir');
    await newMember(api, owner, 'analyst', 'limit-iki');
    expect((await invite('limit.uc@example.com')).status).toBe(201);
    expect((await invite('limit.dort@example.com')).status).toBe(201);

    const refused = await invite('limit.bes@example.com');
    expect(refused.status, JSON.stringify(refused.body)).toBe(402);
    const body = planLimitError.parse(refused.body);
    expect(body).toMatchObject({ error: 'plan_limit', limit: 'seats', allowed: 5, used: 5 });
    expect(body.message).toContain('en fazla 5 kişilik');

    const english = await invite('limit.bes@example.com', { 'accept-language': 'en-GB,en;q=0.9,tr;q=0.5' });
    expect(english.status).toBe(402);
    expect(planLimitError.parse(english.body).message).toContain('Your plan allows a team of 5');

    // Nothing was stored: still two pending invitations.
    const invites = await api.call<{ invites: unknown[] }>('GET', `/businesses/${owner.tenantId}/invites`, {
      token: owner.accessToken,
    });
    expect(invites.body.invites).toHaveLength(2);
  });
});

describe('a read-only business', () => {
  it('reads and exports everything, changes nothing, and writes again at once when active', async () => {
    const business = `/businesses/${owner.tenantId}`;
    await setState(owner.tenantId, 'read-only');

    const write = await api.call('POST', `${business}/channels/sandbox`, { token: owner.accessToken });
    expect(write.status, JSON.stringify(write.body)).toBe(402);
    expect(readOnlyError.parse(write.body).message).toContain('salt okunur');
    const english = await invite('limit.alti@example.com', { 'accept-language': 'en' });
    expect(english.status).toBe(402);
    expect(readOnlyError.parse(english.body).message).toContain('read and export everything');

    for (const path of ['/members', '/invites', '/channels', '/getting-started']) {
      const read = await api.call('GET', `${business}${path}`, { token: owner.accessToken });
      expect(read.status, `${path}: ${JSON.stringify(read.body)}`).toBe(200);
    }

    const exported = await api.call<{ requestId: string; status: string }>(
      'POST',
      `${business}/privacy/account-export`,
      { token: owner.accessToken },
    );
    expect(exported.status, JSON.stringify(exported.body)).toBe(202);
    const done = await eventually(async () => {
      const answer = await api.call<{ status: string; url: string | null }>(
        'GET',
        `${business}/privacy/account-export/${exported.body.requestId}`,
        { token: owner.accessToken },
      );
      return answer.body.status === 'done' ? answer.body : undefined;
    }, 30_000);
    expect(done.url).toBeTruthy();

    await setState(owner.tenantId, 'active');
    const again = await api.call('POST', `${business}/channels/sandbox`, { token: owner.accessToken });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
  });
});
