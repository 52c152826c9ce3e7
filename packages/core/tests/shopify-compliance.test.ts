import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { eraseContact } from '../src/privacy/contact-rights.js';
import { contactRightsDeps } from '../src/privacy/contact-rights-deps.js';
import { listPrivacyRequests, PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { purgeClasses } from '../src/privacy/purge.js';
import { PRIVACY_RECORDS } from '../src/privacy/records.js';
import { handleCompliance } from '../src/privacy/shopify-compliance.js';
import { applyCustomer } from '../src/shopify/apply.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { processShopifyDelivery, type ShopifyEventDeps } from '../src/shopify/events.js';
import { saveShopConnection } from '../src/shopify/oauth.js';
import { CustomerWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { businessOfShop } from '../src/shopify/tokens.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { whatsappMessagesDelivery } from './support/whatsapp-delivery.js';

/**
 * Shopify's compliance webhooks against the local DynamoDB emulator, through the same worker
 * function and the same privacy engine the `shopify-events` Lambda wires (functions/workers/
 * shopify-events.ts): `customers/redact` erases the customer's copy and their inbox contact with a
 * receipt, and nothing brings them back; `shop/redact` purges the store's copy and keeps the
 * business; `customers/data_request` is recorded with its deadline. Each delivered twice applies once.
 */
let test: TestPlatform;
let deps: ShopifyEventDeps;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const DAY = 86_400_000;

const FLORIST = {
  tenantId: 't_shopcompliance',
  shop: 'cicekci-compliance.myshopify.com',
  number: '100000000000601',
  waba: '100000000000602',
};
const AYSE = { id: 207119551, phone: '+905551112233', email: 'ayse@example.com', name: 'Ayşe' };
const MERT = { id: 207119552, phone: '+905554445566', email: 'mert@example.com' };
// Past 2^53, as Shopify's order ids are: only the digits Shopify sent name the order.
const AYSE_ORDERS = ['820982911946154508', '820982911946154509'];

const storeOf = (t: TestPlatform) =>
  t.platform.storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
    ...PRIVACY_REQUEST_RECORDS,
    ...PRIVACY_RECORDS,
  });
type TestStore = ReturnType<typeof storeOf>;
let store: TestStore;

/** As functions/workers/shopify-events.ts wires it. */
function eventDeps(t: TestPlatform): ShopifyEventDeps {
  const { storeOf: bind, keyring, blobs, aws } = t.platform;
  const rights = contactRightsDeps({ storeOf: bind, keyring, blobs });
  const purge = {
    dynamo: aws.dynamo,
    table: t.env.TABLE_NAME as string,
    blobs,
    store: bind({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
    dataClasses: DATA_CLASSES,
  };
  return {
    store,
    keyring,
    log: quiet,
    compliance: (tenantId, delivery, text) =>
      handleCompliance(
        {
          store,
          keyring,
          log: quiet,
          eraseContact: (requester, tenant, contactId) => eraseContact(rights, requester, tenant, contactId),
          purgeClasses: (tenant, classes, by) => purgeClasses(purge, tenant, classes, { by }),
        },
        tenantId,
        delivery,
        text,
      ),
  };
}

/** A signed delivery as `/webhooks/shopify` queues it: the exact bytes, base64. */
function delivery(shop: string, topic: string, body: unknown | string, webhookId: string, triggeredAt?: number) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    tenantId: 'shopify' as const,
    topic,
    webhookId,
    shop,
    receivedAt: Date.now(),
    ...(triggeredAt !== undefined && { triggeredAt }),
    body: Buffer.from(text).toString('base64'),
  };
}
const deliver = (shop: string, topic: string, body: unknown, webhookId: string, triggeredAt?: number) =>
  processShopifyDelivery(deps, delivery(shop, topic, body, webhookId, triggeredAt));

function customerBody(who: { id: number; phone: string; email: string }, updatedAt: string) {
  return {
    id: who.id,
    admin_graphql_api_id: `gid://shopify/Customer/${who.id}`,
    email: who.email,
    phone: who.phone,
    first_name: 'Ayşe',
    last_name: 'Yılmaz',
    state: 'enabled',
    whatsapp_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-20T09:00:00+03:00' },
    created_at: '2026-11-01T09:00:00+03:00',
    updated_at: updatedAt,
  };
}

/** `orders/*` as Shopify sends it: the id as a JSON number past 2^53, the GID beside it. */
function orderText(orderId: string, who: { id: number; phone: string; email: string }, updatedAt: string) {
  const rest = JSON.stringify({
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#${orderId.slice(-4)}`,
    email: who.email,
    phone: who.phone,
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    created_at: '2026-11-30T09:00:00+03:00',
    updated_at: updatedAt,
    customer: { id: who.id, admin_graphql_api_id: `gid://shopify/Customer/${who.id}` },
    shipping_address: { name: 'Ayşe Yılmaz', address1: 'Moda Cd. 1', city: 'İstanbul', country_code: 'TR' },
    line_items: [{ id: 1, title: 'Lale buketi', sku: 'LALE-B', quantity: 1, price: '199.90' }],
    total_price: '199.90',
  });
  return `{"id":${orderId},${rest.slice(1)}`;
}

function checkoutBody(token: string, who: { id: number; phone: string; email: string }, updatedAt: string) {
  return {
    token,
    email: who.email,
    phone: who.phone,
    customer: { id: who.id, admin_graphql_api_id: `gid://shopify/Customer/${who.id}` },
    abandoned_checkout_url: `https://${FLORIST.shop}/checkouts/${token}/recover`,
    currency: 'TRY',
    line_items: [{ title: 'Gül', sku: 'GUL-1', quantity: 2, price: '84.95' }],
    total_price: '169.90',
    updated_at: updatedAt,
  };
}

/** Every item of the business, exactly as stored. */
async function itemsOf(tenantId: string) {
  return (await test.dumpTable()).filter((item) => JSON.stringify(item).includes(tenantId));
}

async function connect(tenantId: string, shop: string) {
  await saveShopConnection(
    { store, keyring: test.platform.keyring },
    tenantId,
    shop,
    {
      accessToken: 'shpat_unit',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_unit',
      refreshTokenExpiresAt: Date.now() + DAY,
      scopes: 'read_orders,read_customers',
    },
    'u_unit',
  );
}

/** The customer writes on WhatsApp: the inbox has their contact (id derived from the number). */
async function customerWrites(account: { tenantId: string; number: string; waba: string }, phone: string, id: string) {
  const body = whatsappMessagesDelivery(account, {
    contacts: [{ profile: { name: 'Ayşe' }, wa_id: phone.slice(1) }],
    messages: [
      { from: phone.slice(1), id, timestamp: '1764500000', type: 'text', text: { body: 'Siparişim nerede?' } },
    ],
  });
  await processMetaDelivery({ store, keyring: test.platform.keyring, log: quiet }, metaDelivery(body, Date.now()));
  const contacts = await store.entities.contact.query.byId({ tenantId: account.tenantId }).go();
  const keys = await test.platform.keyring.forTenant(account.tenantId);
  const contact = contacts.data.find((c) => c.phoneIndex === keys.blindIndex('phone', phone));
  if (!contact) throw new Error('the contact was not stored');
  return contact.contactId;
}

beforeAll(async () => {
  test = await startTestPlatform();
  store = storeOf(test);
  deps = eventDeps(test);
  await createTenant({ store, keyring: test.platform.keyring }, FLORIST.tenantId, 'Çiçekçi');
  await connectWhatsAppNumber(
    { store, keyring: test.platform.keyring },
    FLORIST.tenantId,
    FLORIST.number,
    'Çiçekçi',
    FLORIST.waba,
  );
  await connect(FLORIST.tenantId, FLORIST.shop);
}, 60_000);
afterAll(() => test?.stop());

describe('customers/redact', () => {
  let ayseContact: string;
  let redactAt: number;

  beforeAll(async () => {
    ayseContact = await customerWrites(FLORIST, AYSE.phone, 'wamid.redact1');
    const shop = FLORIST.shop;
    expect(await deliver(shop, 'customers/create', customerBody(AYSE, '2026-11-30T09:00:00+03:00'), 'c-1')).toBe(
      'applied',
    );
    for (const [i, orderId] of AYSE_ORDERS.entries()) {
      expect(
        await processShopifyDelivery(
          deps,
          delivery(shop, 'orders/create', orderText(orderId, AYSE, '2026-11-30T09:05:00+03:00'), `o-${i}`),
        ),
      ).toBe('applied');
    }
    expect(
      await deliver(shop, 'checkouts/create', checkoutBody('ck-ayse', AYSE, '2026-11-30T09:01:00+03:00'), 'k-1'),
    ).toBe('applied');
    // Another customer of the same store: untouched by Ayşe's erasure.
    await deliver(shop, 'customers/create', customerBody(MERT, '2026-11-30T09:00:00+03:00'), 'c-2');
    await processShopifyDelivery(
      deps,
      delivery(shop, 'orders/create', orderText('820982911946154600', MERT, '2026-11-30T09:05:00+03:00'), 'o-m'),
    );
    const keys = await test.platform.keyring.forTenant(FLORIST.tenantId);
    // The consent ledger holds Ayşe's WhatsApp consent from Shopify (keyed by her customer id).
    expect(JSON.stringify(await itemsOf(FLORIST.tenantId))).toContain(String(AYSE.id));
    expect(keys).toBeTruthy();

    redactAt = Date.parse('2026-11-30T08:00:00Z');
    const body = {
      shop_id: 954889,
      shop_domain: shop,
      customer: { id: AYSE.id, email: AYSE.email, phone: AYSE.phone },
      orders_to_redact: AYSE_ORDERS.map(Number),
    };
    // The ids as Shopify writes them: JSON numbers, two of them past 2^53.
    const text = JSON.stringify(body).replace(
      /"orders_to_redact":\[[^\]]*\]/,
      `"orders_to_redact":[${AYSE_ORDERS.join(',')}]`,
    );
    expect(await processShopifyDelivery(deps, delivery(shop, 'customers/redact', text, 'r-1', redactAt))).toBe(
      'redacted',
    );
    // Shopify's retry of the same delivery: applied once.
    expect(await processShopifyDelivery(deps, delivery(shop, 'customers/redact', text, 'r-1', redactAt))).toBe(
      'duplicate',
    );
  }, 60_000);

  it("removes the customer's records, orders and checkouts, and the matched inbox contact", async () => {
    const tenantId = FLORIST.tenantId;
    expect((await store.entities.shopCustomer.get({ tenantId, customerId: String(AYSE.id) }).go()).data).toBeNull();
    for (const orderId of AYSE_ORDERS) {
      expect((await store.entities.shopOrder.get({ tenantId, orderId }).go()).data).toBeNull();
    }
    const checkouts = await store.entities.shopCheckout.query
      .byCustomer({ tenantId, customerRef: String(AYSE.id) })
      .go();
    expect(checkouts.data).toEqual([]);
    expect((await store.entities.contact.get({ tenantId, contactId: ayseContact }).go()).data).toBeNull();
    // Mert's are still there.
    expect((await store.entities.shopCustomer.get({ tenantId, customerId: String(MERT.id) }).go()).data).toBeTruthy();
    expect((await store.entities.shopOrder.get({ tenantId, orderId: '820982911946154600' }).go()).data).toBeTruthy();
  });

  it('records one contact-erasure request from Shopify, with its deadline, done with the receipt', async () => {
    const requests = (await listPrivacyRequests(store, FLORIST.tenantId)).filter((r) => r.kind === 'contact-erasure');
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ source: 'shopify', status: 'done' });
    expect(request?.requestedAt).toBe(new Date(redactAt).toISOString());
    expect(request?.dueAt).toBe(new Date(redactAt + 30 * DAY).toISOString());
    const counts = Object.fromEntries((request?.receipt?.items ?? []).map((i) => [i.dataClass, i.count]));
    expect(counts).toMatchObject({ 'shopify.orders': 2, 'shopify.checkouts': 1, 'shopify.customers': 1 });
    expect(counts['inbox.contacts']).toBe(1);
    expect(request?.receipt?.by).toBe('shopify');
    const audit = await store.entities.auditEvent.query.byTime({ tenantId: FLORIST.tenantId }).go({ pages: 'all' });
    expect(audit.data.filter((e) => e.action === 'contact.erased' && e.targetId === request?.requestId)).toHaveLength(
      1,
    );
  });

  it('leaves nothing of the customer in the raw table but the request and its receipt', async () => {
    const items = await itemsOf(FLORIST.tenantId);
    const keys = await test.platform.keyring.forTenant(FLORIST.tenantId);
    const traces = [
      String(AYSE.id),
      ...AYSE_ORDERS,
      ayseContact,
      AYSE.phone.slice(1),
      AYSE.email,
      keys.blindIndex('phone', AYSE.phone),
    ];
    for (const item of items) {
      const text = JSON.stringify(item);
      for (const trace of traces) expect(text, `${item.pk} ${item.sk}`).not.toContain(trace);
    }
    // What is left of her: her request (no contact id once done) and the suppression (a blind index only).
    expect(items.some((item) => String(item.sk).startsWith('shoperased#'))).toBe(true);
  });

  it('stores nothing personal when a later webhook or reconcile brings the customer back', async () => {
    const shop = FLORIST.shop;
    const later = '2026-11-30T12:00:00+03:00';
    expect(
      await processShopifyDelivery(
        deps,
        delivery(shop, 'orders/updated', orderText(AYSE_ORDERS[0] as string, AYSE, later), 'late-1'),
      ),
    ).toBe('stale');
    expect(await deliver(shop, 'customers/update', customerBody(AYSE, later), 'late-2')).toBe('stale');
    expect(await deliver(shop, 'checkouts/update', checkoutBody('ck-ayse', AYSE, later), 'late-3')).toBe('stale');
    // The reconcile goes through the same apply.
    expect(
      await applyCustomer(
        { store, keyring: test.platform.keyring },
        FLORIST.tenantId,
        CustomerWebhook.parse(customerBody(AYSE, '2026-11-30T13:00:00+03:00')),
      ),
    ).toBe('stale');
    const text = JSON.stringify(await itemsOf(FLORIST.tenantId));
    for (const trace of [String(AYSE.id), ...AYSE_ORDERS]) expect(text).not.toContain(trace);
    // Mert still syncs.
    expect(await deliver(shop, 'customers/update', customerBody(MERT, later), 'late-4')).toBe('applied');
  });

  it('an erasure from the app suppresses the Shopify customer matched to the contact too', async () => {
    const mertContact = await customerWrites(FLORIST, MERT.phone, 'wamid.redact2');
    const rights = contactRightsDeps({
      storeOf: test.platform.storeOf,
      keyring: test.platform.keyring,
      blobs: test.platform.blobs,
    });
    const receipt = await eraseContact(rights, { by: 'member:u_owner', source: 'app' }, FLORIST.tenantId, mertContact);
    expect(receipt.removed).toContainEqual({ dataClass: 'shopify.customers', count: 1 });
    expect(
      await deliver(FLORIST.shop, 'customers/update', customerBody(MERT, '2026-11-30T14:00:00+03:00'), 'late-5'),
    ).toBe('stale');
    expect(
      (await store.entities.shopCustomer.get({ tenantId: FLORIST.tenantId, customerId: String(MERT.id) }).go()).data,
    ).toBeNull();
  });
});

describe('customers/data_request', () => {
  it('records a contact-export request from Shopify with its 30-day deadline, once, audited', async () => {
    const tenantId = FLORIST.tenantId;
    const before = (await listPrivacyRequests(store, tenantId)).length;
    const at = Date.parse('2026-11-30T09:30:00Z');
    const body = {
      shop_id: 954889,
      shop_domain: FLORIST.shop,
      orders_requested: [299938, 280263],
      customer: { id: 191167, email: 'john@example.com', phone: '555-625-1199' },
      data_request: { id: 9999 },
    };
    expect(await deliver(FLORIST.shop, 'customers/data_request', body, 'd-1', at)).toBe('recorded');
    expect(await deliver(FLORIST.shop, 'customers/data_request', body, 'd-1', at)).toBe('duplicate');
    const requests = await listPrivacyRequests(store, tenantId);
    expect(requests).toHaveLength(before + 1);
    const request = requests.find((r) => r.kind === 'contact-export');
    expect(request).toMatchObject({
      source: 'shopify',
      status: 'open',
      requestedAt: new Date(at).toISOString(),
      dueAt: new Date(at + 30 * DAY).toISOString(),
      receipt: null,
    });
    const audit = await store.entities.auditEvent.query.byTime({ tenantId }).go({ pages: 'all' });
    expect(
      audit.data.filter((e) => e.action === 'privacy.request_recorded' && e.targetId === request?.requestId),
    ).toHaveLength(1);
  });

  it('refuses a body that names another shop, recording nothing', async () => {
    const before = (await listPrivacyRequests(store, FLORIST.tenantId)).length;
    const body = { shop_domain: 'someone-else.myshopify.com', customer: { id: 1 }, orders_requested: [] };
    await expect(deliver(FLORIST.shop, 'customers/data_request', body, 'd-2')).rejects.toThrow(/another shop/);
    expect(await listPrivacyRequests(store, FLORIST.tenantId)).toHaveLength(before);
  });
});

describe('shop/redact', () => {
  const BAKERY = {
    tenantId: 't_shopredact',
    shop: 'firin-redact.myshopify.com',
    number: '100000000000611',
    waba: '100000000000612',
  };

  it('removes every Shopify item of the business, keeps the business and its inbox, once', async () => {
    const { tenantId, shop } = BAKERY;
    await createTenant({ store, keyring: test.platform.keyring }, tenantId, 'Fırın');
    await connectWhatsAppNumber(
      { store, keyring: test.platform.keyring },
      tenantId,
      BAKERY.number,
      'Fırın',
      BAKERY.waba,
    );
    await connect(tenantId, shop);
    const contactId = await customerWrites(BAKERY, '+905557778899', 'wamid.bakery1');
    await deliver(
      shop,
      'customers/create',
      customerBody({ id: 5001, phone: '+905557778899', email: 'b@example.com' }, '2026-11-30T09:00:00+03:00'),
      's-1',
    );
    await processShopifyDelivery(
      deps,
      delivery(
        shop,
        'orders/create',
        orderText(
          '900000000000000001',
          { id: 5001, phone: '+905557778899', email: 'b@example.com' },
          '2026-11-30T09:00:00+03:00',
        ),
        's-2',
      ),
    );
    await deliver(
      shop,
      'products/create',
      {
        id: 632910392,
        title: 'Simit',
        variants: [{ id: 808950810, title: 'Tek', sku: 'SIMIT', price: '15.00', inventory_item_id: 39072856 }],
        created_at: '2026-11-01T09:00:00+03:00',
        updated_at: '2026-11-30T09:00:00+03:00',
      },
      's-3',
    );
    await deliver(
      shop,
      'inventory_levels/update',
      { inventory_item_id: 39072856, location_id: 905684977, available: 12, updated_at: '2026-11-30T09:00:00+03:00' },
      's-4',
    );
    const shopItems = (items: Record<string, unknown>[]) =>
      items.filter((item) => /^(shop|shopify)/.test(String(item.sk)) && !String(item.sk).startsWith('shoperased#'));
    expect(shopItems(await itemsOf(tenantId)).length).toBeGreaterThanOrEqual(8);
    expect(await businessOfShop(store, shop)).toBe(tenantId);

    expect(await deliver(shop, 'shop/redact', { shop_id: 954890, shop_domain: shop }, 'sr-1')).toBe('purged');
    // A redelivery, and a late one under another id: the shop is no one's now.
    expect(await deliver(shop, 'shop/redact', { shop_id: 954890, shop_domain: shop }, 'sr-1')).toBe('unknown-shop');
    expect(await deliver(shop, 'shop/redact', { shop_id: 954890, shop_domain: shop }, 'sr-2')).toBe('unknown-shop');
    expect(
      await processShopifyDelivery(
        deps,
        delivery(
          shop,
          'orders/updated',
          orderText(
            '900000000000000001',
            { id: 5001, phone: '+905557778899', email: 'b@example.com' },
            '2026-11-30T10:00:00+03:00',
          ),
          's-5',
        ),
      ),
    ).toBe('unknown-shop');

    const items = await itemsOf(tenantId);
    expect(shopItems(items)).toEqual([]);
    // The directory entry lives in the directory's partitions.
    expect(await businessOfShop(store, shop)).toBeUndefined();
    // The business and its inbox stay.
    expect((await store.entities.tenant.get({ tenantId }).go()).data).toBeTruthy();
    expect((await store.entities.contact.get({ tenantId, contactId }).go()).data).toBeTruthy();
    // One receipt of the purge, naming the Shopify classes and their counts.
    const receipts = await store.entities.purgeReceipt.query.byTime({ tenantId }).go({ pages: 'all' });
    expect(receipts.data).toHaveLength(1);
    const receipt = receipts.data[0];
    expect(receipt).toMatchObject({ kind: 'classes', by: 'shopify:shop/redact' });
    const counts = Object.fromEntries((receipt?.classes ?? []).map((c) => [c.name, c.items]));
    expect(counts).toMatchObject({
      'shopify.customers': 1,
      'shopify.orders': 1,
      'shopify.catalog': 2,
      'shopify.connection': 1,
      'shopify.directory': 1,
    });
    expect(counts['shopify.webhook-deliveries']).toBeGreaterThanOrEqual(4);
  });
});
