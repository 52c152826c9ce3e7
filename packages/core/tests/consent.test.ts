import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import {
  applyConsentKeyword,
  CONSENT_CONFIRMATIONS,
  consentKeywordOf,
  consentOf,
  recordConsent,
  setConsentByAgent,
} from '../src/inbox/consent.js';
import { type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { NotFoundError } from '../src/platform/errors.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/** The consent ledger and the customers' opt-out keywords, against the local DynamoDB emulator. */
let test: TestPlatform;
const SHOP = { tenantId: 't_consent', number: '100000000000501', waba: '100000000000502' };
const OTHER = 't_consent_other';
// An hour ago, in whole seconds: recent enough for the reply window the customer's message opens.
const SECOND = Math.floor(Date.now() / 1000) - 3600;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** What the outbound queue was handed (the queue is the product's own; its worker is tested elsewhere). */
const queued: unknown[] = [];
const producer = { send: async (_queue: unknown, request: unknown) => void queued.push(request) };

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, SHOP.tenantId, 'Çiçekçi');
  await createTenant(deps, OTHER, 'Başka');
  await connectWhatsAppNumber(deps, SHOP.tenantId, SHOP.number, 'Dükkan', SHOP.waba);
}, 60_000);
afterAll(() => test.stop());

const keysOf = () => test.platform.keyring.forTenant(SHOP.tenantId);

let customer = 0;
/** A new customer's first message, recorded as the Meta worker records it. */
async function newContact(text = 'Merhaba') {
  customer++;
  const message: InboundMessage = {
    tenantId: SHOP.tenantId,
    channel: { kind: 'whatsapp', externalId: SHOP.number },
    sender: { externalId: `90555000${String(customer).padStart(4, '0')}`, phone: `+90555000${customer}` },
    providerMessageId: `wamid.first${customer}`,
    sentAt: SECOND * 1000,
    receivedAt: SECOND * 1000,
    position: 0,
    type: 'text',
    text,
  };
  return recordInbound({ store: test.platform.store, keys: await keysOf() }, message);
}

const entry = (contactId: string, entryId: string, at: number, state: 'granted' | 'withdrawn') => ({
  tenantId: SHOP.tenantId,
  contactId,
  channel: 'whatsapp' as const,
  purpose: 'marketing' as const,
  state,
  source: 'import' as const,
  at,
  wording: `Kampanyalardan haberdar olmak istiyorum (${entryId})`,
  actor: 'u_importer',
  entryId,
});

describe('the consent ledger', () => {
  it('keeps every entry and lets the latest by time stand, whatever the order they are written in', async () => {
    const { contactId } = await newContact();
    const deps = { store: test.platform.store, keys: await keysOf() };
    await recordConsent(deps, entry(contactId, 'e_late', 2_000, 'withdrawn'));
    await recordConsent(deps, entry(contactId, 'e_early', 1_000, 'granted'));
    const ledger = await consentOf(test.platform, SHOP.tenantId, contactId);
    expect(ledger.current).toEqual([
      {
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'import',
        at: new Date(2_000).toISOString(),
      },
    ]);
    expect(ledger.history.map((e) => [e.id, e.state])).toEqual([
      ['e_late', 'withdrawn'],
      ['e_early', 'granted'],
    ]);
    expect(ledger.history[1]).toMatchObject({
      wording: 'Kampanyalardan haberdar olmak istiyorum (e_early)',
      actor: 'u_importer',
    });

    // The same entry again (a retry) adds nothing and moves nothing.
    expect((await recordConsent(deps, entry(contactId, 'e_early', 1_000, 'granted'))).created).toBe(false);
    expect((await consentOf(test.platform, SHOP.tenantId, contactId)).history).toHaveLength(2);
  });

  it('loses no entry to concurrent grants and withdrawals, and the newest one stands', async () => {
    const { contactId } = await newContact();
    const deps = { store: test.platform.store, keys: await keysOf() };
    const times = [7, 3, 19, 11, 5, 17, 2, 13, 23, 29, 1, 31, 37, 41, 43, 47, 53, 59, 61, 67];
    await Promise.all(
      times.map((t, i) => recordConsent(deps, entry(contactId, `e_${i}`, t * 1000, i % 2 ? 'granted' : 'withdrawn'))),
    );
    const ledger = await consentOf(test.platform, SHOP.tenantId, contactId);
    expect(ledger.history).toHaveLength(times.length);
    expect(ledger.history.map((e) => Date.parse(e.at))).toEqual([...times].sort((a, b) => b - a).map((t) => t * 1000));
    const newest = times.indexOf(67);
    expect(ledger.current).toEqual([expect.objectContaining({ state: newest % 2 ? 'granted' : 'withdrawn' })]);
    expect(ledger.current[0]?.at).toBe(new Date(67_000).toISOString());
  });

  it('seals the wording with the tenant key: the stored item holds no plaintext', async () => {
    const { contactId } = await newContact();
    await recordConsent(
      { store: test.platform.store, keys: await keysOf() },
      entry(contactId, 'e_sealed', 1, 'granted'),
    );
    const raw = await test.platform.store.entities.consentEntry
      .get({ tenantId: SHOP.tenantId, contactId, entryId: 'e_sealed' })
      .go();
    expect(raw.data?.wording).toMatch(/^v1\./);
    expect(JSON.stringify(raw.data)).not.toContain('Kampanyalardan');
  });

  it('records an agent’s entry with its actor and audits it without the wording; another business’s contact is not there', async () => {
    const { contactId } = await newContact();
    const answer = await setConsentByAgent(
      test.platform,
      SHOP.tenantId,
      contactId,
      { userId: 'u_agent' },
      {
        channel: 'sms',
        purpose: 'utility',
        state: 'granted',
        wording: 'Sipariş durumunu SMS ile almak ister misiniz? Evet',
      },
    );
    expect(answer.current).toEqual([
      expect.objectContaining({ channel: 'sms', purpose: 'utility', state: 'granted', source: 'agent' }),
    ]);
    expect(answer.history[0]).toMatchObject({ actor: 'u_agent', source: 'agent' });
    const audit = await test.platform.store.entities.auditEvent.query
      .byTime({ tenantId: SHOP.tenantId })
      .go({ pages: 'all' });
    const event = audit.data.find((e) => e.action === 'contact.consent_changed' && e.targetId === contactId);
    expect(event).toMatchObject({
      actorId: 'u_agent',
      detail: { channel: 'sms', purpose: 'utility', state: 'granted' },
    });
    expect(JSON.stringify(event)).not.toContain('SMS ile');

    await expect(consentOf(test.platform, OTHER, contactId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      setConsentByAgent(
        test.platform,
        OTHER,
        contactId,
        { userId: 'u_agent' },
        {
          channel: 'sms',
          purpose: 'utility',
          state: 'withdrawn',
          wording: 'x',
        },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(
      await test.platform.store.entities.consentEntry.query.byContact({ tenantId: OTHER, contactId }).go(),
    ).toMatchObject({ data: [] });
  });
});

describe('opt-out keywords', () => {
  it.each([
    ['DUR', 'withdrawn', 'tr'],
    ['dur', 'withdrawn', 'tr'],
    ['Dur.', 'withdrawn', 'tr'],
    ['İptal', 'withdrawn', 'tr'],
    ['IPTAL', 'withdrawn', 'tr'],
    ['ıptal', 'withdrawn', 'tr'],
    ['iptal', 'withdrawn', 'tr'],
    ['ABONELİKTEN ÇIK', 'withdrawn', 'tr'],
    ['abonelikten cik', 'withdrawn', 'tr'],
    ['Abonelikten  Çık!', 'withdrawn', 'tr'],
    ['RET', 'withdrawn', 'tr'],
    [' STOP ', 'withdrawn', 'en'],
    ['Stop!', 'withdrawn', 'en'],
    ['UNSUBSCRIBE', 'withdrawn', 'en'],
    ['cancel', 'withdrawn', 'en'],
    ['OPT OUT', 'withdrawn', 'en'],
    ['opt-out', 'withdrawn', 'en'],
    ['STOPALL', 'withdrawn', 'en'],
    ['END', 'withdrawn', 'en'],
    ['Quit', 'withdrawn', 'en'],
    ['BAŞLA', 'granted', 'tr'],
    ['basla', 'granted', 'tr'],
    ['START', 'granted', 'en'],
    ['subscribe', 'granted', 'en'],
  ])('%j is a keyword: %s (%s)', (text, state, language) => {
    expect(consentKeywordOf(text)).toEqual({ state, language });
  });

  it.each([
    'stop please',
    'Durum nedir',
    'HAYIR İSTEMİYORUM',
    'hayır',
    'istemiyorum',
    'siparişimi iptal et',
    'durdurun artık şu kargoyu',
    'DURUM',
    'starter kit',
    '',
    '   ',
    'STOP'.repeat(20),
  ])('%j is not a keyword', (text) => {
    expect(consentKeywordOf(text)).toBeUndefined();
  });
});

describe('a customer writing a keyword', () => {
  /** A WhatsApp delivery of one text message, processed as the meta-events worker does. */
  function deliver(from: string, id: string, body: string, timestamp = SECOND + 60) {
    const payload = whatsappMessagesDelivery(
      SHOP,
      whatsappText({ phone: from, name: 'Ayşe Yılmaz' }, { id, body, sentAt: timestamp * 1000 }),
    );
    const { store, keyring } = test.platform;
    return processMetaDelivery(
      {
        store,
        keyring,
        log: quiet,
        onRecorded: async (message, recorded) => {
          await applyConsentKeyword({ store, keyring, producer, log: quiet }, message, recorded);
        },
      },
      metaDelivery(payload, Date.now()),
    );
  }

  /** The contact and the business's replies in the customer's one conversation. */
  async function customerState(from: string) {
    const keys = await keysOf();
    const { store } = test.platform;
    const all = await store.entities.conversation.query.byId({ tenantId: SHOP.tenantId }).go({ pages: 'all' });
    for (const conversation of all.data) {
      const contact = (
        await store.entities.contact.get({ tenantId: SHOP.tenantId, contactId: conversation.contactId }).go()
      ).data;
      if (!contact?.phone || keys.open('contact', 'phone', contact.contactId, contact.phone) !== `+${from}`) continue;
      const messages = await store.entities.message.query
        .byConversation({ tenantId: SHOP.tenantId, conversationId: conversation.conversationId })
        .go({ pages: 'all' });
      const replies = messages.data
        .filter((m) => m.direction === 'outbound')
        .map((m) => keys.open('message', 'text', m.messageId, m.text as string));
      return { contactId: contact.contactId, conversationId: conversation.conversationId, replies };
    }
    throw new Error('no conversation for this customer');
  }

  it('withdraws marketing consent on that channel once and confirms once in Turkish, however often Meta delivers it', async () => {
    const from = '905557770001';
    queued.length = 0;
    for (let i = 0; i < 3; i++) await deliver(from, 'wamid.DUR1', 'DUR');
    const { contactId, replies } = await customerState(from);
    const ledger = await consentOf(test.platform, SHOP.tenantId, contactId);
    expect(ledger.current).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'customer-keyword',
      }),
    ]);
    expect(ledger.history).toHaveLength(1);
    expect(ledger.history[0]).toMatchObject({
      wording: 'DUR',
      actor: 'customer',
      at: new Date((SECOND + 60) * 1000).toISOString(),
    });
    expect(replies).toEqual([CONSENT_CONFIRMATIONS.tr.withdrawn]);
    // queueReply hands a still-queued reply to the worker again on a retry; the worker sends a message once.
    expect(new Set(queued.map((q) => (q as { messageId: string }).messageId)).size).toBe(1);
  });

  it('gives consent again with START, confirmed in English, and leaves other messages alone', async () => {
    const from = '905557770002';
    await deliver(from, 'wamid.STOP2', ' stop ', SECOND + 100);
    await deliver(from, 'wamid.PLEASE2', 'stop please', SECOND + 110);
    await deliver(from, 'wamid.START2', 'START', SECOND + 120);
    const { contactId, replies } = await customerState(from);
    const ledger = await consentOf(test.platform, SHOP.tenantId, contactId);
    expect(ledger.history.map((e) => [e.state, e.wording])).toEqual([
      ['granted', 'START'],
      ['withdrawn', ' stop '],
    ]);
    expect(ledger.current).toEqual([expect.objectContaining({ state: 'granted', source: 'customer-keyword' })]);
    expect(replies).toEqual([CONSENT_CONFIRMATIONS.en.withdrawn, CONSENT_CONFIRMATIONS.en.granted]);
  });

  it('a keyword delivered late, after a newer agent entry, is kept in the history but does not override it', async () => {
    const from = '905557770003';
    await deliver(from, 'wamid.HELLO3', 'Merhaba', SECOND + 200);
    const { contactId } = await customerState(from);
    await setConsentByAgent(
      test.platform,
      SHOP.tenantId,
      contactId,
      { userId: 'u_agent' },
      {
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'granted',
        wording: 'Kampanya mesajları almak ister misiniz? Evet',
      },
    );
    // Sent by the customer long before the agent's entry, delivered only now.
    await deliver(from, 'wamid.DUR3', 'Dur', SECOND + 210);
    const ledger = await consentOf(test.platform, SHOP.tenantId, contactId);
    expect(ledger.history.map((e) => e.source)).toEqual(['agent', 'customer-keyword']);
    expect(ledger.current).toEqual([expect.objectContaining({ state: 'granted', source: 'agent' })]);
  });
});
