import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * The inbox through its HTTP API on a real `npm start`, with the fake Meta playing Meta and the
 * customers: a business connects a WhatsApp number through the fake Embedded Signup, customers
 * write through the fake (signed webhooks to /webhooks/meta), and the team lists, searches,
 * assigns, labels, notes, opens tickets and replies; the fake receives the replies and reports
 * their statuses by webhook, as Meta does.
 */

const APP_SECRET = 'asistone-demo-app-secret';

interface Conversation {
  id: string;
  channel: { kind: string; externalId: string; label: string };
  contact: { id: string; name?: string; phone?: string };
  status: string;
  assigneeId?: string;
  labels: string[];
  unreadCount: number;
  lastMessageAt: string;
  preview: string;
  windowClosesAt?: string;
}
interface Message {
  id: string;
  direction: string;
  type: string;
  text?: string;
  status: string;
  error?: { code?: number; title?: string; reason: string };
  clientId?: string;
  sentAt: string;
}
interface FakeSent {
  id: string;
  channel: string;
  businessId: string;
  customerId: string;
  direction: 'from-customer' | 'to-customer';
  text?: string;
  status: string;
  at: number;
}

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let phoneNumberId: string;
let wabaId: string;

const customers = {
  ayse: { id: '905551230001', name: 'Ayşe Yılmaz' },
  sukru: { id: '905551230002', name: 'Şükrü Öztürk' },
  deniz: { id: '905551230003', name: 'Deniz Kaya' },
};

const clientId = () => `c_${randomBytes(9).toString('base64url')}`;
const base = () => `/businesses/${owner.tenantId}`;

/** The fake Meta's dev endpoints, through the gateway. */
const dev = <T>(method: string, path: string, body?: unknown) => fakeMetaClient(stack.url).dev<T>(method, path, body);

/** Every message the fake Meta carried (what the customers' phones show). */
async function fakeMessages(): Promise<FakeSent[]> {
  return (await dev<{ messages: FakeSent[] }>('GET', '/state')).messages;
}

async function customerWrites(customer: { id: string; name: string }, text: string) {
  await dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer,
    text,
  });
}

async function conversations(query = '', as: { accessToken: string } = owner) {
  const answer = await api.call<{ conversations: Conversation[]; cursor?: string; error?: string }>(
    'GET',
    `${base()}/conversations${query}`,
    { token: as.accessToken },
  );
  return answer;
}

async function conversationOf(customer: { name: string }): Promise<Conversation> {
  return eventually(async () => {
    const list = await conversations();
    return list.body.conversations?.find((c) => c.contact.name === customer.name);
  });
}

async function thread(conversationId: string, before?: string) {
  return api.call<{ messages: Message[]; cursor?: string }>(
    'GET',
    `${base()}/conversations/${conversationId}/messages${before ? `?before=${before}` : ''}`,
    { token: owner.accessToken },
  );
}

async function reply(conversationId: string, body: Record<string, unknown>, as: { accessToken: string } = owner) {
  return api.call<{ message: Message; error?: string }>('POST', `${base()}/conversations/${conversationId}/messages`, {
    token: as.accessToken,
    body,
  });
}

/** Waits until the reply with `id` stands in one of `statuses` in the thread. */
async function replyReaches(conversationId: string, id: string, statuses: string[], timeoutMs = 20_000) {
  return eventually(async () => {
    const found = (await thread(conversationId)).body.messages.find((m) => m.id === id);
    return found && statuses.includes(found.status) ? found : undefined;
  }, timeoutMs);
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Inbox');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  other = await newOwner(api, 'Baska');

  // Embedded Signup through the fake Meta: a new WABA and number, and a code for them.
  ({ phoneNumberId, wabaId } = await connectWhatsApp(api, owner));

  // A second apart: WhatsApp stamps messages in whole seconds, and the list orders by that.
  await customerWrites(customers.ayse, 'Merhaba, siparişim nerede?');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await customerWrites(customers.sukru, 'İade yapmak istiyorum');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await customerWrites(customers.deniz, 'Kargo ücreti ne kadar?');
  for (const customer of Object.values(customers)) await conversationOf(customer);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('conversations', () => {
  it('lists newest first with the channel, contact, unread count, preview and window', async () => {
    const { status, body } = await conversations();
    expect(status).toBe(200);
    expect(body.conversations.map((c) => c.contact.name)).toEqual([
      customers.deniz.name,
      customers.sukru.name,
      customers.ayse.name,
    ]);
    const deniz = body.conversations[0] as Conversation;
    expect(deniz.channel).toMatchObject({ kind: 'whatsapp', externalId: phoneNumberId });
    expect(deniz.contact.phone).toBe(`+${customers.deniz.id}`);
    expect(deniz).toMatchObject({ status: 'open', labels: [], unreadCount: 1, preview: 'Kargo ücreti ne kadar?' });
    const closes = Date.parse(deniz.windowClosesAt ?? '') - Date.parse(deniz.lastMessageAt);
    expect(closes).toBe(24 * 3600 * 1000);
  });

  it('searches by name whatever the case and accents, and by phone number in any usual format', async () => {
    const names = async (q: string) =>
      (await conversations(`?q=${encodeURIComponent(q)}`)).body.conversations.map((c) => c.contact.name);
    expect(await names('sukru')).toEqual([customers.sukru.name]);
    expect(await names('YILMAZ')).toEqual([customers.ayse.name]);
    expect(await names('+90 555 123 00 03')).toEqual([customers.deniz.name]);
    expect(await names('0555 123 0001')).toEqual([customers.ayse.name]);
    expect(await names('905551239999')).toEqual([]);
  });

  it('assigns, labels and resolves, and filters by each', async () => {
    const ayse = await conversationOf(customers.ayse);
    const patched = await api.call<Conversation>('PATCH', `${base()}/conversations/${ayse.id}`, {
      token: agent.accessToken,
      body: { assigneeId: agent.userId, labels: ['vip', 'kargo', 'vip'], status: 'pending' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ assigneeId: agent.userId, labels: ['vip', 'kargo'], status: 'pending' });

    const ids = async (query: string, as: { accessToken: string } = owner) =>
      (await conversations(query, as)).body.conversations.map((c) => c.id);
    expect(await ids('?assignee=me', agent)).toEqual([ayse.id]);
    expect(await ids('?assignee=me')).toEqual([]);
    expect(await ids(`?assignee=${agent.userId}`)).toEqual([ayse.id]);
    expect(await ids('?assignee=none')).not.toContain(ayse.id);
    expect(await ids('?label=kargo')).toEqual([ayse.id]);
    expect(await ids('?status=pending')).toEqual([ayse.id]);
    expect(await ids('?status=open')).not.toContain(ayse.id);
    expect(await ids('?channel=instagram')).toEqual([]);

    const resolved = await api.call<Conversation>('PATCH', `${base()}/conversations/${ayse.id}`, {
      token: owner.accessToken,
      body: { status: 'resolved', assigneeId: null },
    });
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.assigneeId).toBeUndefined();
    expect(await ids('?status=resolved')).toEqual([ayse.id]);

    // Nobody outside the team, nor an analyst (who cannot answer), is assigned; nothing changes.
    for (const assigneeId of [analyst.userId, other.userId]) {
      const refused = await api.call('PATCH', `${base()}/conversations/${ayse.id}`, {
        token: owner.accessToken,
        body: { assigneeId },
      });
      expect(refused.status).toBe(400);
    }
    const bad = await api.call('PATCH', `${base()}/conversations/${ayse.id}`, {
      token: owner.accessToken,
      body: { status: 'closed' },
    });
    expect(bad.status).toBe(400);
    expect(
      (await api.call<Conversation>('GET', `${base()}/conversations/${ayse.id}`, { token: owner.accessToken })).body,
    ).toMatchObject({ status: 'resolved', labels: ['vip', 'kargo'] });
  });

  it('reading a conversation sets its unread count to 0 and marks the customer’s message read on WhatsApp', async () => {
    const sukru = await conversationOf(customers.sukru);
    expect(sukru.unreadCount).toBe(1);
    expect((await conversations('?unread=true')).body.conversations.map((c) => c.id)).toContain(sukru.id);
    const read = await api.call('POST', `${base()}/conversations/${sukru.id}/read`, { token: agent.accessToken });
    expect(read.status).toBe(204);
    const after = await api.call<Conversation>('GET', `${base()}/conversations/${sukru.id}`, {
      token: owner.accessToken,
    });
    expect(after.body.unreadCount).toBe(0);
    expect((await conversations('?unread=true')).body.conversations.map((c) => c.id)).not.toContain(sukru.id);
    // The customer's phone shows their message read (blue ticks), through the outbound worker.
    await eventually(async () => {
      const mine = (await fakeMessages()).filter(
        (m) => m.customerId === customers.sukru.id && m.direction === 'from-customer',
      );
      return mine.length > 0 && mine.every((m) => m.status === 'read') ? true : undefined;
    });
  });

  it('keeps private notes, sealed in storage', async () => {
    const deniz = await conversationOf(customers.deniz);
    const added = await api.call<{ id: string; text: string; authorId: string }>(
      'POST',
      `${base()}/conversations/${deniz.id}/notes`,
      { token: agent.accessToken, body: { text: 'Müşteri ikinci kez soruyor, indirim kodu verelim' } },
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      authorId: agent.userId,
      text: 'Müşteri ikinci kez soruyor, indirim kodu verelim',
    });
    const notes = await api.call<{ notes: { text: string }[] }>('GET', `${base()}/conversations/${deniz.id}/notes`, {
      token: owner.accessToken,
    });
    expect(notes.body.notes.map((n) => n.text)).toEqual(['Müşteri ikinci kez soruyor, indirim kodu verelim']);
    expect(
      (
        await api.call('POST', `${base()}/conversations/${deniz.id}/notes`, {
          token: owner.accessToken,
          body: { text: ' ' },
        })
      ).status,
    ).toBe(400);

    const aws = localAws(stack.dataDir);
    const core = createPlatform(readConfig(aws.env));
    const stored = await core
      .storeOf(INBOX_RECORDS)
      .entities.note.query.byConversation({ tenantId: owner.tenantId, conversationId: deniz.id })
      .go();
    expect(stored.data).toHaveLength(1);
    expect(stored.data[0]?.text).not.toContain('indirim');
    expect(stored.data[0]?.text.startsWith('v1.')).toBe(true);
  });

  it('opens handoff tickets, lists them by status and changes them', async () => {
    const deniz = await conversationOf(customers.deniz);
    const opened = await api.call<{ id: string; status: string; openedBy: { kind: string; id: string } }>(
      'POST',
      `${base()}/conversations/${deniz.id}/tickets`,
      { token: agent.accessToken, body: { title: 'Kargo ücreti iadesi', assigneeId: agent.userId } },
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', openedBy: { kind: 'person', id: agent.userId } });
    const open = await api.call<{ tickets: { id: string; title: string }[] }>('GET', `${base()}/tickets?status=open`, {
      token: owner.accessToken,
    });
    expect(open.body.tickets.map((t) => t.title)).toEqual(['Kargo ücreti iadesi']);
    const closed = await api.call<{ status: string }>('PATCH', `${base()}/tickets/${opened.body.id}`, {
      token: agent.accessToken,
      body: { status: 'closed', assigneeId: null },
    });
    expect(closed.body).toMatchObject({ status: 'closed' });
    expect(
      (await api.call<{ tickets: unknown[] }>('GET', `${base()}/tickets?status=open`, { token: owner.accessToken }))
        .body.tickets,
    ).toEqual([]);
    expect(
      (await api.call<{ tickets: unknown[] }>('GET', `${base()}/tickets?status=closed`, { token: owner.accessToken }))
        .body.tickets,
    ).toHaveLength(1);
    expect(
      (await api.call('PATCH', `${base()}/tickets/tk_nope`, { token: owner.accessToken, body: { status: 'open' } }))
        .status,
    ).toBe(404);
  });

  it('pages a long thread oldest to newest, 50 at a time', async () => {
    const customer = { id: '905551230010', name: 'Uzun Konuşma' };
    for (let i = 1; i <= 55; i += 1) await customerWrites(customer, `mesaj ${i}`);
    const conversation = await conversationOf(customer);
    // Until all 55 are stored: the newest page of 50, then the 5 before it, with no cursor.
    const [first, second] = await eventually(async () => {
      const newest = await thread(conversation.id);
      if (!newest.body.cursor) return undefined;
      const older = await thread(conversation.id, newest.body.cursor);
      return newest.body.messages.length === 50 && older.body.messages.length === 5 ? [newest, older] : undefined;
    });
    expect(second.body.cursor).toBeUndefined();
    const all = [...second.body.messages, ...first.body.messages];
    // Every message once, oldest to newest (WhatsApp stamps whole seconds; a page keeps arrival
    // order within a second, and the older page holds nothing newer than the newer one).
    expect(new Set(all.map((m) => m.text))).toEqual(new Set(Array.from({ length: 55 }, (_, i) => `mesaj ${i + 1}`)));
    expect(all).toHaveLength(55);
    const times = all.map((m) => Date.parse(m.sentAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(first.body.messages.at(-1)?.text).toBe('mesaj 55');
    expect((await thread(conversation.id, 'bm90LWEtY3Vyc29y')).status).toBe(400);
  });
});

describe('replies', () => {
  it('sends a text reply: queued at once, then sent, delivered and read by Meta’s status webhooks', async () => {
    const deniz = await conversationOf(customers.deniz);
    const id = clientId();
    const answer = await reply(
      deniz.id,
      { kind: 'text', text: 'Kargo 30 TL, 500 TL üzeri ücretsiz.', clientId: id },
      agent,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body.message).toMatchObject({
      direction: 'outbound',
      status: 'queued',
      clientId: id,
      authorId: agent.userId,
    });
    await replyReaches(deniz.id, answer.body.message.id, ['sent', 'delivered', 'read']);
    await replyReaches(deniz.id, answer.body.message.id, ['read']);
    const onPhone = (await fakeMessages()).filter((m) => m.text === 'Kargo 30 TL, 500 TL üzeri ücretsiz.');
    expect(onPhone).toHaveLength(1);
    expect(onPhone[0]).toMatchObject({
      customerId: customers.deniz.id,
      businessId: phoneNumberId,
      direction: 'to-customer',
    });
    const list = await conversations();
    expect(list.body.conversations[0]).toMatchObject({ id: deniz.id, preview: 'Kargo 30 TL, 500 TL üzeri ücretsiz.' });
  });

  it('stores and sends a reply once however often the same clientId is posted', async () => {
    const deniz = await conversationOf(customers.deniz);
    const body = { kind: 'text', text: 'Bir kez gitmeli', clientId: clientId() };
    const answers = await Promise.all([reply(deniz.id, body), reply(deniz.id, body), reply(deniz.id, body)]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const ids = new Set(answers.map((a) => a.body.message.id));
    expect(ids.size).toBe(1);
    await replyReaches(deniz.id, [...ids][0] as string, ['sent', 'delivered', 'read']);
    const again = await reply(deniz.id, body);
    expect(again.body.message.id).toBe([...ids][0]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await fakeMessages()).filter((m) => m.text === 'Bir kez gitmeli')).toHaveLength(1);
    expect((await thread(deniz.id)).body.messages.filter((m) => m.text === 'Bir kez gitmeli')).toHaveLength(1);
  });

  it('refuses free text after the 24-hour window with 409 window_closed; a synced template goes', async () => {
    // A customer who last wrote two days ago (Meta delivers late messages with their own time).
    const waId = '905551230020';
    const body = Buffer.from(
      JSON.stringify({
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
                  contacts: [{ profile: { name: 'Eski Müşteri' }, wa_id: waId }],
                  messages: [
                    {
                      from: waId,
                      id: `wamid.OLD${randomBytes(8).toString('hex')}`,
                      timestamp: String(Math.floor(Date.now() / 1000) - 2 * 24 * 3600),
                      type: 'text',
                      text: { body: 'Geçen hafta sipariş verdim' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    );
    const delivered = await fetch(`${stack.url}/webhooks/meta`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
      },
      body: new Uint8Array(body),
    });
    expect(delivered.status).toBe(200);
    const old = await conversationOf({ name: 'Eski Müşteri' });
    expect(Date.parse(old.windowClosesAt ?? '')).toBeLessThan(Date.now());

    const refused = await reply(old.id, { kind: 'text', text: 'Merhaba!', clientId: clientId() });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('window_closed');
    expect((await thread(old.id)).body.messages.filter((m) => m.direction === 'outbound')).toEqual([]);

    const synced = await api.call<{
      templates: { name: string; language: string; status: string; variables: number }[];
    }>('POST', `${base()}/templates/sync`, { token: owner.accessToken });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body.templates).toContainEqual(
      expect.objectContaining({ name: 'order_update', language: 'tr', status: 'APPROVED', variables: 3 }),
    );
    expect((await api.call('POST', `${base()}/templates/sync`, { token: agent.accessToken })).status).toBe(403);
    const listed = await api.call<{ templates: unknown[] }>('GET', `${base()}/templates`, { token: agent.accessToken });
    expect(listed.body.templates.length).toBe(synced.body.templates.length);

    const wrongCount = await reply(old.id, {
      kind: 'template',
      name: 'order_update',
      language: 'tr',
      variables: ['Ali'],
      clientId: clientId(),
    });
    expect(wrongCount.status).toBe(400);
    const paused = await reply(old.id, {
      kind: 'template',
      name: 'winback_offer',
      language: 'tr',
      variables: ['Ali'],
      clientId: clientId(),
    });
    expect(paused.status).toBe(409);

    const template = await reply(old.id, {
      kind: 'template',
      name: 'order_update',
      language: 'tr',
      variables: ['Ali', 'A-1042', 'kargoya verildi'],
      clientId: clientId(),
    });
    expect(template.status, JSON.stringify(template.body)).toBe(202);
    await replyReaches(old.id, template.body.message.id, ['sent', 'delivered', 'read']);
    const sent = (await fakeMessages()).filter((m) => m.customerId === waId && m.direction === 'to-customer');
    expect(sent.map((m) => m.text)).toEqual(['[template order_update]']);
  });

  it('stores a permanent refusal (131026) as failed with a reason a person understands, never retried', async () => {
    const ayse = await conversationOf(customers.ayse);
    const sendsBefore = (await dev<{ requests: { method: string; path: string }[] }>('GET', '/state')).requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/${phoneNumberId}/messages`),
    ).length;
    await dev('POST', '/failures', {
      rate: 0,
      next: [{ status: 400, code: 131026, message: 'Message undeliverable' }],
    });
    const answer = await reply(ayse.id, { kind: 'text', text: 'Ulaşamayacak mesaj', clientId: clientId() });
    expect(answer.status).toBe(202);
    const failed = await replyReaches(ayse.id, answer.body.message.id, ['failed']);
    expect(failed.error).toMatchObject({ code: 131026, reason: 'undeliverable' });
    expect(failed.error?.title).toContain('undeliverable');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const sends = (await dev<{ requests: { method: string; path: string }[] }>('GET', '/state')).requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/${phoneNumberId}/messages`),
    );
    expect(sends.length - sendsBefore).toBe(1);
    expect((await replyReaches(ayse.id, answer.body.message.id, ['failed'])).status).toBe('failed');
  });

  it('paces sends through one number', async () => {
    const deniz = await conversationOf(customers.deniz);
    const texts = Array.from({ length: 8 }, (_, i) => `tempo ${i}`);
    const answers = await Promise.all(
      texts.map((text) => reply(deniz.id, { kind: 'text', text, clientId: clientId() })),
    );
    for (const answer of answers) await replyReaches(deniz.id, answer.body.message.id, ['sent', 'delivered', 'read']);
    const times = (await fakeMessages())
      .filter((m) => m.text?.startsWith('tempo '))
      .map((m) => m.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(8);
    const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
    // One slot every 50 ms whichever worker sends: 8 sends span at least 7 slots (less a little
    // for a request that travelled slower than the next; without the pace they land together).
    expect((times.at(-1) as number) - (times[0] as number), `gaps ${gaps.join(', ')}`).toBeGreaterThanOrEqual(
      7 * 50 - 25,
    );
  });

  it('with 20% of sends refused by Graph 429/500, every reply ends sent or dead-lettered with its reason, none twice', async () => {
    const sukru = await conversationOf(customers.sukru);
    await dev('POST', '/failures', { rate: 0.2, statuses: [429, 500] });
    const texts = Array.from({ length: 20 }, (_, i) => `dayanıklı ${i}`);
    try {
      const answers = await Promise.all(
        texts.map((text) => reply(sukru.id, { kind: 'text', text, clientId: clientId() })),
      );
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const ended = await eventually(async () => {
        const messages = (await thread(sukru.id)).body.messages.filter((m) => m.text?.startsWith('dayanıklı '));
        const done = messages.filter((m) => m.status !== 'queued');
        return done.length === 20 ? messages : undefined;
      }, 150_000);
      // The fake really refused some sends (with the seeded rate, several), so retries were exercised.
      const refused = (
        await dev<{ requests: { method: string; path: string; status: number }[] }>('GET', '/state')
      ).requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path.endsWith(`/${phoneNumberId}/messages`) &&
          (r.status === 429 || r.status === 500),
      );
      expect(refused.length).toBeGreaterThan(0);
      const failed = ended.filter((m) => m.status === 'failed');
      for (const message of failed) expect(['rate-limited', 'server']).toContain(message.error?.reason);
      expect(ended.filter((m) => ['sent', 'delivered', 'read'].includes(m.status))).toHaveLength(20 - failed.length);

      // The customer's phone holds each delivered reply once, and no failed one.
      const onPhone = (await fakeMessages()).filter((m) => m.text?.startsWith('dayanıklı '));
      const counts = new Map<string, number>();
      for (const m of onPhone) counts.set(m.text as string, (counts.get(m.text as string) ?? 0) + 1);
      for (const message of ended) {
        expect(counts.get(message.text as string) ?? 0).toBe(message.status === 'failed' ? 0 : 1);
      }
      if (failed.length > 0) {
        const cli = spawnSync('npm', ['run', '--silent', 'dlq', '--', 'list', 'outbound'], {
          cwd: ROOT,
          env: { ...process.env, ASISTONE_DATA_DIR: stack.dataDir },
          encoding: 'utf8',
        });
        expect(cli.stdout).toContain('SendLaterError');
      }
    } finally {
      await dev('DELETE', '/failures');
    }
  }, 200_000);
});

describe('other channels and kinds', () => {
  it('sends a media reply with its caption', async () => {
    const deniz = await conversationOf(customers.deniz);
    const answer = await reply(deniz.id, {
      kind: 'media',
      mediaKind: 'image',
      url: 'https://cdn.example.com/katalog.jpg',
      caption: 'Yeni katalog',
      clientId: clientId(),
    });
    expect(answer.status).toBe(202);
    expect(answer.body.message).toMatchObject({ type: 'image', text: 'Yeni katalog', status: 'queued' });
    await replyReaches(deniz.id, answer.body.message.id, ['sent', 'delivered', 'read']);
    const onPhone = (await fakeMessages()).filter((m) => m.text === 'Yeni katalog');
    expect(onPhone).toHaveLength(1);
  });

  it('shows typing to the customer (204)', async () => {
    const deniz = await conversationOf(customers.deniz);
    const typing = await api.call('POST', `${base()}/conversations/${deniz.id}/typing`, { token: agent.accessToken });
    expect(typing.status).toBe(204);
    expect(
      (await api.call('POST', `${base()}/conversations/${deniz.id}/typing`, { token: analyst.accessToken })).status,
    ).toBe(403);
  });

  it('answers a Messenger customer through the Send API', async () => {
    const login = await dev<{ code: string; pageIds: string[] }>('POST', '/dialog/facebook-login/finish', {});
    const started = await api.call<{ loginId: string }>('POST', `${base()}/channels/messenger/login`, {
      token: owner.accessToken,
      body: { code: login.code },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const connected = await api.call('POST', `${base()}/channels/messenger`, {
      token: owner.accessToken,
      body: { loginId: started.body.loginId, pageIds: login.pageIds },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const pageId = login.pageIds[0] as string;
    const psid = '24680135792468013';
    await dev('POST', '/customer/messages', {
      channel: 'messenger',
      businessId: pageId,
      customer: { id: psid, name: 'Mert Demir' },
      text: 'Sayfadan yazıyorum',
    });
    const conversation = await eventually(async () =>
      (await conversations('?channel=messenger')).body.conversations.find((c) => c.preview === 'Sayfadan yazıyorum'),
    );
    expect(conversation.channel).toMatchObject({ kind: 'messenger', externalId: pageId });
    expect(Date.parse(conversation.windowClosesAt ?? '') - Date.parse(conversation.lastMessageAt)).toBe(
      7 * 24 * 3600 * 1000,
    );
    const answer = await reply(conversation.id, { kind: 'text', text: 'Messenger yanıtı', clientId: clientId() });
    expect(answer.status).toBe(202);
    await replyReaches(conversation.id, answer.body.message.id, ['sent', 'delivered', 'read']);
    const onPhone = (await fakeMessages()).filter((m) => m.text === 'Messenger yanıtı');
    expect(onPhone).toMatchObject([{ channel: 'messenger', businessId: pageId, customerId: psid }]);
    // Meta echoes the page's own sends: the thread still holds the reply once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const inThread = (await thread(conversation.id)).body.messages.filter((m) => m.text === 'Messenger yanıtı');
    expect(inThread).toHaveLength(1);
    // Templates are WhatsApp's.
    const template = await reply(conversation.id, {
      kind: 'template',
      name: 'order_update',
      language: 'tr',
      variables: ['a', 'b', 'c'],
      clientId: clientId(),
    });
    expect(template.status).toBe(400);
  });

  it('answers an Instagram customer through the Instagram Graph host', async () => {
    const login = await dev<{ code: string; instagramAccountId: string }>('POST', '/dialog/instagram-login/finish', {});
    const connected = await api.call('POST', `${base()}/channels/instagram`, {
      token: owner.accessToken,
      body: { code: login.code, redirectUri: `${stack.url}/settings/channels` },
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const igsid = '1357924680135792';
    await dev('POST', '/customer/messages', {
      channel: 'instagram',
      businessId: login.instagramAccountId,
      customer: { id: igsid, name: 'Zeynep Ak' },
      text: 'Bu çanta stokta mı?',
    });
    const conversation = await eventually(async () =>
      (await conversations('?channel=instagram')).body.conversations.find((c) => c.preview === 'Bu çanta stokta mı?'),
    );
    const answer = await reply(conversation.id, { kind: 'text', text: 'Evet, stokta', clientId: clientId() });
    expect(answer.status).toBe(202);
    await replyReaches(conversation.id, answer.body.message.id, ['sent', 'delivered', 'read']);
    expect((await fakeMessages()).filter((m) => m.text === 'Evet, stokta')).toMatchObject([
      { channel: 'instagram', businessId: login.instagramAccountId, customerId: igsid },
    ]);
  });

  it('marks a sandbox reply sent, delivered and read without any provider', async () => {
    const sandbox = await api.call('POST', `${base()}/channels/sandbox`, { token: owner.accessToken });
    expect(sandbox.status, JSON.stringify(sandbox.body)).toBe(201);
    const wrote = await api.call<{ conversationId: string }>('POST', `${base()}/channels/sandbox/customer-messages`, {
      token: agent.accessToken,
      body: { customerName: 'Deneme Müşteri', text: 'Simülatörden merhaba' },
    });
    expect(wrote.status, JSON.stringify(wrote.body)).toBeLessThan(300);
    const conversation = await eventually(async () =>
      (await conversations('?channel=sandbox')).body.conversations.find((c) => c.id === wrote.body.conversationId),
    );
    expect(conversation.windowClosesAt).toBeUndefined();
    const requestsBefore = (await dev<{ requests: unknown[] }>('GET', '/state')).requests.length;
    const answer = await reply(conversation.id, { kind: 'text', text: 'Sandbox yanıtı', clientId: clientId() });
    expect(answer.status).toBe(202);
    await replyReaches(conversation.id, answer.body.message.id, ['read']);
    expect((await dev<{ requests: unknown[] }>('GET', '/state')).requests.length).toBe(requestsBefore);
  });
});

describe('who may do what', () => {
  it('answers 404 for another business’s conversation, and changes nothing', async () => {
    const ayse = await conversationOf(customers.ayse);
    const theirs = `/businesses/${other.tenantId}/conversations/${ayse.id}`;
    expect((await api.call('GET', theirs, { token: other.accessToken })).status).toBe(404);
    expect((await api.call('GET', `${theirs}/messages`, { token: other.accessToken })).status).toBe(404);
    expect((await api.call('PATCH', theirs, { token: other.accessToken, body: { status: 'open' } })).status).toBe(404);
    expect((await api.call('POST', `${theirs}/notes`, { token: other.accessToken, body: { text: 'x' } })).status).toBe(
      404,
    );
    const sent = await api.call('POST', `${theirs}/messages`, {
      token: other.accessToken,
      body: { kind: 'text', text: 'sızma', clientId: clientId() },
    });
    expect(sent.status).toBe(404);
    // And into this business with the other business's token: not a member, so not found either.
    expect((await api.call('GET', `${base()}/conversations/${ayse.id}`, { token: other.accessToken })).status).toBe(
      404,
    );
    expect((await fakeMessages()).some((m) => m.text === 'sızma')).toBe(false);
  });

  it('follows the role matrix: an analyst cannot read conversations, an agent replies', async () => {
    expect((await conversations('', analyst)).status).toBe(403);
    const deniz = await conversationOf(customers.deniz);
    const refused = await reply(deniz.id, { kind: 'text', text: 'analist yazamaz', clientId: clientId() }, analyst);
    expect(refused.status).toBe(403);
    expect((await conversations('', agent)).status).toBe(200);
    const answered = await reply(deniz.id, { kind: 'text', text: 'temsilci yazar', clientId: clientId() }, agent);
    expect(answered.status).toBe(202);
  });

  it('refuses malformed replies with 400 and stores nothing', async () => {
    const deniz = await conversationOf(customers.deniz);
    const before = (await thread(deniz.id)).body.messages.length;
    for (const body of [
      { kind: 'text', text: '', clientId: clientId() },
      { kind: 'text', text: 'kimliksiz' },
      { kind: 'carrier-pigeon', text: 'x', clientId: clientId() },
      { kind: 'media', mediaKind: 'image', url: 'file:///etc/passwd', clientId: clientId() },
      { kind: 'template', name: 'order_update', language: 'tr', variables: [], clientId: 'x' },
    ]) {
      expect((await reply(deniz.id, body)).status).toBe(400);
    }
    expect((await thread(deniz.id)).body.messages.length).toBe(before);
  });
});
