import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { PermanentError } from '../src/platform/errors.js';
import { type ApplyDeps, checkoutKeyOf } from '../src/shopify/apply.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { processShopifyDelivery, type ShopifyEventDeps } from '../src/shopify/events.js';
import { saveShopConnection } from '../src/shopify/oauth.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Webhook deliveries as the shopify-events worker processes them (signed bodies already checked,
 * Shopify's REST-style JSON), against the local DynamoDB emulator: `fulfillments/create` and
 * `fulfillments/update` reach their order's tracking, newer-only per fulfillment, and survive an
 * order delivery that carries an older version of them; an order placed from a checkout marks
 * that checkout completed even when `checkouts/update` never comes, and a late open update of
 * the checkout cannot reopen it.
 */

const BUSINESS = 't_fulfil';
const SHOP = 'lale-kargo.myshopify.com';
/** Past 2^53: JSON.parse rounds `order_id`, which fulfillment bodies carry as a bare number. */
const ORDER_ID = '820982911946154508';
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

let test: TestPlatform;
let deps: ShopifyEventDeps & Pick<ApplyDeps, 'orderSeen'>;
let deliveries = 0;
/** The orders the worker was told of (the order notices' queue in production). */
const seen: string[] = [];

/** One delivery as the receiver queues it: the exact bytes, base64. */
function deliver(topic: string, bodyText: string) {
  deliveries += 1;
  return processShopifyDelivery(deps, {
    tenantId: 'shopify',
    topic,
    webhookId: `w-fulfil-${deliveries}`,
    shop: SHOP,
    receivedAt: Date.now(),
    body: Buffer.from(bodyText, 'utf8').toString('base64'),
  });
}

function orderText(id: string, updatedAt: string, fields: Record<string, unknown> = {}) {
  const body = {
    id: 0,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: '#1042',
    email: 'ayse@example.com',
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    created_at: '2026-11-30T10:00:00+03:00',
    updated_at: updatedAt,
    customer: { id: 207119551 },
    line_items: [],
    total_price: '199.90',
    fulfillments: [],
    ...fields,
  };
  // The id as Shopify writes it: a bare number, digits intact in the text.
  return JSON.stringify(body).replace('"id":0', `"id":${id}`);
}

function fulfillmentText(orderId: string, updatedAt: string, fields: Record<string, unknown> = {}) {
  const body = {
    id: 255858046,
    admin_graphql_api_id: 'gid://shopify/Fulfillment/255858046',
    order_id: 0,
    status: 'success',
    created_at: '2026-11-30T10:29:00+03:00',
    updated_at: updatedAt,
    tracking_company: 'Yurtiçi Kargo',
    tracking_number: 'YK123456789TR',
    tracking_numbers: ['YK123456789TR'],
    tracking_url: 'https://kargo.example/YK123456789TR',
    tracking_urls: ['https://kargo.example/YK123456789TR'],
    shipment_status: null,
    line_items: [{ id: 1, quantity: 1 }],
    ...fields,
  };
  return JSON.stringify(body).replace('"order_id":0', `"order_id":${orderId}`);
}

async function storedOrder(orderId: string) {
  const { data } = await deps.store.entities.shopOrder.get({ tenantId: BUSINESS, orderId }).go();
  if (!data) return undefined;
  const keys = await test.platform.keyring.forTenant(BUSINESS);
  const fulfillments = data.fulfillments
    ? (JSON.parse(keys.open('shopOrder', 'fulfillments', orderId, data.fulfillments)) as {
        id: string;
        shipmentStatus?: string;
        trackingNumbers: string[];
        updatedAt: number;
      }[])
    : [];
  return { ...data, fulfillments };
}

async function storedCheckout(token: string) {
  const keys = await test.platform.keyring.forTenant(BUSINESS);
  const checkoutKey = checkoutKeyOf(keys, token);
  return (await deps.store.entities.shopCheckout.get({ tenantId: BUSINESS, checkoutKey }).go()).data;
}

beforeAll(async () => {
  test = await startTestPlatform();
  const store = test.platform.storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
  });
  deps = {
    store,
    keyring: test.platform.keyring,
    log: quiet,
    orderSeen: async (_tenantId, orderId) => void seen.push(orderId),
  };
  await createTenant({ store, keyring: test.platform.keyring }, BUSINESS, 'Lale Kargo');
  await saveShopConnection(
    { store, keyring: test.platform.keyring },
    BUSINESS,
    SHOP,
    {
      accessToken: 'shpat_fulfil',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_fulfil',
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_owner',
  );
});
afterAll(() => test.stop());

describe('fulfillment deliveries', () => {
  it("puts a shipment's carrier and tracking on its order, newer-only per fulfillment", async () => {
    expect(await deliver('orders/create', orderText(ORDER_ID, '2026-11-30T10:00:00+03:00'))).toBe('applied');
    expect((await storedOrder(ORDER_ID))?.fulfillments).toEqual([]);

    expect(await deliver('fulfillments/create', fulfillmentText(ORDER_ID, '2026-11-30T10:30:00+03:00'))).toBe(
      'applied',
    );
    let order = await storedOrder(ORDER_ID);
    expect(order?.fulfillments).toMatchObject([
      {
        id: 'gid://shopify/Fulfillment/255858046',
        status: 'success',
        trackingCompany: 'Yurtiçi Kargo',
        trackingNumbers: ['YK123456789TR'],
        trackingUrls: ['https://kargo.example/YK123456789TR'],
      },
    ]);
    // The order's own version is the order webhooks' to move.
    expect(order?.updatedAt).toBe(Date.parse('2026-11-30T10:00:00+03:00'));
    // A shipment is news about its order (a "shipped" notice may be due).
    expect(seen).toEqual([ORDER_ID, ORDER_ID]);

    // The carrier's news, then an older update of the same fulfillment delivered late.
    expect(
      await deliver(
        'fulfillments/update',
        fulfillmentText(ORDER_ID, '2026-11-30T15:00:00+03:00', { shipment_status: 'delivered' }),
      ),
    ).toBe('applied');
    expect(
      await deliver(
        'fulfillments/update',
        fulfillmentText(ORDER_ID, '2026-11-30T12:00:00+03:00', { shipment_status: 'in_transit' }),
      ),
    ).toBe('stale');
    order = await storedOrder(ORDER_ID);
    expect(order?.fulfillments.map((f) => f.shipmentStatus)).toEqual(['delivered']);

    // A newer order delivery still carrying the fulfillment as it was before: the newer one stays.
    expect(
      await deliver(
        'orders/updated',
        orderText(ORDER_ID, '2026-11-30T13:00:00+03:00', {
          fulfillment_status: 'fulfilled',
          fulfillments: [
            JSON.parse(fulfillmentText('1', '2026-11-30T12:00:00+03:00', { shipment_status: 'in_transit' })),
          ],
        }),
      ),
    ).toBe('applied');
    order = await storedOrder(ORDER_ID);
    expect(order?.fulfillmentStatus).toBe('fulfilled');
    expect(order?.fulfillments.map((f) => f.shipmentStatus)).toEqual(['delivered']);

    // A second shipment of the same order joins the first.
    expect(
      await deliver(
        'fulfillments/create',
        fulfillmentText(ORDER_ID, '2026-11-30T16:00:00+03:00', {
          id: 255858047,
          admin_graphql_api_id: 'gid://shopify/Fulfillment/255858047',
          created_at: '2026-11-30T16:00:00+03:00',
          tracking_numbers: ['MNG-77'],
          tracking_number: 'MNG-77',
        }),
      ),
    ).toBe('applied');
    order = await storedOrder(ORDER_ID);
    expect(order?.fulfillments.map((f) => f.trackingNumbers[0])).toEqual(['YK123456789TR', 'MNG-77']);
  });

  it('stores no tracking in clear', async () => {
    const raw = await deps.store.entities.shopOrder.get({ tenantId: BUSINESS, orderId: ORDER_ID }).go();
    expect(JSON.stringify(raw.data)).not.toContain('YK123456789TR');
  });

  it('hangs nothing on an order the copy does not have, and refuses a body without its order', async () => {
    expect(
      await deliver('fulfillments/create', fulfillmentText('820982911946159999', '2026-11-30T10:30:00+03:00')),
    ).toBe('no-order');
    expect(seen).not.toContain('820982911946159999');
    expect(await storedOrder('820982911946159999')).toBeUndefined();
    const noOrder = JSON.stringify({
      ...JSON.parse(fulfillmentText('1', '2026-11-30T10:30:00+03:00')),
      order_id: null,
    });
    await expect(deliver('fulfillments/update', noOrder)).rejects.toBeInstanceOf(PermanentError);
  });
});

describe('a checkout completed by its order', () => {
  const checkoutText = (token: string, updatedAt: string) =>
    JSON.stringify({
      token,
      email: 'ayse@example.com',
      customer: { id: 207119551 },
      abandoned_checkout_url: `https://${SHOP}/checkouts/recover/${token}`,
      currency: 'TRY',
      line_items: [{ title: 'Lale buketi', quantity: 1, price: '199.90' }],
      total_price: '199.90',
      created_at: '2026-11-30T09:00:00+03:00',
      updated_at: updatedAt,
    });

  it('marks the open checkout completed when the order with its checkout_token arrives', async () => {
    expect(await deliver('checkouts/create', checkoutText('ck_open_1', '2026-11-30T09:10:00+03:00'))).toBe('applied');
    expect((await storedCheckout('ck_open_1'))?.state).toBe('open');
    // No checkouts/update with completed_at follows: the order alone completes it.
    await deliver('orders/create', orderText('5001', '2026-11-30T10:00:00+03:00', { checkout_token: 'ck_open_1' }));
    const checkout = await storedCheckout('ck_open_1');
    expect(checkout?.state).toBe('completed');
    expect(checkout?.completedAt).toBe(Date.parse('2026-11-30T10:00:00+03:00'));
    // The cart's recovery link is still there (sealed), as a completed checkouts/update keeps it.
    expect(checkout?.recoveryUrl).toBeTruthy();
  });

  it('stores the checkout completed when its order comes first; a late open update cannot reopen it', async () => {
    await deliver('orders/create', orderText('5002', '2026-11-30T10:00:00+03:00', { checkout_token: 'ck_late_2' }));
    expect((await storedCheckout('ck_late_2'))?.state).toBe('completed');
    expect(await deliver('checkouts/update', checkoutText('ck_late_2', '2026-11-30T09:50:00+03:00'))).toBe('stale');
    expect((await storedCheckout('ck_late_2'))?.state).toBe('completed');
  });

  it('leaves a deleted checkout deleted', async () => {
    await deliver('checkouts/create', checkoutText('ck_gone_3', '2026-11-30T09:10:00+03:00'));
    await processShopifyDelivery(deps, {
      tenantId: 'shopify',
      topic: 'checkouts/delete',
      webhookId: 'w-fulfil-delete-3',
      shop: SHOP,
      receivedAt: Date.now(),
      triggeredAt: Date.parse('2026-11-30T09:20:00+03:00'),
      body: Buffer.from(JSON.stringify({ token: 'ck_gone_3' })).toString('base64'),
    });
    await deliver('orders/create', orderText('5003', '2026-11-30T10:00:00+03:00', { checkout_token: 'ck_gone_3' }));
    expect((await storedCheckout('ck_gone_3'))?.state).toBe('deleted');
  });
});
