import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectFakeShop, sendShopifyWebhook } from './store-fixtures.js';

/**
 * The back office's orders view and sales report on a real `npm start`: a shop connected through
 * the fake Shopify, orders arriving as its signed webhooks, the report and its CSV read by role.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let other: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let analyst: SignedInPerson;
const SHOP = 'satis-raporu.myshopify.com';
const DAY = '2026-11-20';
const RANGE = `?from=${DAY}&to=${DAY}`;

const sales = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}/sales/${rest}`;

function orderBody(id: number, name: string, title: string, price: string) {
  const at = `${DAY}T12:00:00+03:00`;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name,
    currency: 'TRY',
    financial_status: 'paid',
    source_name: 'web',
    created_at: at,
    updated_at: at,
    line_items: [{ id: id * 10, title, product_id: id - 9_300_000, quantity: 1, price }],
    fulfillments: [],
    total_price: price,
  };
}

interface Report {
  currencies: { currency: string; totals: { orders: number; net: string } }[];
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Satici');
  other = await newOwner(api, 'Baska');
  agent = await newMember(api, owner, 'agent', 'satis-agent');
  analyst = await newMember(api, owner, 'analyst', 'satis-analyst');
  await connectFakeShop(api, owner, SHOP);
  // A product title is the merchant's free text: one that a spreadsheet would run as a formula.
  await sendShopifyWebhook(stack.url, SHOP, 'orders/create', orderBody(9_300_001, '#3001', 'Gül buketi', '0.10'));
  await sendShopifyWebhook(stack.url, SHOP, 'orders/create', orderBody(9_300_002, '#3002', '=HYPERLINK("x")', '0.20'));
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the back office over the API', () => {
  it('answers analysts the exact report and the orders across channels', async () => {
    const report = await eventually(async () => {
      const answer = await api.call<Report>('GET', `${sales('report')}${RANGE}`, { token: analyst.accessToken });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.currencies[0]?.totals.orders === 2 ? answer.body : undefined;
    }, 30_000);
    expect(report.currencies).toMatchObject([{ currency: 'TRY', totals: { orders: 2, net: '0.30' } }]);

    const orders = await api.call<{ orders: { name: string; salesChannel: string }[] }>(
      'GET',
      `${sales('orders')}${RANGE}`,
      { token: analyst.accessToken },
    );
    expect(orders.status).toBe(200);
    expect(orders.body.orders.map((o) => [o.name, o.salesChannel])).toEqual([
      ['#3002', 'online'],
      ['#3001', 'online'],
    ]);
  });

  it('refuses agents, and finds nothing of another business', async () => {
    for (const path of ['report', 'orders', 'report.csv']) {
      expect((await api.call('GET', `${sales(path)}${RANGE}`, { token: agent.accessToken })).status).toBe(403);
      const outsider = await api.call('GET', `${sales(path, owner.tenantId)}${RANGE}`, { token: other.accessToken });
      expect([403, 404]).toContain(outsider.status);
    }
  });

  it('exports CSV that begins with its header and neutralises a formula', async () => {
    const csv = await fetch(`${stack.url}/api${sales('report.csv')}${RANGE}`, {
      headers: { authorization: `Bearer ${analyst.accessToken}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.startsWith('section,key,name,currency,orders,units,gross_sales,discounts,net_sales,from,to\r\n')).toBe(
      true,
    );
    expect(text).toContain('total,,,TRY,2,2,0.30,0.00,0.30');
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('refuses a range that ends before it starts', async () => {
    const answer = await api.call('GET', `${sales('report')}?from=2026-11-21&to=2026-11-20`, {
      token: analyst.accessToken,
    });
    expect(answer.status).toBe(400);
  });
});
