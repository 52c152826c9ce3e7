import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CART_SETTINGS } from '../../packages/core/src/cart-recovery/settings.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { DEMO_OWNER } from '../../packages/local/src/demo-owner.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  newMember,
  newOwner,
  readOutbox,
  type SignedInPerson,
} from './accounts-client.js';
import { sendShopifyWebhook, shopCustomer } from './store-fixtures.js';

/**
 * Abandoned-cart recovery end to end on a real `npm start`: the sequence turned on over the API;
 * the fake Shopify posts a signed customer (who agreed to email offers) and a checkout abandoned
 * two hours ago; the `cart-detection` schedule finds it and the `cart-recovery` worker mails the
 * customer through the fake Resend, once however often the schedule runs; the order from the
 * checkout recovers the cart; the carts list and the report read it back, by role.
 */
const SHOP = 'sepet-e2e.myshopify.com';
const CUSTOMER_ID = 8_800_000_001;
const PHONE = '+905327654321';

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;

const path = (rest: string) => `/businesses/${owner.tenantId}/cart-recovery/${rest}`;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  const aws = localAws(stack.dataDir);
  owner = await newOwner(api, 'Sepet');
  agent = await newMember(api, owner, 'agent', 'sepet-agent');
  analyst = await newMember(api, owner, 'analyst', 'sepet-analyst');
  const core = createPlatform(readConfig(aws.env));
  await saveShopConnection(
    { store: core.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS }), keyring: core.keyring },
    owner.tenantId,
    SHOP,
    {
      accessToken: 'shpat_e2e_carts',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_e2e_carts',
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_e2e',
  );
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const abandoned = new Date(Date.now() - 2 * 3_600_000).toISOString();
const checkout = {
  token: 'ck_e2e_sepet_1',
  email: 'sepet.musteri@example.com',
  phone: PHONE,
  customer: { id: CUSTOMER_ID, admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER_ID}` },
  abandoned_checkout_url: 'https://sepet.example/checkouts/ck_e2e_sepet_1/recover',
  currency: 'TRY',
  line_items: [{ title: 'Orkide', quantity: 1, price: '349.90' }],
  subtotal_price: '349.90',
  total_price: '379.80',
  created_at: abandoned,
  updated_at: abandoned,
};

describe('cart recovery over the API', () => {
  it('keeps the sequence for owners and admins; agents and analysts may not change it', async () => {
    const off = await api.call('GET', path('settings'), { token: owner.accessToken });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ settings: { enabled: false }, updatedAt: null });
    // Every hour of the day is fine for this test: no quiet hours.
    const body = { ...DEFAULT_CART_SETTINGS, enabled: true, quietHours: null };
    expect((await api.call('PUT', path('settings'), { token: agent.accessToken, body })).status).toBe(403);
    expect((await api.call('PUT', path('settings'), { token: analyst.accessToken, body })).status).toBe(403);
    const bad = await api.call('PUT', path('settings'), {
      token: owner.accessToken,
      body: { ...body, delayMinutes: 1 },
    });
    expect(bad.status).toBe(400);
    const saved = await api.call('PUT', path('settings'), { token: owner.accessToken, body });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ settings: { enabled: true, delayMinutes: 60 } });
  });

  it('mails an abandoned cart once, and shows it recovered when its order comes', async () => {
    await sendShopifyWebhook(stack.url, SHOP, 'customers/create', {
      ...shopCustomer(CUSTOMER_ID, PHONE, 'Sepet', 'Müşteri'),
      email_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00+03:00' },
      whatsapp_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00+03:00' },
    });
    await sendShopifyWebhook(stack.url, SHOP, 'checkouts/create', checkout);
    const cartsOf = async (token: string) => api.call('GET', path('carts'), { token });
    await eventually(async () => {
      const { body } = await cartsOf(owner.accessToken);
      return (body as { carts: unknown[] }).carts.length === 1 ? true : undefined;
    }, 20_000);
    await runSchedule(stack, 'cart-detection', new Date().toISOString());
    const mailed = await eventually(async () => {
      const mails = (await readOutbox(api)).filter((mail) => mail.to.includes(checkout.email));
      return mails.length > 0 ? mails : undefined;
    }, 30_000);
    expect(mailed[0]?.subject).toBe('Sepet Butik: sepetiniz sizi bekliyor');
    expect(mailed[0]?.text).toContain(checkout.abandoned_checkout_url);
    // Runs again, as every five minutes: the step is not sent twice.
    await runSchedule(stack, 'cart-detection', new Date().toISOString());
    const contacted = await eventually(async () => {
      const { body } = await cartsOf(analyst.accessToken);
      const [cart] = (body as { carts: { state: string; steps: unknown[]; customer: string }[] }).carts;
      return cart?.state === 'contacted' ? cart : undefined;
    }, 20_000);
    expect(contacted.steps).toMatchObject([{ step: 1, channel: 'email', outcome: 'sent' }]);
    // The customer is masked in the list.
    expect(contacted.customer).not.toContain('sepet.musteri');
    expect((await readOutbox(api)).filter((mail) => mail.to.includes(checkout.email))).toHaveLength(1);

    const now = new Date().toISOString();
    await sendShopifyWebhook(stack.url, SHOP, 'orders/create', {
      id: 6_600_000_001,
      admin_graphql_api_id: 'gid://shopify/Order/6600000001',
      name: '#3001',
      email: checkout.email,
      currency: 'TRY',
      financial_status: 'paid',
      created_at: now,
      updated_at: now,
      line_items: [],
      fulfillments: [],
      total_price: '379.80',
      checkout_token: checkout.token,
    });
    const recovered = await eventually(async () => {
      const { body } = await cartsOf(owner.accessToken);
      const [cart] = (body as { carts: { state: string; recovered: unknown }[] }).carts;
      return cart?.state === 'recovered' ? cart : undefined;
    }, 20_000);
    expect(recovered.recovered).toMatchObject({ orderId: '6600000001', amount: '379.80' });
    // Agents answer customers; the carts are figures for owners, admins and analysts.
    expect((await cartsOf(agent.accessToken)).status).toBe(403);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const report = await api.call('GET', `${path('report')}?from=${yesterday}&to=${today}`, {
      token: analyst.accessToken,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({
      currencyCode: 'TRY',
      lift: { contacted: { carts: 1, recovered: 1, revenue: '379.80' }, holdout: { carts: 0 }, rateDifference: null },
    });
  });

  it('plays on the demo business: a checkout the fake store abandons gets its email, and completing it recovers the cart', async () => {
    // The demo shop's history comes in by its first backfill, which the stack queues at start.
    const demo = await logIn(api, DEMO_OWNER.email, DEMO_OWNER.password);
    const demoPath = (rest: string) => `/businesses/demo/${rest}`;
    await eventually(async () => {
      const { body } = await api.call<{ customers: unknown[] }>('GET', demoPath('store/customers'), {
        token: demo.accessToken,
      });
      return body.customers.length > 0 ? true : undefined;
    }, 60_000);
    const settings = await api.call('GET', demoPath('cart-recovery/settings'), { token: demo.accessToken });
    expect(settings.body).toMatchObject({ settings: { enabled: true, quietHours: null } });

    const abandon = await fetch(`${stack.url}/dev/shopify/checkouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopDomain: 'asistone-demo.myshopify.com' }),
    });
    expect(abandon.status).toBe(200);
    const { checkout: made } = (await abandon.json()) as { checkout: { token: string; email: string } };
    await eventually(async () => {
      const { body } = await api.call<{ carts: unknown[] }>('GET', demoPath('cart-recovery/carts'), {
        token: demo.accessToken,
      });
      return body.carts.length === 1 ? true : undefined;
    }, 20_000);
    await runSchedule(stack, 'cart-detection', new Date().toISOString());
    const mail = await eventually(async () => (await readOutbox(api)).find((m) => m.to.includes(made.email)), 30_000);
    expect(mail.text).toContain(`/checkouts/${made.token}/recover`);

    const complete = await fetch(`${stack.url}/dev/shopify/checkouts/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopDomain: 'asistone-demo.myshopify.com', token: made.token }),
    });
    expect(complete.status).toBe(200);
    const recovered = await eventually(async () => {
      const { body } = await api.call<{ carts: { state: string; recovered: { orderId: string } | null }[] }>(
        'GET',
        demoPath('cart-recovery/carts'),
        { token: demo.accessToken },
      );
      return body.carts[0]?.state === 'recovered' ? body.carts[0] : undefined;
    }, 20_000);
    expect(recovered.recovered?.orderId).toMatch(/^9100000000/);
  });
});
