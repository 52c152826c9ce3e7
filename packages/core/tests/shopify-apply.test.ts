import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { consentOf } from '../src/inbox/consent.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { PermanentError } from '../src/platform/errors.js';
import {
  type ApplyDeps,
  applyCheckout,
  applyCustomer,
  applyInventoryLevel,
  applyOrder,
  applyProduct,
  checkoutKeyOf,
} from '../src/shopify/apply.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { SHOPIFY_CONTACT_DATA } from '../src/shopify/contact-data.js';
import { processShopifyDelivery } from '../src/shopify/events.js';
import { saveShopConnection } from '../src/shopify/oauth.js';
import {
  CheckoutWebhook,
  CustomerWebhook,
  deletedCheckout,
  InventoryLevelWebhook,
  OrderWebhook,
  ProductWebhook,
} from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * The local copy of a Shopify store, against the local DynamoDB emulator: webhook bodies as
 * Shopify sends them (REST-style JSON), normalised and applied; only a newer `updated_at` replaces
 * what is stored, money stays the exact decimal Shopify sent, personal fields are sealed.
 */
let test: TestPlatform;
let deps: ApplyDeps;
const SHOP = { tenantId: 't_shopcopy', number: '100000000000501', waba: '100000000000502' };
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

beforeAll(async () => {
  test = await startTestPlatform();
  const store = test.platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS });
  deps = { store, keyring: test.platform.keyring };
  await createTenant({ store, keyring: test.platform.keyring }, SHOP.tenantId, 'Çiçekçi');
  await connectWhatsAppNumber(
    { store, keyring: test.platform.keyring },
    SHOP.tenantId,
    SHOP.number,
    'Çiçekçi',
    SHOP.waba,
  );
});
afterAll(() => test.stop());

/** An order as `orders/*` webhooks carry it (trimmed to what the copy keeps). */
function orderBody(updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    // Past 2^53: JSON.parse loses digits of the number, the GID string keeps them.
    id: JSON.parse('820982911946154508') as number,
    admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
    name: '#1001',
    email: 'ayse@example.com',
    phone: '+905551112233',
    currency: 'TRY',
    financial_status: 'pending',
    fulfillment_status: null,
    created_at: '2026-11-30T10:00:00+03:00',
    updated_at: updatedAt,
    customer: { id: 207119551, email: 'ayse@example.com' },
    // No checkout_token: an order completes its checkout (shopify-fulfillments.test.ts), and the
    // checkouts below are carts left open.
    line_items: [
      {
        id: JSON.parse('866550311766439020') as number,
        admin_graphql_api_id: 'gid://shopify/LineItem/866550311766439020',
        title: 'Lale buketi',
        variant_title: 'Büyük',
        sku: 'LALE-B',
        product_id: 632910392,
        variant_id: 808950810,
        quantity: 3,
        fulfillable_quantity: 3,
        price: '199.90',
        price_set: { shop_money: { amount: '199.90', currency_code: 'TRY' } },
        total_discount: '0.10',
      },
    ],
    discount_codes: [{ code: 'KIS10', amount: '0.10', type: 'fixed_amount' }],
    shipping_address: {
      first_name: 'Ayşe',
      last_name: 'Yılmaz',
      address1: 'Moda Cad. 12',
      city: 'İstanbul',
      zip: '34710',
      country: 'Turkey',
    },
    shipping_lines: [{ title: 'Kargo', price: '29.99' }],
    fulfillments: [],
    subtotal_price: '599.60',
    total_discounts: '0.10',
    total_tax: '0.00',
    total_price: '629.49',
    total_price_set: { shop_money: { amount: '629.49', currency_code: 'TRY' } },
    ...overrides,
  };
}

const stored = async (orderId: string) =>
  (await deps.store.entities.shopOrder.get({ tenantId: SHOP.tenantId, orderId }).go()).data;

describe('orders', () => {
  it('keeps the newer of two updates delivered in reverse order, and applies a repeat once', async () => {
    const older = OrderWebhook.parse(orderBody('2026-11-30T10:05:00+03:00'));
    const newer = OrderWebhook.parse(
      orderBody('2026-11-30T10:30:00+03:00', {
        financial_status: 'paid',
        fulfillment_status: 'fulfilled',
        fulfillments: [
          {
            id: 255858046,
            status: 'success',
            shipment_status: 'in_transit',
            tracking_company: 'Yurtiçi Kargo',
            tracking_number: 'YK123456789TR',
            tracking_url: 'https://kargo.example/YK123456789TR',
            created_at: '2026-11-30T10:29:00+03:00',
            updated_at: '2026-11-30T10:30:00+03:00',
          },
        ],
      }),
    );
    expect(await applyOrder(deps, SHOP.tenantId, newer)).toBe('applied');
    // The older update arrives late: it changes nothing.
    expect(await applyOrder(deps, SHOP.tenantId, older)).toBe('stale');
    // The same delivery again (Shopify retries, or a reconcile sees the same version): once.
    expect(await applyOrder(deps, SHOP.tenantId, newer)).toBe('stale');

    const order = await stored('820982911946154508');
    expect(order?.financialStatus).toBe('paid');
    expect(order?.fulfillmentStatus).toBe('fulfilled');
    expect(order?.updatedAt).toBe(Date.parse('2026-11-30T07:30:00Z'));
    expect(order?.customerId).toBe('207119551');

    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const tracking = JSON.parse(
      keys.open('shopOrder', 'fulfillments', '820982911946154508', order?.fulfillments as string),
    );
    expect(tracking[0]).toMatchObject({ trackingNumbers: ['YK123456789TR'], trackingCompany: 'Yurtiçi Kargo' });
  });

  it('a newer update after the stored one replaces it', async () => {
    const cancelled = OrderWebhook.parse(
      orderBody('2026-11-30T11:00:00+03:00', { cancelled_at: '2026-11-30T11:00:00+03:00', cancel_reason: 'customer' }),
    );
    expect(await applyOrder(deps, SHOP.tenantId, cancelled)).toBe('applied');
    expect((await stored('820982911946154508'))?.cancelReason).toBe('customer');
  });

  it('keeps money as the exact decimals Shopify sent, with their currency', async () => {
    const order = await stored('820982911946154508');
    expect(order?.total).toEqual({ amount: '629.49', currencyCode: 'TRY' });
    expect(order?.subtotal).toEqual({ amount: '599.60', currencyCode: 'TRY' });
    expect(order?.lineItems).toEqual([
      expect.objectContaining({ sku: 'LALE-B', quantity: 3, unitPrice: { amount: '199.90', currencyCode: 'TRY' } }),
    ]);
    expect(order?.discountCodes).toEqual([
      { code: 'KIS10', amount: { amount: '0.10', currencyCode: 'TRY' }, type: 'fixed_amount' },
    ]);
    // A float in a money field is refused, not rounded.
    expect(OrderWebhook.safeParse(orderBody('2026-11-30T12:00:00+03:00', { total_price: 629.49 })).success).toBe(false);
  });
});

describe('customers', () => {
  const customer = (updatedAt: string, whatsapp: string) => ({
    id: 207119551,
    email: 'Ayse@Example.com',
    phone: '+905551112233',
    first_name: 'Ayşe',
    last_name: 'Yılmaz',
    state: 'enabled',
    tags: 'vip, çiçek',
    email_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00+03:00' },
    sms_marketing_consent: null,
    whatsapp_marketing_consent: { state: whatsapp, consent_updated_at: updatedAt },
    created_at: '2026-10-01T09:00:00+03:00',
    updated_at: updatedAt,
  });

  it('finds the inbox contact with the same number and records their WhatsApp and email consent from Shopify', async () => {
    // The customer wrote on WhatsApp first: the inbox has their contact.
    const body = whatsappMessagesDelivery(SHOP, {
      contacts: [{ profile: { name: 'Ayşe' }, wa_id: '905551112233' }],
      messages: [
        { from: '905551112233', id: 'wamid.shop1', timestamp: '1764500000', type: 'text', text: { body: 'Merhaba' } },
      ],
    });
    await processMetaDelivery(
      { store: deps.store, keyring: deps.keyring, log: quiet },
      metaDelivery(body, 1_764_500_001_000),
    );
    const contacts = await deps.store.entities.contact.query.byId({ tenantId: SHOP.tenantId }).go();
    const contactId = contacts.data[0]?.contactId as string;

    expect(
      await applyCustomer(
        deps,
        SHOP.tenantId,
        CustomerWebhook.parse(customer('2026-11-20T09:00:00+03:00', 'subscribed')),
      ),
    ).toBe('applied');
    expect(
      await applyCustomer(
        deps,
        SHOP.tenantId,
        CustomerWebhook.parse(customer('2026-11-20T09:00:00+03:00', 'subscribed')),
      ),
    ).toBe('stale');

    const { current, history } = await consentOf(deps, SHOP.tenantId, contactId);
    expect(current).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'whatsapp', purpose: 'marketing', state: 'granted', source: 'shopify' }),
        expect.objectContaining({ channel: 'email', purpose: 'marketing', state: 'granted', source: 'shopify' }),
      ]),
    );
    expect(history).toHaveLength(2);

    // Withdrawn later in Shopify: the ledger follows.
    await applyCustomer(
      deps,
      SHOP.tenantId,
      CustomerWebhook.parse(customer('2026-11-25T09:00:00+03:00', 'unsubscribed')),
    );
    const after = await consentOf(deps, SHOP.tenantId, contactId);
    expect(after.current.find((c) => c.channel === 'whatsapp')?.state).toBe('withdrawn');

    // The customer is found by the blind index of the contact's phone (and of the email, whatever its case).
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const byPhone = await deps.store.entities.shopCustomer.query
      .byPhone({ tenantId: SHOP.tenantId, phoneIndex: contacts.data[0]?.phoneIndex as string })
      .go();
    expect(byPhone.data.map((c) => c.customerId)).toEqual(['207119551']);
    const byEmail = await deps.store.entities.shopCustomer.query
      .byEmail({ tenantId: SHOP.tenantId, emailIndex: keys.blindIndex('email', 'ayse@example.com') })
      .go();
    expect(byEmail.data).toHaveLength(1);
  });

  it('stores a customer Shopify knows only by phone, and one known only by email, each found by what they have', async () => {
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const only = (id: number, fields: Record<string, unknown>) =>
      CustomerWebhook.parse({
        id,
        first_name: 'Can',
        state: 'enabled',
        tags: '',
        created_at: '2026-10-01T09:00:00+03:00',
        updated_at: '2026-11-20T09:00:00+03:00',
        ...fields,
      });
    expect(await applyCustomer(deps, SHOP.tenantId, only(207119601, { phone: '+905559998877' }))).toBe('applied');
    expect(await applyCustomer(deps, SHOP.tenantId, only(207119602, { email: 'can@example.com' }))).toBe('applied');

    const byPhone = await deps.store.entities.shopCustomer.query
      .byPhone({ tenantId: SHOP.tenantId, phoneIndex: keys.blindIndex('phone', '+905559998877') })
      .go();
    expect(byPhone.data.map((c) => c.customerId)).toEqual(['207119601']);
    const byEmail = await deps.store.entities.shopCustomer.query
      .byEmail({ tenantId: SHOP.tenantId, emailIndex: keys.blindIndex('email', 'can@example.com') })
      .go();
    expect(byEmail.data.map((c) => c.customerId)).toEqual(['207119602']);
  });
});

describe('products, stock and checkouts', () => {
  it('keeps variants with SKUs and exact prices, only newer', async () => {
    const product = (updatedAt: string, price: string) => ({
      id: 632910392,
      title: 'Lale buketi',
      handle: 'lale-buketi',
      status: 'active',
      tags: 'çiçek',
      variants: [{ id: 808950810, title: 'Büyük', sku: 'LALE-B', price, inventory_item_id: 39072856 }],
      images: [{ id: 850703190, src: 'https://cdn.shopify.com/lale.jpg' }],
      created_at: '2026-10-01T09:00:00+03:00',
      updated_at: updatedAt,
    });
    expect(
      await applyProduct(deps, SHOP.tenantId, ProductWebhook.parse(product('2026-11-02T00:00:00Z', '219.90'))),
    ).toBe('applied');
    expect(
      await applyProduct(deps, SHOP.tenantId, ProductWebhook.parse(product('2026-11-01T00:00:00Z', '199.90'))),
    ).toBe('stale');
    const stored = await deps.store.entities.shopProduct.get({ tenantId: SHOP.tenantId, productId: '632910392' }).go();
    expect(stored.data?.variants).toEqual([
      expect.objectContaining({
        sku: 'LALE-B',
        price: '219.90',
        inventoryItemId: 'gid://shopify/InventoryItem/39072856',
      }),
    ]);
  });

  it('keeps stock per location, only newer', async () => {
    const level = (available: number, updatedAt: string) =>
      InventoryLevelWebhook.parse({
        inventory_item_id: 39072856,
        location_id: 487838322,
        available,
        updated_at: updatedAt,
      });
    expect(await applyInventoryLevel(deps, SHOP.tenantId, level(7, '2026-11-30T10:00:02+03:00'))).toBe('applied');
    expect(await applyInventoryLevel(deps, SHOP.tenantId, level(9, '2026-11-30T10:00:01+03:00'))).toBe('stale');
    const stock = await deps.store.entities.shopInventoryLevel
      .get({ tenantId: SHOP.tenantId, inventoryItemId: '39072856', locationId: '487838322' })
      .go();
    expect(stock.data?.available).toBe(7);
  });

  it('keeps a checkout with its recovery link sealed; a later delete wins, an earlier one does not', async () => {
    const checkout = (updatedAt: string) =>
      CheckoutWebhook.parse({
        token: 'ck_token_1',
        email: 'ayse@example.com',
        customer: { id: 207119551 },
        abandoned_checkout_url: 'https://asistone-demo.myshopify.com/checkouts/recover/ck_token_1',
        currency: 'TRY',
        line_items: [{ title: 'Lale buketi', sku: 'LALE-B', quantity: 1, price: '199.90' }],
        total_price: '229.89',
        created_at: '2026-11-30T09:00:00+03:00',
        updated_at: updatedAt,
      });
    const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
    const checkoutKey = checkoutKeyOf(keys, 'ck_token_1');
    // A delete fired before the last update (delivered late) removes nothing.
    expect(await applyCheckout(deps, SHOP.tenantId, checkout('2026-11-30T09:10:00+03:00'))).toBe('applied');
    expect(
      await applyCheckout(
        deps,
        SHOP.tenantId,
        deletedCheckout({ token: 'ck_token_1' }, Date.parse('2026-11-30T06:05:00Z')),
      ),
    ).toBe('stale');
    const open = (await deps.store.entities.shopCheckout.get({ tenantId: SHOP.tenantId, checkoutKey }).go()).data;
    expect(open?.state).toBe('open');
    expect(keys.open('shopCheckout', 'recoveryUrl', checkoutKey, open?.recoveryUrl as string)).toContain(
      '/checkouts/recover/',
    );
    expect(open?.total).toEqual({ amount: '229.89', currencyCode: 'TRY' });

    expect(
      await applyCheckout(
        deps,
        SHOP.tenantId,
        deletedCheckout({ token: 'ck_token_1' }, Date.parse('2026-11-30T07:00:00Z')),
      ),
    ).toBe('applied');
    const gone = (await deps.store.entities.shopCheckout.get({ tenantId: SHOP.tenantId, checkoutKey }).go()).data;
    expect(gone?.state).toBe('deleted');
    expect(gone?.recoveryUrl).toBeUndefined();
  });
});

describe('sealing', () => {
  it('stores no name, email, phone, address, tracking number, recovery link or checkout token in clear', async () => {
    const dump = JSON.stringify(await test.dumpTable());
    for (const plain of [
      'ayse@example.com',
      'Ayse@Example.com',
      '905551112233',
      'Yılmaz',
      'Moda Cad',
      'YK123456789TR',
      'checkouts/recover',
      'ck_token_1',
    ]) {
      expect(dump, plain).not.toContain(plain);
    }
    // The copy is there: what is not personal stays readable.
    expect(dump).toContain('LALE-B');
    expect(dump).toContain('629.49');
  });
});

describe("a contact's rights over the copy", () => {
  it('exports the orders, checkouts and customer record of the Shopify customer matched to the contact, and erases them', async () => {
    const tenantId = SHOP.tenantId;
    const contacts = await deps.store.entities.contact.query.byId({ tenantId }).go();
    const contactId = contacts.data[0]?.contactId as string;
    const ctx = {
      tenantId,
      contactId,
      keys: await test.platform.keyring.forTenant(tenantId),
      storeOf: test.platform.storeOf,
      blobs: test.platform.blobs,
    };
    // A cart the customer left open (the deleted one above no longer names them).
    await applyCheckout(
      deps,
      tenantId,
      CheckoutWebhook.parse({
        token: 'ck_token_2',
        customer: { id: 207119551 },
        abandoned_checkout_url: 'https://asistone-demo.myshopify.com/checkouts/recover/ck_token_2',
        currency: 'TRY',
        line_items: [{ title: 'Lale buketi', quantity: 2, price: '199.90' }],
        total_price: '399.80',
        updated_at: '2026-11-30T12:00:00+03:00',
      }),
    );
    const exported = Object.assign({}, ...(await Promise.all(SHOPIFY_CONTACT_DATA.map((entry) => entry.export(ctx)))));
    expect(exported.shopify_orders).toEqual([
      expect.objectContaining({ order: '#1001', total: '629.49', currency: 'TRY', email: 'ayse@example.com' }),
    ]);
    expect(JSON.parse(exported.shopify_orders[0].shippingAddress)).toMatchObject({ city: 'İstanbul' });
    expect(exported.shopify_checkouts).toEqual([
      expect.objectContaining({
        state: 'open',
        total: '399.80',
        recoveryUrl: expect.stringContaining('/recover/ck_token_2'),
      }),
    ]);
    expect(exported.shopify_customers).toEqual([
      expect.objectContaining({ customerId: '207119551', email: 'Ayse@Example.com', phone: '+905551112233' }),
    ]);

    // A guest order of someone else stays: it is not this contact's.
    await applyOrder(
      deps,
      tenantId,
      OrderWebhook.parse(
        orderBody('2026-11-30T12:00:00+03:00', {
          id: 4242,
          admin_graphql_api_id: 'gid://shopify/Order/4242',
          customer: null,
          email: 'baska@example.com',
        }),
      ),
    );

    let removed = 0;
    for (const entry of SHOPIFY_CONTACT_DATA) removed += (await entry.erase(ctx)).items;
    expect(removed).toBe(3); // the order, the open checkout, the customer
    expect(await stored('820982911946154508')).toBeFalsy();
    expect(await stored('4242')).toBeTruthy();
    expect((await deps.store.entities.shopCustomer.get({ tenantId, customerId: '207119551' }).go()).data).toBeFalsy();
    const again = Object.assign({}, ...(await Promise.all(SHOPIFY_CONTACT_DATA.map((entry) => entry.export(ctx)))));
    expect(again).toEqual({});
    // The catalogue is not personal and is not the contact's: kept.
    expect((await deps.store.entities.shopProduct.get({ tenantId, productId: '632910392' }).go()).data).toBeTruthy();
  });
});

describe('the shopify-events worker', () => {
  const shop = 'cicekci-unit.myshopify.com';
  const delivery = (topic: string, body: unknown, webhookId: string) => ({
    tenantId: 'shopify' as const,
    topic,
    webhookId,
    shop,
    receivedAt: Date.now(),
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
  });
  const events = () => ({
    store: test.platform.storeOf({
      ...SHOPIFY_STORE_RECORDS,
      ...SHOPIFY_CONNECTION_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
    }),
    keyring: test.platform.keyring,
    log: quiet,
  });

  beforeAll(async () => {
    await saveShopConnection(
      { store: events().store, keyring: test.platform.keyring },
      SHOP.tenantId,
      shop,
      {
        accessToken: 'shpat_unit',
        accessTokenExpiresAt: 1,
        refreshToken: 'shprt_unit',
        refreshTokenExpiresAt: 2,
        scopes: 'read_orders',
      },
      'u_unit',
    );
  });

  it('sends a body that does not match its topic to the dead letters (permanent), applying nothing', async () => {
    const bad = delivery(
      'orders/updated',
      { id: 77, name: '#77', currency: 'TRY', total_price: 12.5, line_items: [], created_at: 'x', updated_at: 'y' },
      'w-bad',
    );
    await expect(processShopifyDelivery(events(), bad)).rejects.toBeInstanceOf(PermanentError);
    expect(await stored('77')).toBeFalsy();
    // Not remembered as applied: a fixed replay from the dead letters is applied.
    expect(
      (await events().store.entities.shopWebhookDelivery.get({ tenantId: SHOP.tenantId, webhookId: 'w-bad' }).go())
        .data,
    ).toBeFalsy();
  });

  it('keeps compliance requests in the dead letters rather than acknowledging them unhandled', async () => {
    const redact = delivery('customers/redact', { shop_domain: shop, customer: { id: 1 } }, 'w-redact');
    await expect(processShopifyDelivery(events(), redact)).rejects.toBeInstanceOf(PermanentError);
  });

  it('ignores topics the copy does not keep, and drops a shop nobody connected', async () => {
    expect(await processShopifyDelivery(events(), delivery('bulk_operations/finish', { id: 1 }, 'w-bulk'))).toBe(
      'ignored',
    );
    expect(
      await processShopifyDelivery(events(), {
        ...delivery('orders/create', {}, 'w-x'),
        shop: 'nobody-unit.myshopify.com',
      }),
    ).toBe('unknown-shop');
  });
});
