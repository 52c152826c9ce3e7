import { NAME_MAX_LENGTH } from '@asistone/contract/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  newEmail,
  newMember,
  newOwner,
  PASSWORD,
  type SignedInPerson,
  TERMS,
  tokenFromOutbox,
} from './accounts-client.js';

/**
 * What a merchant expects on day one, through the API of a real `npm start`: a signed-in
 * person starts a business (a first one, or another), an invitation opened while signed in as
 * someone else says so, and a business's getting-started checklist ticks its steps.
 */
let stack: RunningStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

interface Business {
  tenantId: string;
  name: string;
  role: string;
}

async function businessesOf(person: { accessToken: string }): Promise<Business[]> {
  const me = await api.call<{ businesses: Business[] }>('GET', '/me', { token: person.accessToken });
  expect(me.status).toBe(200);
  return me.body.businesses;
}

const startBusiness = (person: { accessToken: string }, body: unknown) =>
  api.call<Business & { error?: string; retryAfterSeconds?: number }>('POST', '/businesses', {
    token: person.accessToken,
    body,
  });

describe('POST /api/businesses', () => {
  it('starts a business owned by the caller, listed in /me, its creation first in its audit log', async () => {
    const owner = await newOwner(api, 'Ayse');
    const started = await startBusiness(owner, { name: '  Nar Kozmetik  ' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toEqual({ tenantId: expect.stringMatching(/^b/), name: 'Nar Kozmetik', role: 'owner' });
    const { tenantId } = started.body;
    expect(tenantId).not.toBe(owner.tenantId);

    const businesses = await businessesOf(owner);
    expect(businesses).toHaveLength(2);
    expect(businesses).toContainEqual({ tenantId, name: 'Nar Kozmetik', role: 'owner' });
    // The owner can do an owner's work in it at once, and it starts with a team of one.
    const members = await api.call<{ members: { userId: string; role: string }[] }>(
      'GET',
      `/businesses/${tenantId}/members`,
      { token: owner.accessToken },
    );
    expect(members.body.members).toEqual([expect.objectContaining({ userId: owner.userId, role: 'owner' })]);
    expect((await api.call('GET', `/businesses/${tenantId}/billing`, { token: owner.accessToken })).status).toBe(200);
    const audit = await api.call<{ entries: { action: string; actorId: string; target: string }[] }>(
      'GET',
      `/businesses/${tenantId}/audit`,
      { token: owner.accessToken },
    );
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ action: 'business.created', actorId: owner.userId, target: `business:${tenantId}` }),
    ]);
    // The first business knows nothing of the second.
    const firstAudit = await api.call<{ entries: { action: string }[] }>('GET', `/businesses/${owner.tenantId}/audit`, {
      token: owner.accessToken,
    });
    expect(firstAudit.body.entries.map((entry) => entry.action)).not.toContain('business.created');
  });

  it('refuses a name the contract refuses, with 400 on `name`, and starts nothing', async () => {
    const owner = await newOwner(api, 'Elif');
    for (const body of [{}, { name: '   ' }, { name: 'x'.repeat(NAME_MAX_LENGTH + 1) }, { name: 42 }]) {
      const refused = await startBusiness(owner, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe('invalid_request');
      expect(JSON.stringify(refused.body)).toContain('"path":"name"');
    }
    expect(await businessesOf(owner)).toHaveLength(1);
  });

  it('lets an account left without any business start its own', async () => {
    const owner = await newOwner(api, 'Zeynep');
    const member = await newMember(api, owner, 'agent', 'Mehmet');
    const removed = await api.call('DELETE', `/businesses/${owner.tenantId}/members/${member.userId}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    expect(await businessesOf(member)).toEqual([]);

    const started = await startBusiness(member, { name: 'Mehmet Kırtasiye' });
    expect(started.status).toBe(201);
    expect(await businessesOf(member)).toEqual([started.body]);
  });

  it('lets one account start 5 businesses a day; the 6th answers 429 with Retry-After and starts nothing', async () => {
    const owner = await newOwner(api, 'Can');
    for (let n = 1; n <= 5; n++) expect((await startBusiness(owner, { name: `Şube ${n}` })).status).toBe(201);
    const refused = await startBusiness(owner, { name: 'Şube 6' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('rate_limited');
    expect(refused.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await businessesOf(owner)).toHaveLength(6);
    // Another account is not held back by it.
    const other = await newOwner(api, 'Deniz');
    expect((await startBusiness(other, { name: 'Deniz Balık' })).status).toBe(201);
  });
});

describe('an invitation opened while signed in as someone else', () => {
  let owner: SignedInPerson & { tenantId: string };
  let someoneElse: SignedInPerson & { tenantId: string };
  let invitedEmail: string;
  let token: string;

  beforeAll(async () => {
    owner = await newOwner(api, 'Selin');
    someoneElse = await newOwner(api, 'Burak');
    invitedEmail = newEmail('ece');
    const invited = await api.call('POST', `/businesses/${owner.tenantId}/invites`, {
      token: owner.accessToken,
      body: { email: invitedEmail, role: 'agent' },
    });
    expect(invited.status).toBe(201);
    token = await tokenFromOutbox(api, 'invite', invitedEmail);
  });

  it('tells a signed-in reader whether the invitation is theirs; a guest is told nothing of the kind', async () => {
    const asGuest = await api.call<Record<string, unknown>>('GET', `/invites/${token}`);
    expect(asGuest.status).toBe(200);
    expect(asGuest.body).toMatchObject({ role: 'agent', accountExists: false });
    expect(asGuest.body).not.toHaveProperty('forYou');

    const asSomeoneElse = await api.call<Record<string, unknown>>('GET', `/invites/${token}`, {
      token: someoneElse.accessToken,
    });
    expect(asSomeoneElse.status).toBe(200);
    expect(asSomeoneElse.body.forYou).toBe(false);
    // Still masked: being signed in shows no more of the invited address.
    expect(asSomeoneElse.body.email).toBe(asGuest.body.email);
    expect(asSomeoneElse.body.email).not.toBe(invitedEmail);
    expect(asSomeoneElse.headers.get('cache-control')).toContain('no-store');
  });

  it('refuses acceptance by another account with wrong_account, and leaves the invitation to its person', async () => {
    const refused = await api.call('POST', `/invites/${token}/accept`, { token: someoneElse.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('wrong_account');
    expect(JSON.stringify(refused.body)).not.toContain(invitedEmail);
    expect(await businessesOf(someoneElse)).toHaveLength(1);

    // The invited person creates the account for the address, signs in, and the same link says it is theirs.
    const created = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Ece', password: PASSWORD, ...TERMS },
    });
    expect(created.status).toBe(200);
    const invited = await logIn(api, invitedEmail);
    expect(await businessesOf(invited)).toEqual([{ tenantId: owner.tenantId, name: 'Selin Butik', role: 'agent' }]);
  });

  it('tells the invited person, signed in, that the invitation is theirs', async () => {
    const invited = await api.call('POST', `/businesses/${owner.tenantId}/invites`, {
      token: owner.accessToken,
      body: { email: someoneElse.email, role: 'analyst' },
    });
    expect(invited.status).toBe(201);
    const mine = await tokenFromOutbox(api, 'invite', someoneElse.email);
    const described = await api.call<Record<string, unknown>>('GET', `/invites/${mine}`, {
      token: someoneElse.accessToken,
    });
    expect(described.body).toMatchObject({ forYou: true, accountExists: true, role: 'analyst' });
    const accepted = await api.call('POST', `/invites/${mine}/accept`, { token: someoneElse.accessToken });
    expect(accepted.status).toBe(200);
  });
});

describe('GET /api/businesses/:tenantId/getting-started', () => {
  it('ticks the team step once someone is invited; no channel yet, store and AI agent never', async () => {
    const owner = await newOwner(api, 'Kerem');
    const path = `/businesses/${owner.tenantId}/getting-started`;
    const before = await api.call('GET', path, { token: owner.accessToken });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      steps: { channel: { done: false }, team: { done: false }, store: { done: false }, ai: { done: false } },
    });
    const invited = await api.call('POST', `/businesses/${owner.tenantId}/invites`, {
      token: owner.accessToken,
      body: { email: newEmail('derya'), role: 'admin' },
    });
    expect(invited.status).toBe(201);
    const after = await api.call<{ steps: Record<string, { done: boolean }> }>('GET', path, {
      token: owner.accessToken,
    });
    expect(after.body.steps).toEqual({
      channel: { done: false },
      team: { done: true },
      store: { done: false },
      ai: { done: false },
    });
  });
});
