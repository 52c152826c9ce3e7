import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth.js';
import { SHOPIFY_STORE_RECORDS } from '../../packages/core/src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectWhatsApp, fakeMetaClient } from './fake-meta-client.js';

/**
 * Shopify's `customers/redact` over HTTP on a real `npm start`: the fake Shopify signs it with the
 * app's client secret and posts it to `/webhooks/shopify`; the `shopify-events` worker erases the
 * customer's copy and the inbox contact with the same WhatsApp number, and the business's privacy
 * page lists the request, from Shopify, done, with its receipt.
 */
interface PrivacyRequest {
  requestId: string;
  kind: string;
  source: string;
  status: string;
  requestedAt: string;
  dueAt: string;
  receipt: { receiptId: string; by: string; items: { dataClass: string; count: number }[] } | null;
}

const CUSTOMER = { id: 6001002, phone: '+905559870077', email: 'selin@example.com', name: 'Selin Kaya' };
const SHOP = 'butik-compliance-e2e.myshopify.com';
const DAY = 86_400_000;

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let contactId: string;
let store: ReturnType<typeof storeOf>;
const storeOf = (platform: ReturnType<typeof createPlatform>) =>
  platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS });
const as = (person: { accessToken: string }) => ({ token: person.accessToken });

async function send(topic: string, payload: unknown, triggeredAt?: string) {
  const response = await fetch(`${stack.url}/dev/shopify/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, shop: SHOP, payload, ...(triggeredAt && { triggeredAt }) }),
  });
  expect(response.status).toBe(200);
  const sent = (await response.json()) as { status: number };
  expect(sent.status).toBe(200);
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Uyum');
  const core = createPlatform(readConfig(localAws(stack.dataDir).env));
  store = storeOf(core);
  await saveShopConnection(
    { store, keyring: core.keyring },
    owner.tenantId,
    SHOP,
    {
      accessToken: 'shpat_e2e',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_e2e',
      refreshTokenExpiresAt: Date.now() + DAY,
      scopes: 'read_orders,read_customers',
    },
    'u_e2e',
  );
  // The customer wrote on WhatsApp: the inbox has a contact with their number.
  const { phoneNumberId } = await connectWhatsApp(api, owner);
  await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
    channel: 'whatsapp',
    businessId: phoneNumberId,
    customer: { id: CUSTOMER.phone.slice(1), name: CUSTOMER.name },
    text: 'Siparişim ne zaman gelir?',
  });
  contactId = await eventually(async () => {
    const list = await api.call<{ conversations: { contact: { id: string; name?: string } }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/conversations`,
      as(owner),
    );
    return list.body.conversations.find((c) => c.contact.name === CUSTOMER.name)?.contact.id;
  });
  // And bought from the store.
  await send('customers/create', {
    id: CUSTOMER.id,
    email: CUSTOMER.email,
    phone: CUSTOMER.phone,
    first_name: 'Selin',
    last_name: 'Kaya',
    created_at: '2026-11-01T09:00:00+03:00',
    updated_at: '2026-11-30T09:00:00+03:00',
  });
  await send('orders/create', {
    id: 7001,
    name: '#7001',
    email: CUSTOMER.email,
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    customer: { id: CUSTOMER.id },
    created_at: '2026-11-30T09:00:00+03:00',
    updated_at: '2026-11-30T09:00:00+03:00',
    line_items: [{ id: 7002, title: 'Elbise', sku: 'ELB-1', quantity: 1, price: '899.90' }],
    total_price: '899.90',
  });
  await eventually(
    async () =>
      (await store.entities.shopOrder.get({ tenantId: owner.tenantId, orderId: '7001' }).go()).data ?? undefined,
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("Shopify's customers/redact on the local stack", () => {
  it('erases the customer and their contact, and the privacy page lists the request with its receipt', async () => {
    const triggeredAt = new Date(Date.now() - 60_000).toISOString();
    await send(
      'customers/redact',
      {
        shop_id: 954889,
        shop_domain: SHOP,
        customer: { id: CUSTOMER.id, email: CUSTOMER.email, phone: CUSTOMER.phone },
        orders_to_redact: [7001],
      },
      triggeredAt,
    );
    const request = await eventually(async () => {
      const answer = await api.call<{ requests: PrivacyRequest[] }>(
        'GET',
        `/businesses/${owner.tenantId}/privacy/requests`,
        as(owner),
      );
      expect(answer.status).toBe(200);
      return answer.body.requests.find((r) => r.kind === 'contact-erasure' && r.status === 'done');
    });
    expect(request).toMatchObject({ source: 'shopify', requestedAt: triggeredAt });
    expect(Date.parse(request.dueAt) - Date.parse(triggeredAt)).toBe(30 * DAY);
    const counts = Object.fromEntries((request.receipt?.items ?? []).map((i) => [i.dataClass, i.count]));
    expect(counts).toMatchObject({ 'shopify.customers': 1, 'shopify.orders': 1, 'inbox.contacts': 1 });
    expect(request.receipt?.by).toBe('shopify');
    // The contact is gone from the app, and so are the customer's records.
    expect((await api.call('GET', `/businesses/${owner.tenantId}/contacts/${contactId}`, as(owner))).status).toBe(404);
    expect(
      (await store.entities.shopCustomer.get({ tenantId: owner.tenantId, customerId: String(CUSTOMER.id) }).go()).data,
    ).toBeNull();
    expect((await store.entities.shopOrder.get({ tenantId: owner.tenantId, orderId: '7001' }).go()).data).toBeNull();
  });
});
