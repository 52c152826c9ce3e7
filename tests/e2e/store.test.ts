import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';
import {
  connectFakeShop,
  fakeShopifyDev,
  pendingOrder,
  product,
  sendShopifyWebhook,
  shippedOrder,
  shopCustomer,
  stockLevel,
  TRACKING_URL,
} from './store-fixtures.js';

/**
 * The store's read routes against a real `npm start`: the owner connects a store through the fake
 * Shopify, Shopify's signed webhooks fill the local copy, and the team reads orders (newest first,
 * filtered, paged), one order with exact totals and tracking, customers with their personal
 * fields opened, products with stock per location, and the orders of a WhatsApp customer matched
 * by phone. Agents read; analysts (no `conversations.read`) are refused; another business finds
 * nothing; ids of the wrong shape are refused.
 */

const SHOP = 'cicekci-store-e2e.myshopify.com';
const whatsappCustomer = { id: '905559870041', name: 'Deniz Yılmaz' };

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;
let other: SignedInPerson & { tenantId: string };
let contactId: string;

const storePath = (path: string, tenantId = owner.tenantId) => `/businesses/${tenantId}/store${path}`;
const read = <T>(path: string, person: { accessToken: string } = agent) =>
  api.call<T>('GET', path, { token: person.accessToken });
const send = (topic: string, payload: unknown) => sendShopifyWebhook(stack.url, SHOP, topic, payload);

interface OrderSummary {
  orderId: string;
  name: string;
  customerName: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string;
  total: { amount: string; currencyCode: string } | null;
  itemCount: number;
  trackingUrls: string[];
}
interface OrdersPage {
  orders: OrderSummary[];
  cursor?: string;
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Cicekci');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  other = await newOwner(api, 'Baska');

  // The store, connected through the fake Shopify's authorize page and its signed callback.
  await connectFakeShop(api, owner, SHOP);

  // The customer writes on WhatsApp: an inbox contact with their phone number.
  const { phoneNumberId } = await connectWhatsApp(api, owner);
  await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer: whatsappCustomer,
    text: 'Merhaba, siparişim nerede?',
  });
  const conversation = await eventually(async () => {
    const list = await read<{ conversations: { contact: { id: string; name?: string } }[] }>(
      `/businesses/${owner.tenantId}/conversations`,
      owner,
    );
    return list.body.conversations.find((c) => c.contact.name === whatsappCustomer.name);
  });
  contactId = conversation.contact.id;

  // The shop's news: the same person as a Shopify customer, their shipped order, a guest's
  // pending one (newer), a product and its stock at two locations.
  await send('customers/create', shopCustomer(7001, '+905559870041', 'Deniz', 'Yılmaz'));
  await send('customers/create', shopCustomer(7002, '+905551112233', 'Ali', 'Kaya'));
  await send('orders/create', shippedOrder(8001, 7001, '#1001', '2026-11-30T10:00:00+03:00'));
  await send('orders/create', pendingOrder(8002, '#1002', '2026-11-30T11:00:00+03:00'));
  await send('orders/create', pendingOrder(8003, '#1003', '2026-11-30T12:00:00+03:00'));
  await send('products/create', product(9001, 9101));
  await send('inventory_levels/update', stockLevel(9101, 61, 12));
  await send('inventory_levels/update', stockLevel(9101, 62, 0));
  await eventually(async () => {
    const products = await read<{ products: { variants: { stock: unknown[] }[] }[] }>(storePath('/products'));
    const orders = await read<OrdersPage>(storePath('/orders'));
    return orders.body.orders?.length === 3 && products.body.products?.[0]?.variants[0]?.stock.length === 2
      ? true
      : undefined;
  }, 30_000);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the store read routes', () => {
  it('lists orders newest first, pages them, and filters by payment and shipping state', async () => {
    const all = await read<OrdersPage>(storePath('/orders'));
    expect(all.status).toBe(200);
    expect(all.body.orders.map((order) => order.name)).toEqual(['#1003', '#1002', '#1001']);
    expect(all.body.cursor).toBeUndefined();
    expect(all.body.orders[2]).toMatchObject({
      customerName: 'Deniz Yılmaz',
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      total: { amount: '300.90', currencyCode: 'TRY' },
      itemCount: 3,
      trackingUrls: [TRACKING_URL],
    });

    const first = await read<OrdersPage>(storePath('/orders?limit=2'));
    expect(first.body.orders.map((order) => order.name)).toEqual(['#1003', '#1002']);
    expect(first.body.cursor).toBe('8002');
    const second = await read<OrdersPage>(storePath(`/orders?limit=2&cursor=${first.body.cursor}`));
    expect(second.body.orders.map((order) => order.name)).toEqual(['#1001']);
    expect(second.body.cursor).toBeUndefined();

    const pending = await read<OrdersPage>(storePath('/orders?financialStatus=pending'));
    expect(pending.body.orders.map((order) => order.name)).toEqual(['#1003', '#1002']);
    const fulfilled = await read<OrdersPage>(storePath('/orders?fulfillmentStatus=fulfilled'));
    expect(fulfilled.body.orders.map((order) => order.name)).toEqual(['#1001']);
    const refunded = await read<OrdersPage>(storePath('/orders?financialStatus=refunded'));
    expect(refunded.body.orders).toEqual([]);
  });

  it('shows one order with its lines, exact totals, discount, shipping and tracking', async () => {
    const order = await read<Record<string, unknown>>(storePath('/orders/8001'));
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      name: '#1001',
      email: 'deniz@example.com',
      phone: '+905559870041',
      subtotal: { amount: '290.00', currencyCode: 'TRY' },
      totalDiscounts: { amount: '29.00', currencyCode: 'TRY' },
      totalShipping: { amount: '39.90', currencyCode: 'TRY' },
      totalTax: { amount: '50.15', currencyCode: 'TRY' },
      total: { amount: '300.90', currencyCode: 'TRY' },
      discountCodes: [{ code: 'KIS10', amount: { amount: '29.00', currencyCode: 'TRY' } }],
      shippingLines: [{ title: 'Yurtiçi Kargo', price: { amount: '39.90', currencyCode: 'TRY' } }],
      shippingAddress: { name: 'Deniz Yılmaz', city: 'İstanbul' },
      fulfillments: [
        {
          status: 'success',
          shipmentStatus: 'in_transit',
          company: 'Yurtiçi Kargo',
          numbers: ['YK123456789'],
          urls: [TRACKING_URL],
        },
      ],
    });
    expect(order.body.lineItems).toEqual([
      expect.objectContaining({
        title: 'Kırmızı Gül Buketi',
        sku: 'GUL-11',
        quantity: 2,
        unitPrice: { amount: '84.95', currencyCode: 'TRY' },
      }),
      expect.objectContaining({
        title: 'Vazo',
        sku: 'VAZO-1',
        quantity: 1,
        unitPrice: { amount: '120.10', currencyCode: 'TRY' },
      }),
    ]);
  });

  it('lists customers with their personal fields opened, paged', async () => {
    const page = await read<{
      customers: { customerId: string; name: string; phone: string; email: string }[];
      cursor?: string;
    }>(storePath('/customers?limit=1'));
    expect(page.status).toBe(200);
    expect(page.body.customers).toEqual([
      expect.objectContaining({
        customerId: '7001',
        name: 'Deniz Yılmaz',
        phone: '+905559870041',
        email: 'deniz@example.com',
      }),
    ]);
    expect(page.body.cursor).toBe('7001');
    const next = await read<{ customers: { customerId: string }[]; cursor?: string }>(
      storePath('/customers?limit=1&cursor=7001'),
    );
    expect(next.body.customers.map((c) => c.customerId)).toEqual(['7002']);
    expect(next.body.cursor).toBeUndefined();
  });

  it('lists products with variants, SKUs, prices and stock per location', async () => {
    const page = await read<{ products: unknown[] }>(storePath('/products'));
    expect(page.status).toBe(200);
    expect(page.body.products).toEqual([
      expect.objectContaining({
        productId: '9001',
        title: 'Kırmızı Gül Buketi',
        variants: [
          expect.objectContaining({
            sku: 'GUL-11',
            price: '84.95',
            compareAtPrice: '99.90',
            inventoryItemId: '9101',
            stock: [
              { locationId: '61', available: 12 },
              { locationId: '62', available: 0 },
            ],
          }),
        ],
      }),
    ]);
  });

  it("answers a WhatsApp contact's orders through the Shopify customer with the same phone", async () => {
    const answer = await read<{ customerIds: string[]; orders: OrderSummary[] }>(
      `/businesses/${owner.tenantId}/contacts/${contactId}/orders`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.customerIds).toEqual(['7001']);
    expect(answer.body.orders).toEqual([
      expect.objectContaining({ orderId: '8001', name: '#1001', trackingUrls: [TRACKING_URL] }),
    ]);
  });

  it('says when the scheduled reconciliation last finished', async () => {
    const before = await read<{ lastReconciledAt: string | null }>(storePath('/sync'));
    expect(before.status).toBe(200);
    expect(before.body.lastReconciledAt).toBeNull();
    // One level at the shop's depot: the reconcile lists the locations and keeps them by name.
    await fakeShopifyDev(stack.url, 'inventory', {
      shopDomain: SHOP,
      inventoryItemId: 'gid://shopify/InventoryItem/8400081',
      locationId: 'gid://shopify/Location/81',
      available: 4,
    });
    await runSchedule(stack, 'shopify-reconcile', new Date().toISOString());
    const after = await read<{ lastReconciledAt: string | null }>(storePath('/sync'));
    expect(after.body.lastReconciledAt).not.toBeNull();
    expect((await read(storePath('/locations'))).body).toEqual({
      locations: [{ locationId: '81', name: 'Location 81', fulfillsOnlineOrders: true }],
    });
    // The fake store's own catalogue is empty: the reconcile repairs nothing and removes nothing.
    expect((await read<OrdersPage>(storePath('/orders'))).body.orders).toHaveLength(3);
  });

  it('refuses analysts (403): reading orders is answering customers', async () => {
    for (const path of [
      storePath('/orders'),
      storePath('/orders/8001'),
      storePath('/customers'),
      storePath('/products'),
      storePath('/locations'),
      storePath('/sync'),
      `/businesses/${owner.tenantId}/contacts/${contactId}/orders`,
    ]) {
      expect((await read(path, analyst)).status, path).toBe(403);
    }
  });

  it("finds nothing of another business's store (404)", async () => {
    for (const path of [
      storePath('/orders', owner.tenantId),
      storePath('/orders/8001', owner.tenantId),
      `/businesses/${owner.tenantId}/contacts/${contactId}/orders`,
    ]) {
      expect((await read(path, other)).status, path).toBe(404);
    }
    // In its own business, the other owner's store is empty and the order is not there.
    expect((await read<OrdersPage>(storePath('/orders', other.tenantId), other)).body.orders).toEqual([]);
    expect((await read(storePath('/orders/8001', other.tenantId), other)).status).toBe(404);
    expect((await read(`/businesses/${other.tenantId}/contacts/${contactId}/orders`, other)).status).toBe(404);
  });

  it('refuses ids, cursors and filters of the wrong shape', async () => {
    expect((await read(storePath('/orders/9999'))).status).toBe(404);
    expect((await read(storePath('/orders/gid%3A%2F%2Fshopify%2FOrder%2F8001'))).status).toBe(404);
    expect((await read(storePath(`/orders/${'1'.repeat(40)}`))).status).toBe(404);
    expect((await read(`/businesses/${owner.tenantId}/contacts/ct_nope/orders`)).status).toBe(404);
    expect((await read(storePath('/orders?cursor=eyJwayI6InQjb3RoZXIifQ'))).status).toBe(400);
    expect((await read(storePath('/orders?financialStatus=stolen'))).status).toBe(400);
    expect((await read(storePath('/orders?limit=0'))).status).toBe(400);
    expect((await read(storePath('/customers?limit=1000'))).status).toBe(400);
  });
});
