import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  newMember,
  newOwner,
  PASSWORD,
  type SignedInPerson,
  waitForMail,
} from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Deleting a business account and taking all its data away, over HTTP on the local stack: the
 * owner's confirmation (name and password), the grace period and its cancellation, the hourly
 * schedule run as of a time past the grace period, then the business gone for its members while
 * the people keep their accounts; the full export built off its queue and downloaded.
 */
let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let admin: SignedInPerson;
let agent: SignedInPerson;
const BUSINESS = 'Silinecek Butik';

type Deletion = { requestId: string; status: string; requestedAt: string; graceEndsAt: string; dueAt: string };
type Export = { requestId: string; status: string; url: string | null; expiresAt: string | null };

const deletionPath = () => `/businesses/${owner.tenantId}/privacy/account-deletion`;
const exportPath = () => `/businesses/${owner.tenantId}/privacy/account-export`;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Silinecek');
  admin = await newMember(api, owner, 'admin', 'Yonetici');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  // A customer writes through the sandbox channel: a message to find in the export.
  const channels = `/businesses/${owner.tenantId}/channels`;
  expect((await api.call('POST', `${channels}/sandbox`, { token: owner.accessToken })).status).toBe(201);
  const sent = await api.call('POST', `${channels}/sandbox/customer-messages`, {
    token: agent.accessToken,
    body: { customerName: 'Ayşe Deneme', text: 'Kargom nerede? dışa aktarım' },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
}, 120_000);
afterAll(() => stack?.stop());

describe('the full account export', () => {
  it('is recorded and built off its queue, then downloaded by a short link: the messages and the team are in it', async () => {
    const asked = await api.call<Export>('POST', exportPath(), { token: admin.accessToken });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toMatchObject({ status: 'open', url: null });
    // An agent may not take the business's data away.
    expect((await api.call('POST', exportPath(), { token: agent.accessToken })).status).toBe(403);

    const done = await eventually(async () => {
      const answer = await api.call<Export>('GET', `${exportPath()}/${asked.body.requestId}`, {
        token: admin.accessToken,
      });
      return answer.body.status === 'done' ? answer.body : undefined;
    }, 30_000);
    expect(done.url).toBeTruthy();
    expect(Date.parse(done.expiresAt as string) - Date.now()).toBeLessThanOrEqual(600_000);

    const download = await fetch(new URL(done.url as string, stack.url));
    expect(download.status).toBe(200);
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    const text = (name: string) => new TextDecoder().decode(files[name]);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'business.json',
        'team.csv',
        'channels.json',
        'contacts.json',
        'messages.csv',
        'audit-log.json',
      ]),
    );
    expect(text('messages.json')).toContain('Kargom nerede? dışa aktarım');
    expect(text('contacts.json')).toContain('Ayşe Deneme');
    const team = JSON.parse(text('team.json')) as { email: string; role: string }[];
    expect(team.map((member) => member.email).sort()).toEqual(
      [owner.email, admin.email, agent.email].map((email) => email.toLowerCase()).sort(),
    );
    expect(JSON.parse(text('business.json'))[0]).toMatchObject({ name: BUSINESS });
    // Never a channel's token or PIN.
    expect(text('channels.json')).not.toMatch(/accessToken|pin/);
  });
});

describe('deleting the business', () => {
  it('refuses a wrong password or business name and anyone but the owner, recording nothing', async () => {
    const wrongPassword = await api.call('POST', deletionPath(), {
      token: owner.accessToken,
      body: { businessName: BUSINESS, password: 'not my password' },
    });
    expect(wrongPassword.status).toBe(400);
    const wrongName = await api.call('POST', deletionPath(), {
      token: owner.accessToken,
      body: { businessName: 'Başka Butik', password: PASSWORD },
    });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body).toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'businessName' })]),
    });
    const byAdmin = await api.call('POST', deletionPath(), {
      token: admin.accessToken,
      body: { businessName: BUSINESS, password: PASSWORD },
    });
    expect(byAdmin.status).toBe(403);
    expect((await api.call('GET', deletionPath(), { token: admin.accessToken })).status).toBe(403);
    const state = await api.call<{ deletion: Deletion | null }>('GET', deletionPath(), { token: owner.accessToken });
    expect(state.body).toEqual({ deletion: null });
  });

  it('request, cancel, request again; after the grace period the business is gone for its members, the people stay', async () => {
    const body = { businessName: BUSINESS, password: PASSWORD };
    const first = await api.call<Deletion>('POST', deletionPath(), { token: owner.accessToken, body });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.status).toBe('scheduled');
    const mail = await waitForMail(api, 'privacy-request', owner.email);
    expect(mail.text).toContain(first.body.requestId);

    const cancelled = await api.call<Deletion>('DELETE', deletionPath(), { token: owner.accessToken });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ requestId: first.body.requestId, status: 'cancelled' });

    // A number connected through Meta: its WABA is subscribed to the app until the business goes.
    const { wabaId } = await connectWhatsApp(api, owner);
    const subscribed = async () =>
      (
        await fakeMetaClient(stack.url).dev<{ wabas: { id: string; subscribed?: boolean }[] }>('GET', '/state')
      ).wabas.find((waba) => waba.id === wabaId)?.subscribed;
    expect(await subscribed()).toBe(true);

    const second = await api.call<Deletion>('POST', deletionPath(), { token: owner.accessToken, body });
    expect(second.status).toBe(201);
    expect(second.body.requestId).not.toBe(first.body.requestId);
    // During the grace period the business works as before.
    expect((await api.call('GET', `/businesses/${owner.tenantId}/members`, { token: agent.accessToken })).status).toBe(
      200,
    );
    const state = await api.call<{ deletion: Deletion }>('GET', deletionPath(), { token: owner.accessToken });
    expect(state.body.deletion).toMatchObject({ requestId: second.body.requestId, status: 'scheduled' });

    // The hourly schedule, as of a minute after the grace period ends.
    await runSchedule(stack, 'account-deletions', new Date(Date.parse(second.body.graceEndsAt) + 60_000).toISOString());

    // Unsubscribed at Meta with the number's own token before the key went: Meta stops sending
    // the business's customers' messages to us at all.
    expect(await subscribed()).toBe(false);
    for (const member of [owner, admin, agent]) {
      const answer = await api.call('GET', `/businesses/${owner.tenantId}/members`, { token: member.accessToken });
      expect([404, 410]).toContain(answer.status);
    }
    // The people keep their accounts: the owner signs in, without the business, and may start another.
    const again = await logIn(api, owner.email);
    const me = await api.call<{ businesses: { tenantId: string }[] }>('GET', '/me', { token: again.accessToken });
    expect(me.body.businesses.map((b) => b.tenantId)).not.toContain(owner.tenantId);
    const started = await api.call('POST', '/businesses', { token: again.accessToken, body: { name: 'Yeni Butik' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await logIn(api, agent.email);
  });
});
