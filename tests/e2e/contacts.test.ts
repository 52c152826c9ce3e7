import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * A customer's rights over HTTP on a real `npm start`: a WhatsApp customer writes through the fake
 * Meta (a signed webhook to /webhooks/meta), and the business's owner reads, corrects, restricts,
 * exports (the archive downloaded through its link and unzipped) and erases them, each listed on
 * the privacy page's requests with its deadline; an agent may read but not act, another business
 * finds nothing, and a refused request changes nothing.
 */

interface Contact {
  contactId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  restricted: boolean;
  restrictedAt: string | null;
  conversations: { conversationId: string; channelKind: string }[];
}
interface PrivacyRequest {
  requestId: string;
  kind: string;
  status: string;
  requestedAt: string;
  dueAt: string;
  receipt: { receiptId: string; items: { dataClass: string; count: number }[] } | null;
}

const customer = { id: '905559870041', name: 'Elif Aydın' };
const FORMULA = '=HYPERLINK("http://evil.example","tıkla")';
const DAY = 86_400_000;

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let phoneNumberId: string;
let contactId: string;

const meta = () => fakeMetaClient(stack.url);
const contactPath = (tenantId = owner.tenantId, contact = contactId) => `/businesses/${tenantId}/contacts/${contact}`;
const as = (person: { accessToken: string }, body?: unknown) => ({
  token: person.accessToken,
  ...(body !== undefined && { body }),
});

async function customerWrites(text: string) {
  await meta().dev('POST', '/customer/messages', { channel: 'whatsapp', businessId: phoneNumberId, customer, text });
}

async function requests(person: { accessToken: string } = owner) {
  return api.call<{ requests: PrivacyRequest[] }>('GET', `/businesses/${owner.tenantId}/privacy/requests`, as(person));
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Haklar');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  ({ phoneNumberId } = await connectWhatsApp(api, owner));
  await customerWrites('Merhaba, kargom nerede?');
  await customerWrites(FORMULA);
  const conversation = await eventually(async () => {
    const list = await api.call<{ conversations: { contact: { id: string; name?: string } }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations`,
      as(owner),
    );
    return list.body.conversations.find((c) => c.contact.name === customer.name);
  });
  contactId = conversation.contact.id;
  // Both messages stored before the rights are exercised.
  await eventually(async () => {
    const contact = await api.call<Contact>('GET', contactPath(), as(owner));
    const conversationId = contact.body.conversations[0]?.conversationId;
    if (!conversationId) return undefined;
    const messages = await api.call<{ messages: unknown[] }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations/${conversationId}/messages`,
      as(owner),
    );
    return messages.body.messages?.length === 2 ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a customer’s page', () => {
  it('shows the customer to the team, agents included', async () => {
    for (const person of [owner, agent]) {
      const answer = await api.call<Contact>('GET', contactPath(), as(person));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        contactId,
        name: customer.name,
        phone: `+${customer.id}`,
        email: null,
        restricted: false,
      });
      expect(answer.body.conversations).toEqual([expect.objectContaining({ channelKind: 'whatsapp' })]);
    }
  });

  it('is not found from another business, nor for an id that cannot be one', async () => {
    expect((await api.call('GET', contactPath(), as(other))).status).toBe(404);
    expect((await api.call('GET', contactPath(other.tenantId), as(other))).status).toBe(404);
    for (const bad of ['ct_short', `ct_${'a'.repeat(200)}`, 'ct_%2e%2e%2fx0000000000000000000']) {
      const answer = await api.call('PATCH', contactPath(owner.tenantId, bad), as(owner, { name: 'X' }));
      expect(answer.status).toBe(404);
    }
  });

  it('lets agents read but not correct, restrict, export or erase', async () => {
    const before = await api.call<Contact>('GET', contactPath(), as(owner));
    const attempts = [
      api.call('PATCH', contactPath(), as(agent, { name: 'Başka' })),
      api.call('PUT', `${contactPath()}/restriction`, as(agent, { restricted: true })),
      api.call('POST', `${contactPath()}/export`, as(agent, {})),
      api.call('POST', `${contactPath()}/erase`, as(agent, { confirm: 'ERASE' })),
      api.call('GET', `/businesses/${owner.tenantId}/privacy/requests`, as(agent)),
    ];
    for (const answer of await Promise.all(attempts)) expect(answer.status).toBe(403);
    expect((await api.call<Contact>('GET', contactPath(), as(owner))).body).toEqual(before.body);
  });

  it('corrects and restricts, refusing bodies that are not a correction', async () => {
    for (const body of [{}, { phone: '+905550000000' }, { email: 'not an address' }, { name: '' }]) {
      expect((await api.call('PATCH', contactPath(), as(owner, body))).status).toBe(400);
    }
    expect((await api.call('PUT', `${contactPath()}/restriction`, as(owner, { restricted: 'yes' }))).status).toBe(400);
    const unchanged = await api.call<Contact>('GET', contactPath(), as(owner));
    expect(unchanged.body).toMatchObject({ name: customer.name, email: null, restricted: false });

    const corrected = await api.call<Contact>(
      'PATCH',
      contactPath(),
      as(owner, { name: 'Elif Aydın Kaya', email: 'Elif.Kaya@Example.com' }),
    );
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ name: 'Elif Aydın Kaya', email: 'elif.kaya@example.com' });

    const restricted = await api.call<Contact>('PUT', `${contactPath()}/restriction`, as(owner, { restricted: true }));
    expect(restricted.status).toBe(200);
    expect(restricted.body.restricted).toBe(true);
    expect(Date.parse(restricted.body.restrictedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const audit = await api.call<{ entries: { action: string; detail?: Record<string, string> }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit`,
      as(owner),
    );
    const actions = audit.body.entries.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.corrected', 'contact.restricted']));
    expect(audit.body.entries.find((event) => event.action === 'contact.corrected')?.detail?.fields).toBe('name,email');
    expect(JSON.stringify(audit.body)).not.toMatch(/Kaya|example\.com/i);
  });

  it('exports everything in one archive behind a short-lived link', async () => {
    const answer = await api.call<{ requestId: string; url: string; expiresAt: string; fileName: string }>(
      'POST',
      `${contactPath()}/export`,
      as(owner, {}),
    );
    expect(answer.status).toBe(201);
    expect(answer.body.fileName).toMatch(/^contact-\d{4}-\d{2}-\d{2}\.zip$/);
    expect(Date.parse(answer.body.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const download = await fetch(new URL(answer.body.url, stack.url));
    expect(download.status).toBe(200);
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['contact.json', 'messages.csv', 'profile.csv']));
    const json = JSON.parse(new TextDecoder().decode(files['contact.json']));
    expect(json.profile[0]).toMatchObject({
      name: 'Elif Aydın Kaya',
      email: 'elif.kaya@example.com',
      restricted: true,
    });
    expect(json.messages.map((m: { text: string }) => m.text).sort()).toEqual(
      ['Merhaba, kargom nerede?', FORMULA].sort(),
    );
    expect(new TextDecoder().decode(files['messages.csv'])).toContain(
      `"'=HYPERLINK(""http://evil.example"",""tıkla"")"`,
    );
  });

  it('erases only when the word is typed, then answers a receipt with nothing of the customer in it', async () => {
    for (const body of [{}, { confirm: 'erase' }, { confirm: 'SİL' }]) {
      expect((await api.call('POST', `${contactPath()}/erase`, as(owner, body))).status).toBe(400);
    }
    expect((await api.call<Contact>('GET', contactPath(), as(owner))).body.name).toBe('Elif Aydın Kaya');

    const erased = await api.call<{
      receiptId: string;
      requestId: string;
      erasedAt: string;
      erasedBy: string;
      removed: { dataClass: string; count: number }[];
    }>('POST', `${contactPath()}/erase`, as(owner, { confirm: 'ERASE' }));
    expect(erased.status).toBe(200);
    expect(erased.body.erasedBy).toBe(`member:${owner.userId}`);
    expect(erased.body.removed).toEqual(
      expect.arrayContaining([
        { dataClass: 'inbox.messages', count: 2 },
        { dataClass: 'inbox.contacts', count: 1 },
        { dataClass: 'privacy.contact-exports', count: 1 },
      ]),
    );
    expect(JSON.stringify(erased.body)).not.toMatch(new RegExp(`${contactId}|Elif|${customer.id}|kaya`, 'i'));

    expect((await api.call('GET', contactPath(), as(owner))).status).toBe(404);
    expect((await api.call('POST', `${contactPath()}/erase`, as(owner, { confirm: 'ERASE' }))).status).toBe(404);
    const list = await api.call<{ conversations: unknown[] }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations`,
      as(owner),
    );
    expect(list.body.conversations).toEqual([]);
  });

  it('lists every request with its 30-day deadline and, when done, its receipt', async () => {
    const answer = await requests();
    expect(answer.status).toBe(200);
    const kinds = answer.body.requests.map((request) => request.kind);
    expect(kinds).toEqual(['contact-erasure', 'contact-export', 'contact-restriction', 'contact-correction']);
    for (const request of answer.body.requests) {
      expect(request.status).toBe('done');
      expect(Date.parse(request.dueAt) - Date.parse(request.requestedAt)).toBe(30 * DAY);
      expect(request.receipt).not.toBeNull();
    }
    const erasure = answer.body.requests[0];
    expect(erasure?.receipt?.items).toEqual(expect.arrayContaining([{ dataClass: 'inbox.messages', count: 2 }]));
    expect((await requests(other)).status).toBe(404);
  });
});
