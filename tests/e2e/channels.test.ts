import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { openChannelToken } from '../../packages/core/src/tenancy/tenants.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  newMember,
  newOwner,
  readOutbox,
  type SignedInPerson,
  waitForMail,
} from './accounts-client.js';

/**
 * Connecting channels against a real `npm start` and its fake Meta, through the HTTP API as the
 * web app does: WhatsApp by Embedded Signup, Messenger by Facebook Login, Instagram by Instagram
 * Login, the sandbox and its simulated customer, connection tests and disconnecting.
 */
const APP_SECRET = 'asistone-demo-app-secret';

let stack: RunningStack;
let api: ApiClient;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
  owner = await newOwner(api, 'Kanal');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
});
afterAll(async () => {
  await stack?.stop();
});

interface Channel {
  kind: string;
  externalId: string;
  label: string;
  status: string;
  accountId?: string;
  tokenExpiresAt?: string;
  lastTest?: { ok: boolean; at: string };
}

const channelsPath = () => `/businesses/${owner.tenantId}/channels`;

/** The fake Meta's Embedded Signup popup, finished without a browser: a new WABA and number, and a code. */
async function embeddedSignup(): Promise<{ code: string; wabaId: string; phoneNumberId: string }> {
  const answer = await fetch(`${stack.url}/dev/meta/dialog/embedded-signup/finish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { code: string; wabaId: string; phoneNumberId: string };
}

async function dialog<T>(name: 'facebook-login' | 'instagram-login'): Promise<T & { code: string }> {
  const answer = await fetch(`${stack.url}/dev/meta/dialog/${name}/finish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as T & { code: string };
}

interface FakeState {
  wabas: { id: string; subscribed?: boolean }[];
  phoneNumbers: { id: string; hasPin: boolean }[];
  pages: { id: string; subscribedFields?: string[] }[];
  instagramAccounts: { id: string; subscribed?: boolean; subscribedFields?: string[] }[];
}

async function fakeState(): Promise<FakeState> {
  return (await (await fetch(`${stack.url}/dev/meta/state`)).json()) as FakeState;
}

async function listChannels(token = owner.accessToken): Promise<Channel[]> {
  const answer = await api.call<{ channels: Channel[] }>('GET', channelsPath(), { token });
  expect(answer.status).toBe(200);
  return answer.body.channels;
}

/** The channel's item exactly as stored. */
async function rawChannel(kind: string, externalId: string) {
  const items = await aws.dumpTable();
  return items.find((item) => item.pk === `t#${owner.tenantId}` && item.sk === `channel#${kind}#${externalId}`);
}

/** Tokens as the fake Meta issues them (Graph `EAA…`, Instagram `IGAA…`): none may appear in an answer. */
const TOKEN_SHAPED = /(EAA|IGAA)[A-Za-z0-9_-]{20,}/;

const sign = (body: string) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
let wamid = 0;
async function customerWrites(phoneNumberId: string, wabaId: string, text: string) {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550001122', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Deniz' }, wa_id: '905551234567' }],
              messages: [
                {
                  from: '905551234567',
                  id: `wamid.CHANNELS${Date.now()}x${++wamid}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const answer = await fetch(`${stack.url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
    body,
  });
  expect(answer.status).toBe(200);
}

/** Every message text of the business, opened with its key. */
async function textsOf(tenantId: string): Promise<string[]> {
  const store = core.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
  const keys = await core.keyring.forTenant(tenantId);
  const conversations = await store.entities.conversation.query.byId({ tenantId }).go({ pages: 'all' });
  const texts: string[] = [];
  for (const { conversationId } of conversations.data) {
    const messages = await store.entities.message.query
      .byConversation({ tenantId, conversationId })
      .go({ pages: 'all' });
    for (const message of messages.data) {
      if (message.text) texts.push(keys.open('message', 'text', message.messageId, message.text));
    }
  }
  return texts;
}

describe('WhatsApp by Embedded Signup', () => {
  let connected: { code: string; wabaId: string; phoneNumberId: string };

  it('connects: the code is exchanged, the WABA subscribed, the number registered, the token sealed', async () => {
    connected = await embeddedSignup();
    const answer = await api.call<Channel>('POST', `${channelsPath()}/whatsapp`, {
      token: owner.accessToken,
      body: connected,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      kind: 'whatsapp',
      externalId: connected.phoneNumberId,
      accountId: connected.wabaId,
      status: 'connected',
    });
    expect(JSON.stringify(answer.body)).not.toMatch(TOKEN_SHAPED);
    expect(Object.keys(answer.body)).not.toContain('accessToken');

    const listed = await listChannels();
    expect(listed.map((channel) => channel.externalId)).toContain(connected.phoneNumberId);
    expect(JSON.stringify(listed)).not.toMatch(TOKEN_SHAPED);

    const meta = await fakeState();
    expect(meta.wabas.find((waba) => waba.id === connected.wabaId)?.subscribed).toBe(true);
    expect(meta.phoneNumbers.find((phone) => phone.id === connected.phoneNumberId)?.hasPin).toBe(true);

    // At rest: the token and the PIN are sealed; the token opens with the business's key, and
    // that token appears nowhere in the table in clear.
    const raw = (await rawChannel('whatsapp', connected.phoneNumberId)) as Record<string, string>;
    expect(raw.accessToken).toMatch(/^v1\./);
    expect(raw.pin).toMatch(/^v1\./);
    const keys = await core.keyring.forTenant(owner.tenantId);
    const token = openChannelToken(keys, {
      kind: 'whatsapp',
      externalId: connected.phoneNumberId,
      accessToken: raw.accessToken,
    });
    expect(token).toMatch(/^EAA/);
    const dump = JSON.stringify(await aws.dumpTable());
    expect(dump).not.toContain(token);
    expect(stack.output()).not.toContain(token);
  });

  it('routes the new number’s messages to the business', async () => {
    await customerWrites(connected.phoneNumberId, connected.wabaId, 'yeni numaraya merhaba');
    await eventually(async () =>
      (await textsOf(owner.tenantId)).includes('yeni numaraya merhaba') ? true : undefined,
    );
  });

  it('audits the connection', async () => {
    const audit = await api.call<{ entries: { action: string; target: string; actorId: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit?action=integration.connected`,
      { token: owner.accessToken },
    );
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({ target: `channel:whatsapp:${connected.phoneNumberId}`, actorId: owner.userId }),
    );
  });

  it('refuses a used code with 400 and stores nothing', async () => {
    const second = await embeddedSignup();
    const before = await listChannels();
    const reused = await api.call('POST', `${channelsPath()}/whatsapp`, {
      token: owner.accessToken,
      body: { ...second, code: connected.code },
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_request');
    const unknown = await api.call('POST', `${channelsPath()}/whatsapp`, {
      token: owner.accessToken,
      body: { ...second, code: 'fakecode_not-issued' },
    });
    expect(unknown.status).toBe(400);
    expect(await listChannels()).toEqual(before);
    expect(await rawChannel('whatsapp', second.phoneNumberId)).toBeUndefined();
    expect((await fakeState()).wabas.find((waba) => waba.id === second.wabaId)?.subscribed).not.toBe(true);
  });

  it('refuses a code that does not grant the WABA the page claimed (another business’s), storing nothing', async () => {
    const mine = await embeddedSignup();
    const someoneElses = await embeddedSignup();
    const answer = await api.call<{ error: string; issues: { path: string }[] }>('POST', `${channelsPath()}/whatsapp`, {
      token: owner.accessToken,
      body: { code: mine.code, wabaId: someoneElses.wabaId, phoneNumberId: someoneElses.phoneNumberId },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue) => issue.path)).toContain('wabaId');
    expect(await rawChannel('whatsapp', someoneElses.phoneNumberId)).toBeUndefined();
    const meta = await fakeState();
    expect(meta.wabas.find((waba) => waba.id === someoneElses.wabaId)?.subscribed).not.toBe(true);
    expect(meta.phoneNumbers.find((phone) => phone.id === someoneElses.phoneNumberId)?.hasPin).toBe(false);
  });

  it('refuses malformed input with 400 before calling Meta', async () => {
    const answer = await api.call('POST', `${channelsPath()}/whatsapp`, {
      token: owner.accessToken,
      body: { code: 'x', wabaId: 'not-a-meta-id', phoneNumberId: '1' },
    });
    expect(answer.status).toBe(400);
  });

  it('lets an agent list channels but not connect one (403)', async () => {
    const signup = await embeddedSignup();
    const answer = await api.call('POST', `${channelsPath()}/whatsapp`, { token: agent.accessToken, body: signup });
    expect(answer.status).toBe(403);
    expect(await rawChannel('whatsapp', signup.phoneNumberId)).toBeUndefined();
    expect((await listChannels(agent.accessToken)).length).toBeGreaterThan(0);
    const disconnect = await api.call('DELETE', `${channelsPath()}/whatsapp/${connected.phoneNumberId}`, {
      token: agent.accessToken,
    });
    expect(disconnect.status).toBe(403);
  });

  it('tests the connection: token, number; a refused token makes it fail, and the outcome is kept', async () => {
    const path = `${channelsPath()}/whatsapp/${connected.phoneNumberId}/test`;
    const good = await api.call<{ ok: boolean; checks: { name: string; ok: boolean }[] }>('POST', path, {
      token: owner.accessToken,
    });
    expect(good.status).toBe(200);
    expect(good.body.ok).toBe(true);
    expect(good.body.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['token', 'token-valid', 'phone-number']),
    );

    // Meta refuses the next call (debug_token) as for a revoked token.
    const scripted = await fetch(`${stack.url}/dev/meta/failures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ next: [{ status: 400, code: 190, message: 'Error validating access token' }] }),
    });
    expect(scripted.status).toBe(200);
    const bad = await api.call<{ ok: boolean; checks: { name: string; ok: boolean }[] }>('POST', path, {
      token: owner.accessToken,
    });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.checks.find((check) => check.name === 'token-valid')?.ok).toBe(false);
    const listed = (await listChannels()).find((channel) => channel.externalId === connected.phoneNumberId);
    expect(listed?.lastTest?.ok).toBe(false);
  });

  it('disconnects: unsubscribed at Meta, its deliveries counted as for no known business, its data kept', async () => {
    // A number that has had no delivery yet: the worker keeps owners it found for a minute.
    const other = await embeddedSignup();
    expect(
      (await api.call('POST', `${channelsPath()}/whatsapp`, { token: owner.accessToken, body: other })).status,
    ).toBe(201);
    const textsBefore = await textsOf(owner.tenantId);

    const answer = await api.call('DELETE', `${channelsPath()}/whatsapp/${other.phoneNumberId}`, {
      token: owner.accessToken,
    });
    expect(answer.status).toBe(204);
    const listed = (await listChannels()).find((channel) => channel.externalId === other.phoneNumberId);
    expect(listed?.status).toBe('disconnected');
    expect((await fakeState()).wabas.find((waba) => waba.id === other.wabaId)?.subscribed).toBe(false);
    const raw = (await rawChannel('whatsapp', other.phoneNumberId)) as Record<string, unknown>;
    expect(raw.gsi1pk).toBeUndefined();
    expect(raw.accessToken).toBeUndefined();

    const unknownBefore = (stack.output().match(/whatsapp change for no known business/g) ?? []).length;
    await customerWrites(other.phoneNumberId, other.wabaId, 'kopmuş numaraya');
    await eventually(async () =>
      (stack.output().match(/whatsapp change for no known business/g) ?? []).length > unknownBefore ? true : undefined,
    );
    expect(await textsOf(owner.tenantId)).not.toContain('kopmuş numaraya');
    // The earlier conversations stay.
    expect(await textsOf(owner.tenantId)).toEqual(expect.arrayContaining(textsBefore));

    const again = await api.call('DELETE', `${channelsPath()}/whatsapp/${other.phoneNumberId}`, {
      token: owner.accessToken,
    });
    expect(again.status).toBe(204);
    const test = await api.call('POST', `${channelsPath()}/whatsapp/${other.phoneNumberId}/test`, {
      token: owner.accessToken,
    });
    expect(test.status).toBe(409);
    const audit = await api.call<{ entries: { target: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit?action=integration.disconnected`,
      { token: owner.accessToken },
    );
    expect(audit.body.entries.map((entry) => entry.target)).toEqual([`channel:whatsapp:${other.phoneNumberId}`]);
  });

  it('answers 404 for a channel the business does not have, and for an id of another shape', async () => {
    expect(
      (await api.call('DELETE', `${channelsPath()}/whatsapp/100000000000555`, { token: owner.accessToken })).status,
    ).toBe(404);
    expect((await api.call('POST', `${channelsPath()}/telegram/123/test`, { token: owner.accessToken })).status).toBe(
      404,
    );
  });
});

describe('Messenger by Facebook Login', () => {
  it('lists the Pages of the login, connects the one picked with its Page token sealed, and subscribes it', async () => {
    const { code, pageIds } = await dialog<{ pageIds: string[] }>('facebook-login');
    const login = await api.call<{ loginId: string; pages: { id: string; name: string }[] }>(
      'POST',
      `${channelsPath()}/messenger/login`,
      { token: owner.accessToken, body: { code } },
    );
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.pages.map((page) => page.id)).toEqual(pageIds);
    expect(JSON.stringify(login.body)).not.toMatch(TOKEN_SHAPED);
    const pageId = pageIds[0] as string;

    const foreign = await api.call('POST', `${channelsPath()}/messenger`, {
      token: owner.accessToken,
      body: { loginId: login.body.loginId, pageIds: ['100000000000666'] },
    });
    expect(foreign.status).toBe(400);
    expect(await rawChannel('messenger', '100000000000666')).toBeUndefined();

    const connected = await api.call<{ channels: Channel[] }>('POST', `${channelsPath()}/messenger`, {
      token: owner.accessToken,
      body: { loginId: login.body.loginId, pageIds: [pageId] },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    expect(connected.body.channels).toEqual([expect.objectContaining({ kind: 'messenger', externalId: pageId })]);
    const subscribed = (await fakeState()).pages.find((page) => page.id === pageId)?.subscribedFields;
    expect(subscribed).toEqual(expect.arrayContaining(['messages', 'message_echoes']));
    expect(((await rawChannel('messenger', pageId)) as Record<string, string>).accessToken).toMatch(/^v1\./);

    // The login is used up.
    const reused = await api.call('POST', `${channelsPath()}/messenger`, {
      token: owner.accessToken,
      body: { loginId: login.body.loginId, pageIds: [pageId] },
    });
    expect(reused.status).toBe(404);
  });
});

describe('Instagram by Instagram Login', () => {
  it('connects with a 60-day token, and the refresh schedule warns the owner when it could not renew it', async () => {
    const { code, instagramAccountId } = await dialog<{ instagramAccountId: string }>('instagram-login');
    const answer = await api.call<Channel>('POST', `${channelsPath()}/instagram`, {
      token: owner.accessToken,
      body: { code, redirectUri: `${stack.url}/settings/channels` },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'instagram', externalId: instagramAccountId, status: 'connected' });
    const days = (Date.parse(answer.body.tokenExpiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(59);
    expect(days).toBeLessThanOrEqual(60);
    expect((await fakeState()).instagramAccounts.find((account) => account.id === instagramAccountId)).toBeDefined();

    // The schedule run as of 55 days later: the token lapses within 7 days. Meta (the fake, on
    // its real clock) refuses to refresh a token less than a day old, so the channel turns
    // `expiring` and the owner gets one reminder; a second run mails nothing more.
    const later = new Date(Date.now() + 55 * 86_400_000).toISOString();
    await runSchedule(stack, 'instagram-token-refresh', later);
    const listed = (await listChannels()).find((channel) => channel.externalId === instagramAccountId);
    expect(listed?.status).toBe('expiring');
    const mail = await waitForMail(api, 'channel-expiry', owner.email);
    expect(mail.subject).toContain('Instagram');
    await runSchedule(stack, 'instagram-token-refresh', later);
    const reminders = (await readOutbox(api)).filter(
      (m) => m.kind === 'channel-expiry' && m.to === owner.email.toLowerCase(),
    );
    expect(reminders).toHaveLength(1);
  });
});

describe('the sandbox channel', () => {
  it('connects once per business, and its customer’s message reaches the inbox, sealed', async () => {
    const first = await api.call<Channel>('POST', `${channelsPath()}/sandbox`, { token: owner.accessToken });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'sandbox', externalId: 'sandbox', label: 'Sandbox', status: 'connected' });
    await api.call('POST', `${channelsPath()}/sandbox`, { token: owner.accessToken });
    expect((await listChannels()).filter((channel) => channel.kind === 'sandbox')).toHaveLength(1);

    const sent = await api.call<{ conversationId: string; messageId: string }>(
      'POST',
      `${channelsPath()}/sandbox/customer-messages`,
      { token: agent.accessToken, body: { customerName: 'Ayşe Deneme', text: 'Kargom nerede? sandbox' } },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);

    const thread = await api.call<{ conversationId: string; messages: { direction: string; text: string }[] }>(
      'GET',
      `${channelsPath()}/sandbox/customer-messages?customerName=${encodeURIComponent('Ayşe Deneme')}`,
      { token: agent.accessToken },
    );
    expect(thread.status).toBe(200);
    expect(thread.body.conversationId).toBe(sent.body.conversationId);
    expect(thread.body.messages).toEqual([
      expect.objectContaining({ direction: 'from-customer', text: 'Kargom nerede? sandbox' }),
    ]);

    // In the inbox's conversations list, as the sandbox's.
    const inbox = await api.call<{ conversations: { id: string; channel: { kind: string }; preview: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations`,
      { token: agent.accessToken },
    );
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
    expect(inbox.body.conversations).toContainEqual(
      expect.objectContaining({ id: sent.body.conversationId, channel: expect.objectContaining({ kind: 'sandbox' }) }),
    );

    // A reply from the inbox reaches the simulated customer, delivered without any provider.
    const reply = await api.call(
      'POST',
      `/businesses/${owner.tenantId}/conversations/${sent.body.conversationId}/messages`,
      {
        token: agent.accessToken,
        body: { kind: 'text', text: 'Yarın elinizde sandbox', clientId: 'sandbox-reply-1' },
      },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const replied = await eventually(async () => {
      const seen = await api.call<{ messages: { direction: string; text?: string; status: string }[] }>(
        'GET',
        `${channelsPath()}/sandbox/customer-messages?customerName=${encodeURIComponent('Ayşe Deneme')}`,
        { token: agent.accessToken },
      );
      const message = seen.body.messages.find((candidate) => candidate.direction === 'to-customer');
      return message && ['delivered', 'read'].includes(message.status) ? message : undefined;
    });
    expect(replied.text).toBe('Yarın elinizde sandbox');

    const dump = JSON.stringify(await aws.dumpTable());
    expect(dump).not.toContain('Kargom nerede');
    expect(dump).not.toContain('Ayşe Deneme');

    const tested = await api.call<{ ok: boolean }>('POST', `${channelsPath()}/sandbox/sandbox/test`, {
      token: owner.accessToken,
    });
    expect(tested.body.ok).toBe(true);
  });

  it('refuses an empty message with 400, and an analyst with 403', async () => {
    const empty = await api.call('POST', `${channelsPath()}/sandbox/customer-messages`, {
      token: owner.accessToken,
      body: { customerName: 'Ayşe Deneme', text: '   ' },
    });
    expect(empty.status).toBe(400);
    const analyst = await newMember(api, owner, 'analyst', 'Analist');
    const refused = await api.call('GET', `${channelsPath()}/sandbox/customer-messages`, {
      token: analyst.accessToken,
    });
    expect(refused.status).toBe(403);
  });
});

describe('the demo owner', () => {
  it('signs in on the local stack and owns the demo business', async () => {
    const login = await api.call<{ businesses: { tenantId: string; role: string }[] }>('POST', '/auth/login', {
      body: { email: 'owner@demo.asistone.local', password: 'demo-owner-password' },
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(login.body.businesses).toContainEqual(expect.objectContaining({ tenantId: 'demo', role: 'owner' }));
  });
});
