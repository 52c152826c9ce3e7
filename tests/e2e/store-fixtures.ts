import { expect } from 'vitest';
import type { ApiClient } from './accounts-client.js';

/**
 * Shopify's webhook bodies (REST-style JSON, as Shopify posts them) for a small flower shop, sent
 * through the fake Shopify's signed sender (`POST /dev/shopify/webhooks`), and the connect flow
 * through the fake's authorize page: what the store page and the inbox's Orders panel read.
 * The e2e store tests and the browser test share these instead of each writing its own.
 */

/**
 * Connects `shop` to the owner's business as a merchant does: the install, the fake's authorize
 * page (it approves at once) and Shopify's signed callback, which queues the first backfill.
 */
export async function connectFakeShop(
  api: ApiClient,
  owner: { accessToken: string; tenantId: string },
  shop: string,
): Promise<void> {
  const install = await api.call<{ authorizeUrl: string }>('POST', `/businesses/${owner.tenantId}/shopify/install`, {
    token: owner.accessToken,
    body: { shop },
  });
  expect(install.status, JSON.stringify(install.body)).toBe(200);
  const authorize = await fetch(install.body.authorizeUrl, { redirect: 'manual' });
  const callback = await fetch(authorize.headers.get('location') as string, { redirect: 'manual' });
  expect(callback.status).toBe(302);
}

/**
 * Calls one of the fake Shopify's dev endpoints, `POST /dev/shopify/<path>` (e.g. `inventory`,
 * `sell`, `orders/generate`, `demo-history`); it must answer 200. Answers its JSON.
 */
export async function fakeShopifyDev<T = Record<string, unknown>>(stackUrl: string, path: string, body: unknown) {
  const answer = await fetch(`${stackUrl}/dev/shopify/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.status, await answer.clone().text()).toBe(200);
  return (await answer.json()) as T;
}

/** Posts one delivery through the fake's sender; the product must answer 200. */
export async function sendShopifyWebhook(stackUrl: string, shop: string, topic: string, payload: unknown) {
  const response = await fetch(`${stackUrl}/dev/shopify/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, shop, payload }),
  });
  const answer = (await response.json()) as { status: number };
  expect(response.status).toBe(200);
  expect(answer.status, `${topic} delivered`).toBe(200);
}

/** A Shopify customer with a Turkish mobile number (E.164, as Shopify stores it). */
export function shopCustomer(
  id: number,
  phone: string,
  first: string,
  last: string,
  updatedAt = '2026-11-30T09:00:00+03:00',
) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: `${first.toLowerCase()}@example.com`,
    phone,
    first_name: first,
    last_name: last,
    state: 'enabled',
    tags: 'vip',
    created_at: '2026-11-01T09:00:00+03:00',
    updated_at: updatedAt,
  };
}

export const TRACKING_URL = 'https://kargo.example/takip/YK123456789';

/**
 * An order of two lines with a discount code and paid shipping, fulfilled with a tracking link.
 * Totals: 2 × 84.95 + 1 × 120.10 = 290.00 subtotal, − 29.00 discount, + 39.90 shipping = 300.90.
 */
export function shippedOrder(id: number, customerId: number, name: string, createdAt = '2026-11-30T10:00:00+03:00') {
  const money = (amount: string) => ({ shop_money: { amount, currency_code: 'TRY' } });
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name,
    email: 'deniz@example.com',
    phone: '+905559870041',
    customer: { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}` },
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: 'fulfilled',
    line_items: [
      {
        id: id * 10 + 1,
        title: 'Kırmızı Gül Buketi',
        variant_title: '11 dal',
        sku: 'GUL-11',
        quantity: 2,
        price: '84.95',
        total_discount: '0.00',
      },
      { id: id * 10 + 2, title: 'Vazo', sku: 'VAZO-1', quantity: 1, price: '120.10', total_discount: '0.00' },
    ],
    discount_codes: [{ code: 'KIS10', amount: '29.00', type: 'percentage' }],
    shipping_address: {
      name: 'Deniz Yılmaz',
      address1: 'Moda Cd. 12',
      city: 'İstanbul',
      zip: '34710',
      country: 'Turkey',
    },
    shipping_lines: [{ title: 'Yurtiçi Kargo', price: '39.90', price_set: money('39.90') }],
    fulfillments: [
      {
        id: id * 10 + 9,
        status: 'success',
        shipment_status: 'in_transit',
        tracking_company: 'Yurtiçi Kargo',
        tracking_number: 'YK123456789',
        tracking_url: TRACKING_URL,
        created_at: createdAt,
        updated_at: createdAt,
      },
    ],
    subtotal_price: '290.00',
    subtotal_price_set: money('290.00'),
    total_discounts: '29.00',
    total_discounts_set: money('29.00'),
    total_shipping_price_set: money('39.90'),
    total_tax: '50.15',
    total_tax_set: money('50.15'),
    total_price: '300.90',
    total_price_set: money('300.90'),
    created_at: createdAt,
    updated_at: createdAt,
  };
}

/** A guest order waiting for payment: no customer, nothing shipped. */
export function pendingOrder(id: number, name: string, createdAt: string) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name,
    currency: 'TRY',
    financial_status: 'pending',
    fulfillment_status: null,
    line_items: [{ id: id * 10 + 1, title: 'Papatya', sku: 'PAP-1', quantity: 3, price: '19.99' }],
    subtotal_price: '59.97',
    total_price: '59.97',
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export function product(id: number, inventoryItemId: number) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: 'Kırmızı Gül Buketi',
    handle: 'kirmizi-gul-buketi',
    status: 'active',
    vendor: 'Çiçekçi',
    product_type: 'Buket',
    tags: 'gül, buket',
    variants: [
      {
        id: id * 10 + 1,
        title: '11 dal',
        sku: 'GUL-11',
        price: '84.95',
        compare_at_price: '99.90',
        inventory_item_id: inventoryItemId,
      },
    ],
    images: [],
    created_at: '2026-11-01T09:00:00+03:00',
    updated_at: '2026-11-30T09:00:00+03:00',
  };
}

export function stockLevel(inventoryItemId: number, locationId: number, available: number) {
  return {
    inventory_item_id: inventoryItemId,
    location_id: locationId,
    available,
    updated_at: '2026-11-30T09:00:00+03:00',
  };
}
