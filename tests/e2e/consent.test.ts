import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Consent on a real `npm start`: a WhatsApp customer writes DUR through the fake Meta (a signed
 * webhook to /webhooks/meta, redelivered as Meta may), their marketing consent is withdrawn and
 * they get one confirmation in Turkish; BAŞLA gives it back; the team reads and records consent
 * through the API, audited; the wording is sealed in the table.
 */

interface Consents {
  current: { channel: string; purpose: string; state: string; source: string; at: string }[];
  history: {
    id: string;
    channel: string;
    purpose: string;
    state: string;
    source: string;
    wording: string;
    actor: string;
  }[];
}
interface FakeMessage {
  id: string;
  customerId: string;
  direction: 'from-customer' | 'to-customer';
  text?: string;
  at: number;
}

const CONFIRM_WITHDRAWN = 'Pazarlama mesajları artık gönderilmeyecek. Yeniden almak için BAŞLA yazın.';
const AGENT_WORDING = 'Telefonda soruldu: kampanya SMSleri almak ister misiniz? Cevap: evet, Zeynep Ekinci';
const customer = { id: '905559870001', name: 'Zeynep Ekinci' };

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let phoneNumberId: string;
let wabaId: string;
let contactId: string;

const meta = () => fakeMetaClient(stack.url);
const consentsPath = (tenantId = owner.tenantId, contact = contactId) =>
  `/businesses/${tenantId}/contacts/${contact}/consents`;

async function consents(as: { accessToken: string } = owner) {
  return api.call<Consents>('GET', consentsPath(), { token: as.accessToken });
}

/** What the customer's phone received from the business. */
async function received(): Promise<FakeMessage[]> {
  const { messages } = await meta().dev<{ messages: FakeMessage[] }>('GET', '/state');
  return messages.filter((m) => m.customerId === customer.id && m.direction === 'to-customer');
}

/** The customer writes through the fake Meta; answers the message as the fake keeps it. */
async function customerWrites(text: string): Promise<FakeMessage> {
  const { messageId } = await meta().dev<{ messageId: string }>('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer,
    text,
  });
  const { messages } = await meta().dev<{ messages: FakeMessage[] }>('GET', '/state');
  return messages.find((m) => m.id === messageId) as FakeMessage;
}

/** The same message as Meta redelivers it (same wamid, same time), signed with the app secret. */
function redelivery(message: FakeMessage, text: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550000000', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: customer.name }, wa_id: customer.id }],
              messages: [
                {
                  from: customer.id,
                  id: message.id,
                  timestamp: String(Math.floor(message.at / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Izin');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  other = await newOwner(api, 'Baska');
  ({ phoneNumberId, wabaId } = await connectWhatsApp(api, owner));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a customer’s opt-out keyword', () => {
  it('DUR withdraws marketing consent and is confirmed once in Turkish, though Meta delivers it three times', async () => {
    const dur = await customerWrites('DUR');
    const duplicatesBefore = (stack.output().match(/"duplicates":1/g) ?? []).length;
    expect(await meta().deliver(redelivery(dur, 'DUR'))).toBe(200);
    expect(await meta().deliver(redelivery(dur, 'DUR'))).toBe(200);

    const conversation = await eventually(async () => {
      const list = await api.call<{ conversations: { contact: { id: string; name?: string } }[] }>(
        'GET',
        `/businesses/${owner.tenantId}/conversations`,
        { token: owner.accessToken },
      );
      return list.body.conversations.find((c) => c.contact.name === customer.name);
    });
    contactId = conversation.contact.id;

    const ledger = await eventually(async () => {
      const answer = await consents();
      return answer.body.current?.length ? answer.body : undefined;
    });
    expect(ledger.current).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'customer-keyword',
      }),
    ]);
    expect(ledger.history).toEqual([
      expect.objectContaining({ state: 'withdrawn', source: 'customer-keyword', wording: 'DUR', actor: 'customer' }),
    ]);

    // Both redeliveries processed (as duplicates), and the confirmation on the customer's phone.
    await eventually(async () =>
      (stack.output().match(/"duplicates":1/g) ?? []).length >= duplicatesBefore + 2 ? true : undefined,
    );
    await eventually(async () => ((await received()).length > 0 ? true : undefined));
    // Anything sent twice would be on its way by now: the outbound poller delivers within a second.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await received()).map((m) => m.text)).toEqual([CONFIRM_WITHDRAWN]);
    expect((await consents()).body.history).toHaveLength(1);
  });

  it('BAŞLA gives marketing consent back, confirmed', async () => {
    await customerWrites('BAŞLA');
    const ledger = await eventually(async () => {
      const answer = await consents();
      return answer.body.history.length === 2 ? answer.body : undefined;
    });
    expect(ledger.current).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'granted',
        source: 'customer-keyword',
      }),
    ]);
    expect(ledger.history.map((e) => [e.state, e.wording])).toEqual([
      ['granted', 'BAŞLA'],
      ['withdrawn', 'DUR'],
    ]);
    await eventually(async () => ((await received()).length === 2 ? true : undefined));
    expect((await received())[1]?.text).toMatch(/DUR yazın/);
  });

  it('a message that only mentions a keyword changes nothing', async () => {
    await customerWrites('Durum nedir? stop please');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await consents()).body.history).toHaveLength(2);
    expect(await received()).toHaveLength(2);
  });
});

describe('the sandbox simulator', () => {
  it('its customer’s STOP withdraws consent on the sandbox channel and is confirmed in English', async () => {
    const base = `/businesses/${owner.tenantId}/channels/sandbox`;
    expect((await api.call('POST', base, { token: owner.accessToken })).status).toBe(201);
    const sent = await api.call<{ conversationId: string }>('POST', `${base}/customer-messages`, {
      token: owner.accessToken,
      body: { customerName: 'Deneme Müşteri', text: 'Stop' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const conversation = await api.call<{ contact: { id: string } }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations/${sent.body.conversationId}`,
      { token: owner.accessToken },
    );
    const ledger = await api.call<Consents>('GET', consentsPath(owner.tenantId, conversation.body.contact.id), {
      token: owner.accessToken,
    });
    expect(ledger.body.current).toEqual([
      expect.objectContaining({
        channel: 'sandbox',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'customer-keyword',
      }),
    ]);
    const thread = await eventually(async () => {
      const answer = await api.call<{ messages: { direction: string; text?: string; status: string }[] }>(
        'GET',
        `${base}/customer-messages?customerName=${encodeURIComponent('Deneme Müşteri')}`,
        { token: owner.accessToken },
      );
      const replies = answer.body.messages.filter((m) => m.direction === 'to-customer');
      return replies.length > 0 ? replies : undefined;
    });
    expect(thread.map((m) => m.text)).toEqual([
      'You will no longer get marketing messages. Reply START to opt back in.',
    ]);
  });
});

describe('the team and the ledger', () => {
  it('an agent records consent with its wording; it is audited without the wording', async () => {
    const recorded = await api.call<Consents>('POST', consentsPath(), {
      token: agent.accessToken,
      body: { channel: 'sms', purpose: 'marketing', state: 'granted', wording: AGENT_WORDING },
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body.current).toContainEqual(
      expect.objectContaining({ channel: 'sms', purpose: 'marketing', state: 'granted', source: 'agent' }),
    );
    expect(recorded.body.history[0]).toMatchObject({ source: 'agent', actor: agent.userId, wording: AGENT_WORDING });

    const audit = await api.call<{ entries: { action: string; actorId: string; target: string; detail: unknown }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit?action=contact.consent_changed`,
      { token: owner.accessToken },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        actorId: agent.userId,
        target: `contact:${contactId}`,
        detail: expect.objectContaining({ channel: 'sms', purpose: 'marketing', state: 'granted' }),
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain('Telefonda');
  });

  it('refuses an analyst (403), another business (404), an unknown contact (404) and bad input (400), changing nothing', async () => {
    const body = { channel: 'whatsapp', purpose: 'marketing', state: 'withdrawn', wording: 'x' };
    expect((await consents(analyst)).status).toBe(403);
    expect((await api.call('POST', consentsPath(), { token: analyst.accessToken, body })).status).toBe(403);
    // Another business's owner, under their own business, does not find this contact.
    const elsewhere = consentsPath(other.tenantId);
    expect((await api.call('GET', elsewhere, { token: other.accessToken })).status).toBe(404);
    expect((await api.call('POST', elsewhere, { token: other.accessToken, body })).status).toBe(404);
    const unknown = consentsPath(owner.tenantId, `ct_${'A'.repeat(24)}`);
    expect((await api.call('GET', unknown, { token: owner.accessToken })).status).toBe(404);
    expect(
      (await api.call('GET', consentsPath(owner.tenantId, 'not-a-contact'), { token: owner.accessToken })).status,
    ).toBe(404);
    for (const bad of [
      { ...body, state: 'maybe' },
      { ...body, channel: 'fax' },
      { ...body, purpose: 'spam' },
      { ...body, wording: '   ' },
      { channel: 'whatsapp', purpose: 'marketing', state: 'withdrawn' },
    ]) {
      const refused = await api.call('POST', consentsPath(), { token: owner.accessToken, body: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await consents()).body.history).toHaveLength(3);
  });

  it('keeps the wording sealed in the table', async () => {
    const items = await localAws(stack.dataDir).dumpTable();
    // The demo business's own customers have entries of their own: the seeded campaign customers'
    // (`demo_…`) and, once the demo shop's backfill has run, Shopify's email and SMS consents.
    const entries = items.filter(
      (item) =>
        item.__edb_e__ === 'consentEntry' && !String(item.entryId).startsWith('demo_') && item.source !== 'shopify',
    );
    // DUR, BAŞLA and the agent's for the WhatsApp customer; the sandbox customer's Stop.
    expect(entries).toHaveLength(4);
    for (const entry of entries) {
      expect(String(entry.wording)).toMatch(/^v1\./);
      expect(['DUR', 'BAŞLA', 'Stop', AGENT_WORDING]).not.toContain(entry.wording);
    }
    const dump = items.map((item) => JSON.stringify(item)).join('\n');
    expect(dump).not.toContain('Telefonda soruldu');
    expect(dump).not.toContain('BAŞLA');
    expect(stack.output()).not.toContain('Telefonda soruldu');
  });
});
