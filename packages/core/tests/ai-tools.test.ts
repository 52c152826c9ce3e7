import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AI_SHOP,
  AI_SHOP_CUSTOMERS,
  customerWrites,
  openAiShop,
  productWebhook,
  seedAiShop,
} from '../../local/src/ai-shop.js';
import { agentTools, MAX_TOOL_OUTPUT, runTool, type ToolDeps, type ToolScope } from '../src/ai/tools.js';
import { NOT_YOUR_ORDER } from '../src/ai/tools-orders.js';
import { forgetCatalogueIndex } from '../src/ai/tools-products.js';
import { contactIdOf, conversationIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { applyProduct } from '../src/shopify/apply.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { STORE_VIEW_RECORDS } from '../src/shopify/store-views.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The agent's grounding tools against the local DynamoDB emulator, over Keten Butik (the AI
 * shop fixture: a local copy written by the Shopify sync's own apply functions, as webhooks
 * would, and contacts written by the Meta worker's processing of real WhatsApp deliveries):
 * what each tool gives the model, and, above all, what it never gives (another customer's
 * order, an address, a write).
 */
let test: TestPlatform;
let deps: ToolDeps;
const TENANT = 't_aitools';
const { ayse: AYSE, mehmet: MEHMET, zeynep: ZEYNEP } = AI_SHOP_CUSTOMERS;
const AYSE_ADDRESS = AYSE.address;
const MEHMET_ADDRESS = MEHMET.address;

async function scopeOf(who: { phone: string }): Promise<ToolScope> {
  const keys = await test.platform.keyring.forTenant(TENANT);
  const contactId = contactIdOf(keys, 'whatsapp', who.phone);
  return {
    tenantId: TENANT,
    contactId,
    conversationId: conversationIdOf(keys, 'whatsapp', AI_SHOP.number, contactId),
  };
}

beforeAll(async () => {
  test = await startTestPlatform();
  const { keyring, blobs, storeOf } = test.platform;
  deps = { store: storeOf(STORE_VIEW_RECORDS), keyring, storeOf, blobs };
  await openAiShop(test.platform, TENANT);
  // The customers write on WhatsApp: the inbox has their contacts (with their numbers' blind index).
  for (const who of [AYSE, MEHMET, ZEYNEP]) await customerWrites(test.platform, who, 'Merhaba');
  await seedAiShop(test.platform, TENANT);
  forgetCatalogueIndex();
}, 60_000);
afterAll(() => test?.stop());

const parse = (content: string) => JSON.parse(content) as Record<string, unknown>;

describe('tool allow-list', () => {
  it('offers exactly the six tools, each with a closed strict schema and no customer, contact or business argument', () => {
    const tools = agentTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['customer_orders', 'hand_off', 'order_status', 'propose_action', 'search_knowledge', 'search_products'].sort(),
    );
    for (const tool of tools) {
      const schema = tool.parameters as {
        type: string;
        properties: Record<string, unknown>;
        required: string[];
        additionalProperties: boolean;
      };
      expect(schema.type).toBe('object');
      expect(schema.additionalProperties).toBe(false);
      expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
      expect(Object.keys(schema.properties).join(' ')).not.toMatch(/contact|customer|tenant|business|conversation/i);
    }
  });

  it('refuses a tool that is not on the list, bad JSON and any argument the schema does not name, running nothing', async () => {
    const scope = await scopeOf(ZEYNEP);
    const mehmet = await scopeOf(MEHMET);
    for (const [name, args] of [
      ['list_all_orders', '{}'],
      ['customer_orders', '{not json'],
      // A model talked into asking for someone else's orders: the id is refused, not used.
      ['customer_orders', JSON.stringify({ contactId: mehmet.contactId })],
      ['order_status', JSON.stringify({ orderName: '#1043', customerId: '3002' })],
      ['search_products', JSON.stringify({ query: 'gömlek', tenantId: 't_other' })],
    ] as const) {
      const result = await runTool(deps, scope, name, args);
      expect(result.found).toBe(false);
      expect(result.citations).toEqual([]);
      expect(parse(result.content)).toHaveProperty('error');
      expect(result.content).not.toContain('1043');
      expect(result.content).not.toContain('Gömlek');
    }
    // The same call without the smuggled id answers in Zeynep's own scope: she has no orders.
    const own = await runTool(deps, scope, 'customer_orders', '{}');
    expect(own.found).toBe(false);
    expect(parse(own.content)).toEqual({ orders: [], more: false });
  });
});

describe('orders', () => {
  it("customer_orders gives this contact's orders with status and tracking, and no address, email, phone or other customer", async () => {
    const result = await runTool(deps, await scopeOf(AYSE), 'customer_orders', '{}');
    expect(result.found).toBe(true);
    const { orders } = parse(result.content) as { orders: Record<string, unknown>[] };
    expect(orders.map((o) => o.name)).toEqual(['#1042', '#1041']);
    // Exactly these fields: a field added to the store's order view does not reach the model unseen.
    expect(Object.keys(orders[1] ?? {}).sort()).toEqual(
      [
        'cancelledAt',
        'fulfillmentStatus',
        'items',
        'moreItems',
        'name',
        'paymentStatus',
        'placedAt',
        'shipments',
        'total',
      ].sort(),
    );
    expect(orders[1]).toMatchObject({
      fulfillmentStatus: 'fulfilled',
      paymentStatus: 'paid',
      total: { amount: '929.79', currencyCode: 'TRY' },
      items: [{ title: 'Keten Gömlek', variant: 'M', quantity: 2 }],
      shipments: [
        {
          carrier: 'Yurtiçi Kargo',
          trackingNumbers: ['YK5001TR'],
          trackingUrls: ['https://kargo.example/YK5001TR'],
          shipmentStatus: 'in_transit',
        },
      ],
    });
    expect(result.citations).toEqual([
      { kind: 'order', id: '5002', label: '#1042' },
      { kind: 'order', id: '5001', label: '#1041' },
    ]);
    for (const secret of [AYSE_ADDRESS, 'İstanbul', AYSE.phone, '3001@example.com', 'Ayşe', '#1043', MEHMET_ADDRESS]) {
      expect(result.content).not.toContain(secret);
    }
  });

  it("order_status answers the contact's own order by any spelling of its number", async () => {
    for (const name of ['#1041', '1041', ' # 1041 ', 'no 1041']) {
      const result = await runTool(deps, await scopeOf(AYSE), 'order_status', JSON.stringify({ orderName: name }));
      expect(result.found).toBe(true);
      expect(result.citations).toEqual([{ kind: 'order', id: '5001', label: '#1041' }]);
      expect(result.content).toContain('YK5001TR');
      expect(result.content).not.toContain(AYSE_ADDRESS);
    }
  });

  it("another customer's order reads exactly like an order that does not exist", async () => {
    const ayse = await scopeOf(AYSE);
    const someoneElses = await runTool(deps, ayse, 'order_status', JSON.stringify({ orderName: '#1043' }));
    const nonexistent = await runTool(deps, ayse, 'order_status', JSON.stringify({ orderName: '#9999' }));
    expect(someoneElses).toEqual(nonexistent);
    expect(someoneElses.found).toBe(false);
    expect(someoneElses.citations).toEqual([]);
    expect(parse(someoneElses.content)).toEqual({ found: false, message: NOT_YOUR_ORDER });
    // And Mehmet does see it: the order exists, so the refusal above was about whose it is.
    const mehmet = await runTool(deps, await scopeOf(MEHMET), 'order_status', JSON.stringify({ orderName: '#1043' }));
    expect(mehmet.found).toBe(true);
    expect(mehmet.content).toContain('YK5003TR');
  });
});

describe('products', () => {
  it('finds the product however the customer writes it, with the exact price, currency and stock per location', async () => {
    const scope = await scopeOf(ZEYNEP);
    for (const query of [
      'keten gömlek',
      'KETEN GÖMLEĞİM',
      'keten gomlegim',
      'keten gömlekler',
      'GML-KTN-S',
      'gml ktn s',
    ]) {
      const result = await runTool(deps, scope, 'search_products', JSON.stringify({ query }));
      expect(result.found).toBe(true);
      expect(result.citations[0]).toEqual({ kind: 'product', id: '700001', label: 'Keten Gömlek' });
      const first = (parse(result.content).products as Record<string, unknown>[])[0];
      expect(first).toEqual({
        title: 'Keten Gömlek',
        productType: 'Giyim',
        variants: [
          {
            title: 'S',
            sku: 'GML-KTN-S',
            price: { amount: '449.90', currencyCode: 'TRY' },
            compareAtPrice: null,
            stock: [
              { locationId: '61001', available: 4 },
              { locationId: '61002', available: 1 },
            ],
            totalAvailable: 5,
          },
          {
            title: 'M',
            sku: 'GML-KTN-M',
            price: { amount: '459.90', currencyCode: 'TRY' },
            compareAtPrice: null,
            stock: [{ locationId: '61001', available: 0 }],
            totalAvailable: 0,
          },
        ],
      });
    }
  });

  it('folds dotted and dotless i: "isik" finds "Işık Abajur"', async () => {
    const result = await runTool(deps, await scopeOf(ZEYNEP), 'search_products', JSON.stringify({ query: 'isik' }));
    expect(result.citations.map((c) => c.label)).toEqual(['Işık Abajur']);
  });

  it('gives at most five, never a draft product, and says so when nothing matches', async () => {
    const scope = await scopeOf(ZEYNEP);
    const many = await runTool(deps, scope, 'search_products', JSON.stringify({ query: 'gömlek' }));
    expect(many.citations).toHaveLength(5);
    expect((parse(many.content).products as unknown[]).length).toBe(5);
    expect(many.content).not.toContain('Taslağı');
    const none = await runTool(deps, scope, 'search_products', JSON.stringify({ query: 'bisiklet' }));
    expect(none).toMatchObject({ found: false, citations: [] });
    expect(parse(none.content)).toEqual({ products: [] });
  });

  it('caps its answer: a product with a huge title is dropped whole rather than cut mid-JSON', async () => {
    const apply = {
      store: test.platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }),
      keyring: test.platform.keyring,
    };
    const variants = Array.from({ length: 10 }, (_, i) => ({
      id: 810000 + i,
      title: `Beden ${'X'.repeat(200)} ${i}`,
      sku: `UZUN-${i}`,
      price: '10.00',
      item: 910000 + i,
    }));
    for (let i = 0; i < 5; i += 1) {
      await applyProduct(apply, TENANT, productWebhook(710000 + i, `Uzun Atkı ${i}`, variants));
    }
    forgetCatalogueIndex(TENANT);
    const result = await runTool(
      deps,
      await scopeOf(ZEYNEP),
      'search_products',
      JSON.stringify({ query: 'uzun atkı' }),
    );
    expect(result.content.length).toBeLessThanOrEqual(MAX_TOOL_OUTPUT);
    const payload = parse(result.content) as { products: unknown[]; truncated?: boolean };
    expect(payload.truncated).toBe(true);
    expect(payload.products.length).toBeGreaterThan(0);
    expect(payload.products.length).toBeLessThan(5);
    expect(result.citations).toHaveLength(payload.products.length);
  });
});

describe('knowledge', () => {
  it('"kargom nerede" finds the shipping entry first; "iade" the returns entry; top three at most', async () => {
    const scope = await scopeOf(ZEYNEP);
    const shipping = await runTool(deps, scope, 'search_knowledge', JSON.stringify({ query: 'kargom nerede' }));
    expect(shipping.found).toBe(true);
    expect(shipping.citations[0]?.label).toBe('Kargo ve teslimat');
    expect(shipping.citations.length).toBeLessThanOrEqual(3);
    expect((parse(shipping.content).entries as { text: string }[])[0]?.text).toContain('1-3 iş gününde');
    const returns = await runTool(deps, scope, 'search_knowledge', JSON.stringify({ query: 'IADE ETMEK ISTIYORUM' }));
    expect(returns.citations[0]?.label).toBe('İade koşulları');
    const nothing = await runTool(deps, scope, 'search_knowledge', JSON.stringify({ query: 'kripto para kabul' }));
    expect(nothing).toMatchObject({ found: false, citations: [] });
  });
});

describe('propose_action and hand_off', () => {
  it('propose_action changes nothing in the table and names only an order of this customer', async () => {
    const before = await test.dumpTable();
    const ayse = await scopeOf(AYSE);
    const own = await runTool(
      deps,
      ayse,
      'propose_action',
      JSON.stringify({ kind: 'refund', orderName: '#1041', details: 'Gömlek dar geldi, para iadesi istiyor' }),
    );
    expect(own.proposal).toEqual({
      kind: 'refund',
      orderName: '#1041',
      details: 'Gömlek dar geldi, para iadesi istiyor',
    });
    expect(own.citations).toEqual([{ kind: 'order', id: '5001', label: '#1041' }]);
    expect(parse(own.content)).toMatchObject({ proposal: own.proposal });
    // Asking to cancel Mehmet's order: the proposal carries no order, and says nothing of it.
    const other = await runTool(
      deps,
      ayse,
      'propose_action',
      JSON.stringify({ kind: 'cancel', orderName: '#1043', details: 'İptal' }),
    );
    expect(other.proposal).toEqual({ kind: 'cancel', orderName: null, details: 'İptal' });
    expect(other.citations).toEqual([]);
    expect(other.content).not.toContain('1043');
    expect(await test.dumpTable()).toEqual(before);
  });

  it('hand_off signals the handoff with the reason', async () => {
    const result = await runTool(
      deps,
      await scopeOf(AYSE),
      'hand_off',
      JSON.stringify({ reason: 'asks for a person' }),
    );
    expect(result.handOff).toEqual({ reason: 'asks for a person' });
    expect(result.found).toBe(true);
  });
});
