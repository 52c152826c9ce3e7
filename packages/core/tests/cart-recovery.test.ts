import { MAX_CART_STEPS } from '@asistone/contract/cart-recovery';
import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { DEFAULT_CAMPAIGN_SETTINGS, saveCampaignSettings } from '../src/campaigns/settings.js';
import { CAMPAIGN_SETTINGS_RECORDS } from '../src/campaigns/settings-records.js';
import { takeTouch } from '../src/campaigns/touch.js';
import { detectDueCarts } from '../src/cart-recovery/detection.js';
import { handleCartMessage } from '../src/cart-recovery/handle.js';
import type { CartRecoveryMessage } from '../src/cart-recovery/queue.js';
import { CART_RECOVERY_RECORDS } from '../src/cart-recovery/records.js';
import { cartSettingsOf, DEFAULT_CART_SETTINGS, saveCartSettings } from '../src/cart-recovery/settings.js';
import type { CartStepDeps } from '../src/cart-recovery/steps.js';
import { cartsPage } from '../src/cart-recovery/views.js';
import { recordConsent } from '../src/inbox/consent.js';
import { contactIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { ResendEmail } from '../src/notify/resend.js';
import { NOTICE_CHANNEL_RECORDS, noticeChannels } from '../src/order-notices/wiring.js';
import type { Store } from '../src/platform/store/service.js';
import {
  type ApplyDeps,
  applyCheckout,
  applyInventoryLevel,
  applyOrder,
  applyProduct,
  checkoutKeyOf,
} from '../src/shopify/apply.js';
import { CheckoutWebhook, InventoryLevelWebhook, OrderWebhook, ProductWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { seedSmsAccount } from '../src/sms/account.js';
import type { NetgsmClient, NetgsmSend } from '../src/sms/netgsm.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Abandoned-cart recovery against the local DynamoDB emulator, through the real Shopify apply
 * code (checkouts, orders, products and stock arrive as Shopify's webhook bodies), the real
 * detection run and step worker, and the real tracked-mail and NetGSM code: only Resend's and
 * NetGSM's HTTP clients are stand-ins, recording what would leave. The queue is a list: each
 * message the steps queue is handled as the `cart-recovery` worker would, some of them twice.
 */
let test: TestPlatform;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const records = {
  ...CART_RECOVERY_RECORDS,
  ...SHOPIFY_STORE_RECORDS,
  ...INBOX_RECORDS,
  ...TENANCY_RECORDS,
  ...CAMPAIGN_SETTINGS_RECORDS,
  ...NOTICE_CHANNEL_RECORDS,
  ...AUDIT_RECORDS,
};
let store: Store<typeof records>;
let mails: ResendEmail[] = [];
let texts: NetgsmSend[] = [];
let queue: CartRecoveryMessage[] = [];
let deps: CartStepDeps;
const START = Date.parse('2026-12-01T10:00:00Z'); // 13:00 in Istanbul, outside quiet hours
let now = START;
const MINUTE = 60_000;

const SHOP = 't_carts';
const PRODUCT_ID = 7_100_000_000_001;
const VARIANT_ID = 4_200_000_000_001;
const SOLD_OUT_VARIANT = 4_200_000_000_002;
const INVENTORY_ITEM = 4_300_000_000_001;
const SOLD_OUT_ITEM = 4_300_000_000_002;
const LOCATION = 6_500_000_001;
/** The shop's counter: sells over it, ships no online orders. */
const COUNTER = 6_500_000_002;
const COUNTER_ONLY_VARIANT = 4_200_000_000_003;
const COUNTER_ONLY_ITEM = 4_300_000_000_003;

const netgsm: NetgsmClient = {
  async send(_credentials, body) {
    texts.push(body);
    return { jobId: `job${texts.length}` };
  },
  async report() {
    return [];
  },
  async headers() {
    return ['CICEKCI'];
  },
};

const applyDeps = (): ApplyDeps => ({
  store,
  keyring: test.platform.keyring,
  checkoutSeen: async (tenantId, checkoutKey) => {
    queue.push({ kind: 'checkout', tenantId, checkoutKey });
  },
});

/** Handles what is queued, as the worker does, until nothing is left. */
async function drain() {
  while (queue.length > 0) {
    const message = queue.shift() as CartRecoveryMessage;
    await handleCartMessage(deps, message);
  }
}

/** The detection schedule's run at `at`, and the worker for what it queued (each step delivered twice). */
async function detectAt(at: number) {
  now = at;
  const run = await detectDueCarts({ store, producer: deps.producer as never }, at);
  const steps = [...queue];
  // SQS delivers at least once: every step message comes a second time.
  queue.push(...steps);
  await drain();
  return run;
}

let nextToken = 1;
function checkoutBody(overrides: Record<string, unknown> = {}) {
  const token = `ck_cart_${nextToken++}`;
  return {
    token,
    email: 'ayse@example.com',
    phone: '+905551112233',
    abandoned_checkout_url: `https://cicekci.example/checkouts/${token}/recover`,
    currency: 'TRY',
    line_items: [{ title: 'Gül buketi', product_id: PRODUCT_ID, variant_id: VARIANT_ID, quantity: 2, price: '250.00' }],
    subtotal_price: '500.00',
    total_price: '529.90',
    created_at: new Date(now).toISOString(),
    updated_at: new Date(now).toISOString(),
    ...overrides,
  };
}

async function checkoutArrives(body: Record<string, unknown>) {
  await applyCheckout(applyDeps(), SHOP, CheckoutWebhook.parse(body));
  await drain();
}

let nextOrder = 5_910_000_000_000;
async function orderArrives(token: string | undefined, at: number, customerId?: number) {
  const id = nextOrder++;
  const time = new Date(at).toISOString();
  await applyOrder(
    applyDeps(),
    SHOP,
    OrderWebhook.parse({
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: '#1042',
      email: 'ayse@example.com',
      currency: 'TRY',
      financial_status: 'paid',
      created_at: time,
      updated_at: time,
      line_items: [],
      fulfillments: [],
      total_price: '529.90',
      ...(token && { checkout_token: token }),
      ...(customerId && { customer: { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}` } }),
    }),
  );
  await drain();
  return String(id);
}

const cartOf = async (token: string) =>
  (
    await store.entities.cart
      .get({ tenantId: SHOP, checkoutKey: checkoutKeyOf(await test.platform.keyring.forTenant(SHOP), token) })
      .go({ consistent: true })
  ).data;

const PHONE = '+905551112233';
async function consents(channel: 'email' | 'sms', phone = PHONE) {
  const keys = await test.platform.keyring.forTenant(SHOP);
  const contactId = contactIdOf(keys, 'whatsapp', phone.slice(1));
  await store.entities.contact
    .upsert({
      tenantId: SHOP,
      contactId,
      phone: keys.seal('contact', 'phone', contactId, phone),
      phoneIndex: keys.blindIndex('phone', phone),
    })
    .go();
  await recordConsent(
    { store, keys },
    {
      tenantId: SHOP,
      contactId,
      channel,
      purpose: 'marketing',
      state: 'granted',
      source: 'shopify',
      at: START - 86_400_000,
      wording: `Shopify ${channel} marketing consent: subscribed`,
      actor: 'shopify',
      entryId: `test_${channel}_${phone}`,
      // Registered in İYS: a commercial SMS to a Turkish number needs it (campaigns/iys.ts).
      iys: true,
    },
  );
}

beforeAll(async () => {
  test = await startTestPlatform();
  const { keyring, storeOf } = test.platform;
  store = storeOf(records);
  await createTenant({ store, keyring }, SHOP, 'Çiçekçi');
  await seedSmsAccount({ store, keyring }, SHOP, { usercode: '8508001122', password: 'pw', msgheader: 'CICEKCI' });
  // The two-step default: an email when the cart is abandoned, an SMS a day later.
  await saveCartSettings(store, SHOP, 'u_owner', { ...DEFAULT_CART_SETTINGS, enabled: true });
  const stamp = new Date(START - 86_400_000).toISOString();
  await applyProduct(
    applyDeps(),
    SHOP,
    ProductWebhook.parse({
      id: PRODUCT_ID,
      title: 'Gül buketi',
      status: 'active',
      variants: [
        { id: VARIANT_ID, title: 'Kırmızı', price: '250.00', inventory_item_id: INVENTORY_ITEM },
        { id: SOLD_OUT_VARIANT, title: 'Beyaz', price: '250.00', inventory_item_id: SOLD_OUT_ITEM },
        { id: COUNTER_ONLY_VARIANT, title: 'Sarı', price: '250.00', inventory_item_id: COUNTER_ONLY_ITEM },
      ],
      created_at: stamp,
      updated_at: stamp,
    }),
  );
  for (const [item, location, available] of [
    [INVENTORY_ITEM, LOCATION, 12],
    [SOLD_OUT_ITEM, LOCATION, 0],
    // Five at the counter, none at the depot that ships online orders.
    [COUNTER_ONLY_ITEM, LOCATION, 0],
    [COUNTER_ONLY_ITEM, COUNTER, 5],
  ] as const) {
    await applyInventoryLevel(
      applyDeps(),
      SHOP,
      InventoryLevelWebhook.parse({ inventory_item_id: item, location_id: location, available, updated_at: stamp }),
    );
  }
  await consents('email');
  await consents('sms');
  // Three messages a week per customer, across campaigns, carts and order notices.
  await saveCampaignSettings(
    store,
    SHOP,
    { userId: 'u_owner' },
    { ...DEFAULT_CAMPAIGN_SETTINGS, frequencyCap: { max: 3, days: 7 } },
  );
  deps = {
    store,
    keyring,
    producer: {
      async send(_queue, message) {
        queue.push(message as CartRecoveryMessage);
      },
    },
    log: quiet,
    now: () => now,
    channels: noticeChannels(
      {
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
      },
      'commercial',
    ),
  };
});
afterAll(() => test.stop());
beforeEach(() => {
  mails = [];
  texts = [];
  queue = [];
  now = START;
});

describe('an abandoned cart', () => {
  it('gets the first step once when its delay has passed, and no second step after the order comes', async () => {
    const body = checkoutBody();
    await checkoutArrives(body);
    expect(await cartOf(body.token)).toMatchObject({ state: 'pending', nextStep: 0 });
    // Not yet an hour: nothing is due.
    expect((await detectAt(START + 30 * MINUTE)).due).toBe(0);
    expect(mails).toHaveLength(0);
    await detectAt(START + 61 * MINUTE);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['ayse@example.com']);
    expect(mails[0]?.subject).toBe('Çiçekçi: sepetiniz sizi bekliyor');
    expect(mails[0]?.text).toContain('2 × Gül buketi');
    expect(mails[0]?.text).toContain('529,90 TRY');
    expect(mails[0]?.text).toContain(`https://cicekci.example/checkouts/${body.token}/recover`);
    const contacted = await cartOf(body.token);
    expect(contacted).toMatchObject({ state: 'contacted', nextStep: 1 });
    expect(contacted?.history).toEqual([{ step: 1, channel: 'email', outcome: 'sent', at: START + 61 * MINUTE }]);
    // The same run again, and a late detection: the step is not sent twice.
    await detectAt(START + 62 * MINUTE);
    expect(mails).toHaveLength(1);
    // The customer comes back and buys from the checkout: recovered at once, with the order.
    const orderId = await orderArrives(body.token, START + 3 * 60 * MINUTE);
    expect(await cartOf(body.token)).toMatchObject({
      state: 'recovered',
      orderId,
      recoveredAmount: '529.90',
      recoveredAt: START + 3 * 60 * MINUTE,
    });
    // A day later the SMS step would have been due: nothing is found, nothing is sent.
    expect((await detectAt(START + 26 * 60 * MINUTE)).due).toBe(0);
    expect(texts).toHaveLength(0);
    expect(mails).toHaveLength(1);
  });

  it('completed within the delay is never a cart: nothing sent', async () => {
    const body = checkoutBody();
    await checkoutArrives(body);
    await orderArrives(body.token, START + 20 * MINUTE);
    expect(await cartOf(body.token)).toBeNull();
    await detectAt(START + 2 * 60 * MINUTE);
    expect(mails).toHaveLength(0);
    expect(texts).toHaveLength(0);
  });

  it('skips a step whose item is out of stock, with the reason, and goes on to the next', async () => {
    const body = checkoutBody({
      line_items: [
        { title: 'Gül buketi', product_id: PRODUCT_ID, variant_id: SOLD_OUT_VARIANT, quantity: 1, price: '250.00' },
      ],
    });
    await checkoutArrives(body);
    await detectAt(START + 61 * MINUTE);
    expect(mails).toHaveLength(0);
    const cart = await cartOf(body.token);
    expect(cart).toMatchObject({ state: 'pending', nextStep: 1 });
    expect(cart?.history).toEqual([
      { step: 1, channel: 'email', outcome: 'skipped', reason: 'out of stock: Gül buketi', at: START + 61 * MINUTE },
    ]);
    // Still out of stock the next day: the last step is skipped too, and the cart with it.
    await detectAt(START + (61 + 24 * 60) * MINUTE);
    expect(texts).toHaveLength(0);
    expect(await cartOf(body.token)).toMatchObject({ state: 'skipped', reason: 'out of stock: Gül buketi' });
  });

  it('looks for stock at the shipping location only, not at a counter that ships nothing', async () => {
    // As the reconcile lists them: the depot ships online orders, the counter does not.
    for (const [locationId, name, fulfillsOnlineOrders] of [
      [LOCATION, 'Ümraniye depo', true],
      [COUNTER, 'Kadıköy mağaza', false],
    ] as const) {
      await store.entities.shopLocation
        .put({ tenantId: SHOP, locationId: String(locationId), name, fulfillsOnlineOrders, seenAt: START })
        .go();
    }
    // A customer of their own, so the message budget the other tests spend is not this one's.
    const customer = { phone: '+905554443322', email: 'zeynep@example.com' };
    await consents('email', customer.phone);
    const counterOnly = [
      { title: 'Sarı gül', product_id: PRODUCT_ID, variant_id: COUNTER_ONLY_VARIANT, quantity: 1, price: '250.00' },
    ];
    const fromDepot = checkoutBody({ ...customer, line_items: counterOnly });
    await checkoutArrives(fromDepot);
    await detectAt(START + 61 * MINUTE);
    expect(mails).toHaveLength(0);
    expect((await cartOf(fromDepot.token))?.history).toEqual([
      { step: 1, channel: 'email', outcome: 'skipped', reason: 'out of stock: Sarı gül', at: START + 61 * MINUTE },
    ]);

    // The business says its online orders ship from the counter: the same item is in stock there.
    const settings = (await cartSettingsOf(store, SHOP)).settings;
    await saveCartSettings(store, SHOP, 'u_owner', { ...settings, shippingLocationId: String(COUNTER) });
    try {
      now = START;
      const fromCounter = checkoutBody({ ...customer, line_items: counterOnly });
      await checkoutArrives(fromCounter);
      await detectAt(START + 61 * MINUTE);
      expect(mails.map((mail) => mail.text)).toEqual([expect.stringContaining('1 × Sarı gül')]);
      expect(await cartOf(fromCounter.token)).toMatchObject({ state: 'contacted', nextStep: 1 });
    } finally {
      await saveCartSettings(store, SHOP, 'u_owner', settings);
    }
  });

  it('skips a customer without consent for the channel, with the reason shown', async () => {
    const body = checkoutBody({ email: 'baska@example.com', phone: '+905559998877' });
    await checkoutArrives(body);
    await detectAt(START + 61 * MINUTE);
    await detectAt(START + (61 + 24 * 60) * MINUTE);
    expect(mails).toHaveLength(0);
    expect(texts).toHaveLength(0);
    const cart = await cartOf(body.token);
    expect(cart).toMatchObject({ state: 'skipped', reason: 'no sms marketing consent' });
    expect(cart?.history?.map((entry) => entry.reason)).toEqual([
      'no email marketing consent',
      'no sms marketing consent',
    ]);
  });

  it('sends the SMS step a day later as a commercial message, once, though its message comes three times', async () => {
    const body = checkoutBody();
    await checkoutArrives(body);
    await detectAt(START + 61 * MINUTE);
    expect(mails).toHaveLength(1);
    now = START + (61 + 24 * 60) * MINUTE;
    await detectDueCarts({ store, producer: deps.producer as never }, now);
    const [step] = queue;
    queue.push(step as CartRecoveryMessage, step as CartRecoveryMessage);
    await Promise.all(queue.splice(0).map((message) => handleCartMessage(deps, message)));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ iysfilter: '11', messages: [{ no: '905551112233' }] });
    expect((await cartOf(body.token))?.nextStep).toBe(MAX_CART_STEPS - 1);
  });

  it('skips the step when a campaign already spent the customer’s message budget', async () => {
    const phone = '+905554443322';
    await consents('email', phone);
    const keys = await test.platform.keyring.forTenant(SHOP);
    const contactId = contactIdOf(keys, 'whatsapp', phone.slice(1));
    const week = { max: 3, windowMs: 7 * 86_400_000 };
    for (let i = 0; i < 3; i++) await takeTouch(store, SHOP, contactId, week, START - i * MINUTE);
    const body = checkoutBody({ email: 'butce@example.com', phone });
    await checkoutArrives(body);
    await detectAt(START + 61 * MINUTE);
    expect(mails).toHaveLength(0);
    expect((await cartOf(body.token))?.history?.[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'message budget reached',
    });
  });

  it('never contacts a holdout cart, and counts its customer’s own order as come back in the lift', async () => {
    await saveCartSettings(store, SHOP, 'u_owner', { ...DEFAULT_CART_SETTINGS, enabled: true, holdoutPercent: 50 });
    try {
      // Half the carts are drawn into the holdout (by their checkout key): one of the first few is.
      const customerId = 3_300_000_001;
      const customer = { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}` };
      let held: { token: string; email: string } | undefined;
      for (let i = 0; i < 40 && !held; i++) {
        const body = checkoutBody({ customer, email: `holdout${i}@example.com` });
        await checkoutArrives(body);
        if ((await cartOf(body.token))?.holdout) held = body;
      }
      expect(held).toBeDefined();
      const token = (held as { token: string }).token;
      await detectAt(START + 61 * MINUTE);
      // The holdout cart's customer got nothing; its step was not even tried.
      expect(mails.flatMap((mail) => mail.to)).not.toContain((held as { email: string }).email);
      expect(await cartOf(token)).toMatchObject({ state: 'pending', nextStep: 0 });
      // The customer buys the next day through another checkout: found when the cart is looked at again.
      const orderId = await orderArrives(undefined, START + 20 * 60 * MINUTE, customerId);
      const keys = await test.platform.keyring.forTenant(SHOP);
      await handleCartMessage(deps, { kind: 'step', tenantId: SHOP, checkoutKey: checkoutKeyOf(keys, token) });
      expect(await cartOf(token)).toMatchObject({
        state: 'skipped',
        reason: 'the customer ordered since',
        orderId,
        recoveredAmount: '529.90',
      });
      expect((await cartOf(token))?.history).toEqual([]);
    } finally {
      await saveCartSettings(store, SHOP, 'u_owner', { ...DEFAULT_CART_SETTINGS, enabled: true });
    }
  });

  it('lists carts newest first, a page at a time, filtered by state, with the customer masked', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP);
    const made: string[] = [];
    for (let i = 0; i < 55; i++) {
      now = START + i * MINUTE;
      const body = checkoutBody({ email: `liste${i}@example.com` });
      await checkoutArrives(body);
      made.push(checkoutKeyOf(keys, body.token));
    }
    const view = { store, keyring: test.platform.keyring };
    const first = await cartsPage(view, SHOP, { state: 'pending' });
    expect(first.carts).toHaveLength(50);
    expect(first.cursor).not.toBeNull();
    const seen = [...first.carts];
    let cursor = first.cursor;
    while (cursor) {
      const next = await cartsPage(view, SHOP, { state: 'pending', cursor });
      seen.push(...next.carts);
      cursor = next.cursor;
    }
    const ids = seen.map((cart) => cart.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(made));
    expect(seen.every((cart) => cart.state === 'pending')).toBe(true);
    // Newest abandoned first.
    const times = seen.map((cart) => Date.parse(cart.abandonedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = seen.find((cart) => cart.id === made.at(-1));
    expect(newest).toMatchObject({ items: '2 × Gül buketi', total: { amount: '529.90', currencyCode: 'TRY' } });
    expect(newest?.customer).toBe('l***@e***.com');
  });
});
