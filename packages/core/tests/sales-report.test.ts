import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { ordersView } from '../src/sales/orders-view.js';
import { salesCsvRows } from '../src/sales/sales-csv.js';
import { salesReport } from '../src/sales/sales-report.js';
import { type ApplyDeps, applyCustomer, applyOrder } from '../src/shopify/apply.js';
import { CustomerWebhook, OrderWebhook } from '../src/shopify/payloads.js';
import { STORE_VIEW_RECORDS, type StoreViewDeps } from '../src/shopify/store-views.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The back office's sales report and orders view against the DynamoDB emulator: orders arrive as
 * Shopify's webhook bodies through the real apply code, the customer's WhatsApp message through
 * the real inbox code, and the report is read as the API reads it.
 */
let test: TestPlatform;
let deps: StoreViewDeps;
const SHOP = 'b_salesreport';
const NUMBER = '100000000000971';
const DAY = 86_400_000;
const PHONE = '905321112233';
const CUSTOMER = 7_700_000_001;

const applyDeps = (): ApplyDeps => ({ store: deps.store, keyring: test.platform.keyring });

let nextId = 6_100_000_000_000;
interface Line {
  title: string;
  product: number;
  price: string;
  quantity: number;
  discount?: string;
}
async function order(at: string, lines: Line[], extra: Record<string, unknown> = {}) {
  const id = nextId++;
  await applyOrder(
    applyDeps(),
    SHOP,
    OrderWebhook.parse({
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#${id - 6_100_000_000_000 + 1001}`,
      currency: 'TRY',
      financial_status: 'paid',
      created_at: at,
      updated_at: at,
      source_name: 'web',
      line_items: lines.map((line, index) => ({
        id: id * 10 + index,
        title: line.title,
        product_id: line.product,
        quantity: line.quantity,
        price: line.price,
        total_discount: line.discount ?? '0.00',
      })),
      fulfillments: [],
      total_price: '0.00',
      ...extra,
    }),
  );
  return String(id);
}

const message = (providerMessageId: string, sentAt: number): InboundMessage => ({
  tenantId: SHOP,
  channel: { kind: 'whatsapp', externalId: NUMBER },
  sender: { externalId: PHONE, phone: `+${PHONE}`, name: 'Ayşe Demir' },
  providerMessageId,
  sentAt,
  receivedAt: sentAt + 1000,
  position: 0,
  type: 'text',
  text: 'Bu buketten var mı?',
});

const customer = { id: CUSTOMER, admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER}` };
let ledOrder = '';
let lateOrder = '';

beforeAll(async () => {
  test = await startTestPlatform();
  const { storeOf, keyring, blobs } = test.platform;
  deps = { store: storeOf(STORE_VIEW_RECORDS), keyring, storeOf, blobs };
  await createTenant({ store: test.platform.store, keyring }, SHOP, 'Çiçekçi');
  await connectWhatsAppNumber({ store: test.platform.store, keyring }, SHOP, NUMBER, 'Dükkan');

  // Three orders of 0.10, 0.20 and 0.30 on 2026-11-10 (Istanbul).
  await order('2026-11-10T09:00:00+03:00', [{ title: 'Kartpostal', product: 901, price: '0.10', quantity: 1 }]);
  await order('2026-11-10T10:00:00+03:00', [{ title: 'Kartpostal', product: 901, price: '0.20', quantity: 1 }]);
  await order('2026-11-10T11:00:00+03:00', [{ title: 'Kartpostal', product: 901, price: '0.30', quantity: 1 }]);
  // 23:30 UTC on the 10th is 02:30 on the 11th in Istanbul: the 11th's sale, at the shop's POS.
  await order(
    '2026-11-10T23:30:00Z',
    [{ title: 'Gül buketi', product: 902, price: '250.00', quantity: 2, discount: '50.00' }],
    { source_name: 'pos', location_id: 71 },
  );
  // Cancelled: not a sale.
  await order('2026-11-11T12:00:00+03:00', [{ title: 'Gül buketi', product: 902, price: '999.00', quantity: 1 }], {
    cancelled_at: '2026-11-11T13:00:00+03:00',
  });
  // In euros: its own report.
  await order('2026-11-11T14:00:00+03:00', [{ title: 'Gül buketi', product: 902, price: '30.00', quantity: 1 }], {
    currency: 'EUR',
  });

  // Ayşe wrote on WhatsApp on the 12th; she is the Shopify customer with the same phone.
  await applyCustomer(
    applyDeps(),
    SHOP,
    CustomerWebhook.parse({
      ...customer,
      first_name: 'Ayşe',
      last_name: 'Demir',
      phone: `+${PHONE}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }),
  );
  const wrote = Date.parse('2026-11-12T10:00:00+03:00');
  await recordInbound(
    { store: test.platform.store, keys: await keyring.forTenant(SHOP) },
    message('wamid.sales1', wrote),
  );
  // Her order two days later came out of that conversation; the one 8 days later did not.
  ledOrder = await order(
    new Date(wrote + 2 * DAY).toISOString(),
    [{ title: 'Lale', product: 903, price: '100.00', quantity: 1 }],
    { customer },
  );
  lateOrder = await order(
    new Date(wrote + 8 * DAY).toISOString(),
    [{ title: 'Lale', product: 903, price: '100.00', quantity: 1 }],
    { customer },
  );
}, 120_000);
afterAll(() => test.stop());

describe('the sales report', () => {
  it('adds money exactly: 0.10 + 0.20 + 0.30 is 0.60, by Istanbul day', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-10', to: '2026-11-10' });
    expect(report.currencies).toHaveLength(1);
    const lira = report.currencies[0];
    expect(lira?.totals).toEqual({ orders: 3, units: 3, gross: '0.60', discounts: '0.00', net: '0.60' });
    expect(lira?.days).toEqual([
      { day: '2026-11-10', orders: 3, units: 3, gross: '0.60', discounts: '0.00', net: '0.60' },
    ]);
  });

  it('counts a sale after midnight in Istanbul on the next day, with its location and channel', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-10', to: '2026-11-11' });
    const lira = report.currencies.find((r) => r.currency === 'TRY');
    expect(lira?.days.map((d) => [d.day, d.orders, d.net])).toEqual([
      ['2026-11-10', 3, '0.60'],
      ['2026-11-11', 1, '450.00'],
    ]);
    expect(lira?.totals).toEqual({ orders: 4, units: 5, gross: '500.60', discounts: '50.00', net: '450.60' });
    expect(lira?.products.map((p) => [p.title, p.orders, p.units, p.gross, p.discounts, p.net])).toEqual([
      ['Gül buketi', 1, 2, '500.00', '50.00', '450.00'],
      ['Kartpostal', 3, 3, '0.60', '0.00', '0.60'],
    ]);
    expect(lira?.locations.map((l) => [l.locationId, l.orders, l.net])).toEqual([
      ['71', 1, '450.00'],
      [null, 3, '0.60'],
    ]);
    expect(lira?.channels.map((c) => [c.salesChannel, c.conversationChannel, c.orders])).toEqual([
      ['pos', null, 1],
      ['online', null, 3],
    ]);
  });

  it('leaves cancelled orders out and says how many', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-11', to: '2026-11-11' });
    expect(report.cancelledExcluded).toBe(1);
    const lira = report.currencies.find((r) => r.currency === 'TRY');
    expect(lira?.totals.gross).toBe('500.00');
  });

  it('never adds two currencies together', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-11', to: '2026-11-11' });
    expect(report.currencies.map((r) => [r.currency, r.totals.orders, r.totals.net])).toEqual([
      ['EUR', 1, '30.00'],
      ['TRY', 1, '450.00'],
    ]);
  });

  it('credits WhatsApp with an order placed 2 days after the customer wrote, not one 8 days after', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-13', to: '2026-11-30' });
    const lira = report.currencies.find((r) => r.currency === 'TRY');
    // Equal net sales: by name, the plain online store first.
    expect(lira?.channels.map((c) => [c.salesChannel, c.conversationChannel, c.orders])).toEqual([
      ['online', null, 1],
      ['online', 'whatsapp', 1],
    ]);
    const view = await ordersView(deps, SHOP, { from: '2026-11-13', to: '2026-11-30' });
    const byId = new Map(view.orders.map((o) => [o.orderId, o]));
    expect(byId.get(ledOrder)?.conversationChannel).toBe('whatsapp');
    expect(byId.get(ledOrder)?.customerName).toBe('Ayşe Demir');
    expect(byId.get(lateOrder)?.conversationChannel).toBeNull();
    const filtered = await ordersView(deps, SHOP, { from: '2026-11-13', to: '2026-11-30', channel: 'whatsapp' });
    expect(filtered.orders.map((o) => o.orderId)).toEqual([ledOrder]);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(salesReport(deps, SHOP, { from: '2026-11-12', to: '2026-11-10' })).rejects.toThrow(/ends before/);
  });

  it('writes the CSV rows with the exact sums', async () => {
    const report = await salesReport(deps, SHOP, { from: '2026-11-10', to: '2026-11-10' });
    expect(salesCsvRows(report)[0]).toMatchObject({ section: 'total', currency: 'TRY', gross_sales: '0.60' });
  });
});
