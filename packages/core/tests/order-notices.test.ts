import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_SETTINGS_RECORDS } from '../src/campaigns/settings-records.js';
import { recordConsent } from '../src/inbox/consent.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { ResendEmail } from '../src/notify/resend.js';
import { type OrderNoticeDeps, processOrderNotices } from '../src/order-notices/notices.js';
import { ORDER_NOTICE_RECORDS } from '../src/order-notices/records.js';
import { DEFAULT_NOTICE_SETTINGS, saveNoticeSettings } from '../src/order-notices/settings.js';
import { noticesOfOrder } from '../src/order-notices/views.js';
import { NOTICE_CHANNEL_RECORDS, noticeChannels } from '../src/order-notices/wiring.js';
import { ValidationError } from '../src/platform/errors.js';
import type { Store } from '../src/platform/store/service.js';
import { applyOrder } from '../src/shopify/apply.js';
import { OrderWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { seedSmsAccount } from '../src/sms/account.js';
import { NetgsmBusyError, type NetgsmClient, NetgsmRefusedError, type NetgsmSend } from '../src/sms/netgsm.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Order and shipping notices against the local DynamoDB emulator, through the real tracked-mail
 * and NetGSM code: only Resend's and NetGSM's HTTP clients are stand-ins (recording what would
 * leave). Orders arrive as Shopify's webhook bodies through applyOrder, whose `orderSeen` runs
 * the notices as the `order-notices` worker does.
 */
let test: TestPlatform;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const records = {
  ...ORDER_NOTICE_RECORDS,
  ...SHOPIFY_STORE_RECORDS,
  ...INBOX_RECORDS,
  ...TENANCY_RECORDS,
  ...NOTICE_CHANNEL_RECORDS,
  ...CAMPAIGN_SETTINGS_RECORDS,
};
let store: Store<typeof records>;
let mails: ResendEmail[] = [];
let sms: NetgsmSend[] = [];
let queued: unknown[] = [];
let deps: OrderNoticeDeps;
let now = Date.parse('2026-11-30T12:00:00Z');

const SHOP = { tenantId: 't_notices', number: '100000000000601', waba: '100000000000602' };
const NO_SMS = 't_notices_nosms';

/** Numbers NetGSM refuses for good (code 40), or is too busy for right now (code 80). */
const REFUSED = '905550000040';
let busy = new Set<string>();
const netgsm: NetgsmClient = {
  async send(_credentials, body) {
    const to = body.messages[0]?.no ?? '';
    if (to === REFUSED) throw new NetgsmRefusedError('40');
    if (busy.has(to)) throw new NetgsmBusyError('80');
    sms.push(body);
    return { jobId: `job${sms.length}` };
  },
  async report() {
    return [];
  },
  async headers() {
    return ['CICEKCI'];
  },
};

beforeAll(async () => {
  test = await startTestPlatform();
  const { keyring, storeOf } = test.platform;
  store = storeOf(records);
  for (const [tenantId, name] of [
    [SHOP.tenantId, 'Çiçekçi'],
    [NO_SMS, 'Kitapçı'],
  ] as const) {
    await createTenant({ store, keyring }, tenantId, name);
    await saveNoticeSettings(store, tenantId, 'u_owner', {
      confirmed: { ...DEFAULT_NOTICE_SETTINGS.confirmed, channels: ['email', 'sms'] },
      shipped: { ...DEFAULT_NOTICE_SETTINGS.shipped, channels: ['email', 'sms'] },
    });
  }
  await connectWhatsAppNumber({ store, keyring }, SHOP.tenantId, SHOP.number, 'Çiçekçi', SHOP.waba);
  await seedSmsAccount({ store, keyring }, SHOP.tenantId, {
    usercode: '8508001122',
    password: 'pw',
    msgheader: 'CICEKCI',
  });
  deps = {
    store,
    keyring,
    producer: {
      async send(_queue, message) {
        queued.push(message);
      },
    },
    log: quiet,
    now: () => now,
    channels: noticeChannels({
      storeOf,
      keyring,
      resend: () => ({
        async sendEmail(email) {
          mails.push(email);
          return { id: `em_${mails.length}` };
        },
      }),
      mailFrom: 'Asistone <no-reply@asistone.ai>',
      netgsm,
      log: quiet,
    }),
  };
});
afterAll(() => test.stop());
beforeEach(() => {
  mails = [];
  sms = [];
  queued = [];
  busy = new Set();
  now = Date.parse('2026-11-30T12:00:00Z');
});

let nextOrder = 5_900_000_000_000;
/** An `orders/*` webhook body, created `ageHours` before now. */
function orderBody(overrides: Record<string, unknown> = {}, ageHours = 1) {
  const id = String(nextOrder++);
  const created = new Date(now - ageHours * 3_600_000).toISOString();
  return {
    id: Number(id),
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: '#1001',
    email: 'ayse@example.com',
    phone: '+905551112233',
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    created_at: created,
    updated_at: created,
    line_items: [],
    shipping_address: {
      first_name: 'Ayşe',
      last_name: 'Yılmaz',
      city: 'İstanbul',
      country: 'Turkey',
      country_code: 'TR',
    },
    fulfillments: [],
    subtotal_price: '599.60',
    total_discounts: '0.00',
    total_tax: '0.00',
    total_price: '629.49',
    ...overrides,
  };
}

/** Applies a delivery as the webhook worker and the reconcile do, with `orderSeen` running the notices. */
async function deliver(tenantId: string, body: Record<string, unknown>) {
  await applyOrder(
    {
      store,
      keyring: test.platform.keyring,
      orderSeen: (tenant, orderId) => processOrderNotices(deps, { tenantId: tenant, orderId }),
    },
    tenantId,
    OrderWebhook.parse(body),
  );
}
const orderIdOf = (body: Record<string, unknown>) => String(body.admin_graphql_api_id).split('/').pop() as string;
const viewDeps = () => ({ store, channels: deps.channels });

describe('order confirmed', () => {
  it('is sent once per channel though the webhook comes three times and the reconcile brings a newer version', async () => {
    const body = orderBody();
    await deliver(SHOP.tenantId, body);
    await deliver(SHOP.tenantId, body);
    await deliver(SHOP.tenantId, body);
    // The reconcile: the same order, paid a minute later.
    await deliver(SHOP.tenantId, { ...body, updated_at: new Date(now + 60_000).toISOString() });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['ayse@example.com']);
    expect(mails[0]?.from).toBe('"Çiçekçi" <no-reply@asistone.ai>');
    expect(mails[0]?.subject).toBe('Çiçekçi: #1001 numaralı siparişiniz alındı');
    expect(mails[0]?.text).toContain('Merhaba Ayşe Yılmaz');
    expect(mails[0]?.text).toContain('629,49 TRY');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ iysfilter: '0', msgheader: 'CICEKCI', messages: [{ no: '905551112233' }] });
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(body));
    expect(notices.map(({ event, channel, state, language }) => ({ event, channel, state, language }))).toEqual([
      { event: 'confirmed', channel: 'email', state: 'sent', language: 'tr' },
      { event: 'confirmed', channel: 'sms', state: 'sent', language: 'tr' },
    ]);
    // Both count in the customer's message budget (campaigns and cart reminders hold back after them).
    const contactId = contactIdOf(await test.platform.keyring.forTenant(SHOP.tenantId), 'whatsapp', '905551112233');
    const { data: touch } = await store.entities.campaignTouch
      .get({ tenantId: SHOP.tenantId, contactId })
      .go({ consistent: true });
    expect(touch?.count).toBe(2);
  });

  it('is never sent for an old order a reconcile or a late webhook brings, nor for a cancelled one', async () => {
    const old = orderBody({}, 30);
    await deliver(SHOP.tenantId, old);
    const cancelled = orderBody({ cancelled_at: new Date(now).toISOString(), cancel_reason: 'customer' });
    await deliver(SHOP.tenantId, cancelled);
    expect(mails).toHaveLength(0);
    expect(sms).toHaveLength(0);
    expect((await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(old))).notices).toEqual([]);
  });

  it('is worded in English for an order shipped abroad', async () => {
    const body = orderBody({
      email: 'john@example.com',
      shipping_address: { first_name: 'John', last_name: 'Smith', country: 'Germany', country_code: 'DE' },
    });
    await deliver(SHOP.tenantId, body);
    expect(mails[0]?.subject).toBe('Çiçekçi: your order #1001 is confirmed');
    expect(mails[0]?.text).toContain('Total: 629.49 TRY');
    expect(sms[0]?.messages[0]?.msg).toMatch(/^Hello John Smith, we have received your order #1001/);
  });

  it("speaks the customer's storefront language over the shipping country, either way", async () => {
    // Shipped to Türkiye by someone who shopped the English storefront: English.
    const visitor = orderBody({ customer_locale: 'en', email: 'visitor@example.com' });
    await deliver(SHOP.tenantId, visitor);
    expect(mails[0]?.subject).toBe('Çiçekçi: your order #1001 is confirmed');
    expect(sms[0]?.messages[0]?.msg).toMatch(/^Hello Ayşe Yılmaz, we have received your order #1001/);
    // Shipped to Germany by someone who shopped in Turkish (`tr-TR`): Turkish.
    const abroad = orderBody({
      customer_locale: 'tr-TR',
      email: 'gurbet@example.com',
      shipping_address: { first_name: 'Deniz', last_name: 'Kaya', country: 'Germany', country_code: 'DE' },
    });
    await deliver(SHOP.tenantId, abroad);
    expect(mails[1]?.subject).toBe('Çiçekçi: #1001 numaralı siparişiniz alındı');
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(visitor));
    expect(notices.map(({ language }) => language)).toEqual(['en', 'en']);
  });
});

describe('once, under retries and races', () => {
  it('sends once when three workers handle the same order at the same moment', async () => {
    const body = orderBody();
    await applyOrder({ store, keyring: test.platform.keyring }, SHOP.tenantId, OrderWebhook.parse(body));
    const message = { tenantId: SHOP.tenantId, orderId: orderIdOf(body) };
    await Promise.all([1, 2, 3].map(() => processOrderNotices(deps, message)));
    expect(mails).toHaveLength(1);
    expect(sms).toHaveLength(1);
  });

  it('takes over a claim left by a sender that stopped, and leaves a fresh one to its sender', async () => {
    const body = orderBody();
    await applyOrder({ store, keyring: test.platform.keyring }, SHOP.tenantId, OrderWebhook.parse(body));
    const orderId = orderIdOf(body);
    const claim = (channel: 'email' | 'sms', ageMs: number) =>
      store.entities.orderNotice
        .put({
          tenantId: SHOP.tenantId,
          orderId,
          event: 'confirmed',
          channel,
          state: 'sending',
          ref: `order-notice/${orderId}/confirmed`,
          claimedAt: now - ageMs,
        })
        .go();
    await claim('email', 3 * 60_000);
    await claim('sms', 10_000);
    await processOrderNotices(deps, { tenantId: SHOP.tenantId, orderId });
    expect(mails).toHaveLength(1);
    expect(sms).toHaveLength(0);
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderId);
    expect(notices.map((n) => [n.channel, n.state])).toEqual([
      ['email', 'sent'],
      ['sms', 'sending'],
    ]);
  });

  it('records a refusal for good as failed with its reason, and retries a busy provider without sending twice', async () => {
    const refused = orderBody({ phone: `+${REFUSED}` });
    await deliver(SHOP.tenantId, refused);
    const failed = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(refused));
    expect(failed.notices.find((n) => n.channel === 'sms')).toMatchObject({
      state: 'failed',
      reason: 'The sender header (msgheader) is not defined on this NetGSM account',
    });
    expect(mails).toHaveLength(1);

    busy = new Set(['905557770000']);
    const later = orderBody({ phone: '+905557770000' });
    await applyOrder({ store, keyring: test.platform.keyring }, SHOP.tenantId, OrderWebhook.parse(later));
    const message = { tenantId: SHOP.tenantId, orderId: orderIdOf(later) };
    // The email still goes; the SMS is thrown back to the queue.
    await expect(processOrderNotices(deps, message)).rejects.toBeInstanceOf(NetgsmBusyError);
    expect(mails).toHaveLength(2);
    expect(sms).toHaveLength(0);
    busy = new Set();
    // The queue's retry, after the lease.
    now += 3 * 60_000;
    await processOrderNotices(deps, message);
    expect(mails).toHaveLength(2);
    expect(sms).toHaveLength(1);
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(later));
    expect(notices.map((n) => [n.channel, n.state])).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
  });
});

describe('order shipped', () => {
  it('is sent once when a fulfillment with tracking appears, with the tracking link', async () => {
    const body = orderBody();
    await deliver(SHOP.tenantId, body);
    expect(mails).toHaveLength(1);
    const shipped = {
      ...body,
      fulfillment_status: 'fulfilled',
      updated_at: new Date(now + 120_000).toISOString(),
      fulfillments: [
        {
          id: 255858046,
          admin_graphql_api_id: 'gid://shopify/Fulfillment/255858046',
          status: 'success',
          tracking_company: 'Yurtiçi Kargo',
          tracking_number: 'YK123456',
          tracking_numbers: ['YK123456'],
          tracking_url: 'https://kargo.example/takip/YK123456',
          tracking_urls: ['https://kargo.example/takip/YK123456'],
          created_at: new Date(now + 120_000).toISOString(),
          updated_at: new Date(now + 120_000).toISOString(),
        },
      ],
    };
    await deliver(SHOP.tenantId, shipped);
    await deliver(SHOP.tenantId, { ...shipped, updated_at: new Date(now + 180_000).toISOString() });
    expect(mails).toHaveLength(2);
    expect(mails[1]?.subject).toBe('Çiçekçi: #1001 numaralı siparişiniz kargoda');
    expect(mails[1]?.html).toContain('<a href="https://kargo.example/takip/YK123456">');
    expect(sms).toHaveLength(2);
    expect(sms[1]?.messages[0]?.msg).toContain('Takip: https://kargo.example/takip/YK123456');
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(body));
    expect(notices.map((n) => `${n.event}/${n.channel}/${n.state}`)).toEqual([
      'confirmed/email/sent',
      'confirmed/sms/sent',
      'shipped/email/sent',
      'shipped/sms/sent',
    ]);
  });
});

describe('skipped, with the reason', () => {
  it('skips every channel for a contact who restricted processing', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const contactId = contactIdOf(keys, 'whatsapp', '905559998877');
    await store.entities.contact.put({ tenantId: SHOP.tenantId, contactId, restricted: true, restrictedAt: now }).go();
    const body = orderBody({ phone: '+90 555 999 88 77' });
    await deliver(SHOP.tenantId, body);
    expect(mails).toHaveLength(0);
    expect(sms).toHaveLength(0);
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(body));
    expect(notices.map((n) => [n.channel, n.state, n.reason])).toEqual([
      ['email', 'skipped', 'restricted'],
      ['sms', 'skipped', 'restricted'],
    ]);
  });

  it('skips the channel a contact opted out of, and still sends the others', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const contactId = contactIdOf(keys, 'whatsapp', '905554443322');
    await store.entities.contact.put({ tenantId: SHOP.tenantId, contactId }).go();
    await recordConsent(
      { store, keys },
      {
        tenantId: SHOP.tenantId,
        contactId,
        channel: 'sms',
        purpose: 'utility',
        state: 'withdrawn',
        source: 'agent',
        at: now - 1000,
        wording: 'Sipariş SMS’i istemiyorum',
        actor: 'u_agent',
        entryId: 'ce_test_optout',
      },
    );
    const body = orderBody({ phone: '+905554443322' });
    await deliver(SHOP.tenantId, body);
    expect(mails).toHaveLength(1);
    expect(sms).toHaveLength(0);
    const { notices } = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(body));
    expect(notices.map((n) => [n.channel, n.state, n.reason])).toEqual([
      ['email', 'sent', null],
      ['sms', 'skipped', 'opted out'],
    ]);
  });

  it('skips SMS for a business without a NetGSM account, and email for an order without an address', async () => {
    const body = orderBody({ email: null });
    await deliver(NO_SMS, body);
    expect(mails).toHaveLength(0);
    expect(sms).toHaveLength(0);
    const { notices } = await noticesOfOrder(viewDeps(), NO_SMS, orderIdOf(body));
    expect(notices.map((n) => [n.channel, n.state, n.reason])).toEqual([
      ['email', 'skipped', 'no email address'],
      ['sms', 'skipped', 'SMS not configured'],
    ]);
  });

  it('skips WhatsApp without an approved utility template, and sends the template into a conversation with one', async () => {
    const template = { name: 'siparis_onay', language: 'tr', variables: ['customer', 'order'] as const };
    await saveNoticeSettings(store, SHOP.tenantId, 'u_owner', {
      confirmed: { ...DEFAULT_NOTICE_SETTINGS.confirmed, channels: ['whatsapp'], whatsappTemplate: template },
      shipped: DEFAULT_NOTICE_SETTINGS.shipped,
    });
    const first = orderBody({ phone: '+905551230000' });
    await deliver(SHOP.tenantId, first);
    expect(queued).toHaveLength(0);
    await store.entities.template
      .put({
        tenantId: SHOP.tenantId,
        wabaId: SHOP.waba,
        name: 'siparis_onay',
        language: 'tr',
        status: 'APPROVED',
        category: 'UTILITY',
        variableCount: 2,
        syncedAt: now,
      })
      .go();
    const second = orderBody({ phone: '+905551230001' });
    await deliver(SHOP.tenantId, second);
    await deliver(SHOP.tenantId, second);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ kind: 'send', tenantId: SHOP.tenantId });
    const skipped = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(first));
    expect(skipped.notices.map((n) => [n.channel, n.state, n.reason])).toEqual([
      ['whatsapp', 'skipped', 'no approved WhatsApp template'],
    ]);
    // Queued in the inbox (the outbound worker sends it): the conversation shows it.
    const sent = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(second));
    expect(sent.notices.map((n) => [n.channel, n.state])).toEqual([['whatsapp', 'sending']]);
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const contactId = contactIdOf(keys, 'whatsapp', '905551230001');
    const conversations = await store.entities.conversation.query
      .byContact({ tenantId: SHOP.tenantId, contactId })
      .go();
    expect(conversations.data).toHaveLength(1);
    const messages = await store.entities.message.query
      .byConversation({ tenantId: SHOP.tenantId, conversationId: conversations.data[0]?.conversationId as string })
      .go();
    expect(messages.data.map((m) => [m.direction, m.type, m.status])).toEqual([['outbound', 'template', 'queued']]);
    // WhatsApp's status webhooks move the message on: the order's notice follows it.
    const message = messages.data[0] as (typeof messages.data)[number];
    await store.entities.message
      .patch({
        tenantId: SHOP.tenantId,
        conversationId: message.conversationId,
        sentAt: message.sentAt,
        messageId: message.messageId,
      })
      .set({ status: 'delivered', statusAt: now + 5000 })
      .go();
    const delivered = await noticesOfOrder(viewDeps(), SHOP.tenantId, orderIdOf(second));
    expect(delivered.notices).toEqual([
      expect.objectContaining({ channel: 'whatsapp', state: 'delivered', at: new Date(now + 5000).toISOString() }),
    ]);
  });
});

describe('settings', () => {
  it('refuses an unknown placeholder and WhatsApp without a template, and changes nothing', async () => {
    const before = await store.entities.orderNoticeSettings.get({ tenantId: NO_SMS }).go();
    await expect(
      saveNoticeSettings(store, NO_SMS, 'u_owner', {
        ...DEFAULT_NOTICE_SETTINGS,
        confirmed: {
          ...DEFAULT_NOTICE_SETTINGS.confirmed,
          wording: { ...DEFAULT_NOTICE_SETTINGS.confirmed.wording, tr: { subject: 'x', text: 'Kargo {{kargo_no}}' } },
        },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      saveNoticeSettings(store, NO_SMS, 'u_owner', {
        ...DEFAULT_NOTICE_SETTINGS,
        shipped: { ...DEFAULT_NOTICE_SETTINGS.shipped, channels: ['whatsapp'] },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    const after = await store.entities.orderNoticeSettings.get({ tenantId: NO_SMS }).go();
    expect(after.data).toEqual(before.data);
  });
});
