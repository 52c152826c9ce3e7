import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKnowledgeEntry } from '../src/ai/knowledge.js';
import { AI_SETTINGS_RECORDS } from '../src/ai/settings-records.js';
import { agentTools, MAX_TOOL_OUTPUT, runTool, type ToolDeps, type ToolScope } from '../src/ai/tools.js';
import { NOT_YOUR_ORDER } from '../src/ai/tools-orders.js';
import { forgetCatalogueIndex } from '../src/ai/tools-products.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { processMetaDelivery } from '../src/channels/meta/events.js';
import { contactIdOf, conversationIdOf } from '../src/inbox/inbound.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '../src/shopify/apply.js';
import { CustomerWebhook, InventoryLevelWebhook, OrderWebhook, ProductWebhook } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { STORE_VIEW_RECORDS } from '../src/shopify/store-views.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { connectWhatsAppNumber, createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { type WhatsAppCustomer, whatsappMessagesDelivery, whatsappText } from './support/whatsapp-delivery.js';

/**
 * The agent's grounding tools against the local DynamoDB emulator, over a local copy of a store
 * written by the Shopify sync's own apply functions (as webhooks would) and contacts written by
 * the Meta worker's processing of real WhatsApp deliveries: what each tool gives the model, and,
 * above all, what it never gives (another customer's order, an address, a write).
 */
let test: TestPlatform;
let deps: ToolDeps;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
const SHOP = { tenantId: 't_aitools', number: '100000000000771', waba: '100000000000772' };
const AYSE: WhatsAppCustomer = { phone: '905551230001', name: 'Ayşe Yılmaz' };
const MEHMET: WhatsAppCustomer = { phone: '905551230002', name: 'Mehmet Demir' };
/** Writes on WhatsApp but never bought anything. */
const ZEYNEP: WhatsAppCustomer = { phone: '905551230003', name: 'Zeynep Kaya' };
const AYSE_ADDRESS = 'Moda Caddesi 12';
const MEHMET_ADDRESS = 'Bağdat Caddesi 99';

async function scopeOf(who: WhatsAppCustomer): Promise<ToolScope> {
  const keys = await test.platform.keyring.forTenant(SHOP.tenantId);
  const contactId = contactIdOf(keys, 'whatsapp', who.phone);
  return {
    tenantId: SHOP.tenantId,
    contactId,
    conversationId: conversationIdOf(keys, 'whatsapp', SHOP.number, contactId),
  };
}

function orderBody(p: {
  id: number;
  name: string;
  customerId: number;
  phone: string;
  address: string;
  fulfilled?: boolean;
  createdAt: string;
}) {
  return {
    id: p.id,
    name: p.name,
    email: `${p.customerId}@example.com`,
    phone: `+${p.phone}`,
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: p.fulfilled ? 'fulfilled' : null,
    created_at: p.createdAt,
    updated_at: p.createdAt,
    customer: { id: p.customerId },
    line_items: [
      {
        id: p.id + 1,
        title: 'Keten Gömlek',
        variant_title: 'M',
        sku: 'GML-KTN-M',
        product_id: 700001,
        variant_id: 800002,
        quantity: 2,
        price: '449.90',
        total_discount: '0.00',
      },
    ],
    shipping_address: { first_name: 'X', last_name: 'Y', address1: p.address, city: 'İstanbul', country: 'Turkey' },
    shipping_lines: [{ title: 'Kargo', price: '29.99' }],
    fulfillments: p.fulfilled
      ? [
          {
            id: p.id + 2,
            status: 'success',
            shipment_status: 'in_transit',
            tracking_company: 'Yurtiçi Kargo',
            tracking_number: `YK${p.id}TR`,
            tracking_url: `https://kargo.example/YK${p.id}TR`,
            created_at: p.createdAt,
            updated_at: p.createdAt,
          },
        ]
      : [],
    subtotal_price: '899.80',
    total_discounts: '0.00',
    total_tax: '0.00',
    total_price: '929.79',
  };
}

function product(
  id: number,
  title: string,
  variants: { id: number; title: string; sku: string; price: string; item: number }[],
  status = 'active',
) {
  return ProductWebhook.parse({
    id,
    title,
    status,
    product_type: 'Giyim',
    tags: '',
    variants: variants.map((v) => ({
      id: v.id,
      title: v.title,
      sku: v.sku,
      price: v.price,
      inventory_item_id: v.item,
    })),
    images: [],
    created_at: '2026-10-01T09:00:00+03:00',
    updated_at: '2026-11-01T09:00:00+03:00',
  });
}

beforeAll(async () => {
  test = await startTestPlatform();
  const { keyring, blobs, storeOf } = test.platform;
  const store = storeOf(STORE_VIEW_RECORDS);
  deps = { store, keyring, storeOf, blobs };
  const apply = { store: storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }), keyring };
  await createTenant({ store, keyring }, SHOP.tenantId, 'Keten Butik');
  await connectWhatsAppNumber({ store, keyring }, SHOP.tenantId, SHOP.number, 'Keten Butik', SHOP.waba);
  // The customers write on WhatsApp: the inbox has their contacts (with their numbers' blind index).
  let n = 0;
  for (const who of [AYSE, MEHMET, ZEYNEP]) {
    n += 1;
    const sentAt = Date.now() - 60_000 + n;
    const body = whatsappMessagesDelivery(
      SHOP,
      whatsappText(who, { id: `wamid.aitools.${n}`, body: 'Merhaba', sentAt }),
    );
    await processMetaDelivery({ store, keyring, log: quiet }, metaDelivery(body, sentAt + 1000));
  }
  // The Shopify customers with the same numbers, and their orders.
  for (const [id, who] of [
    [3001, AYSE],
    [3002, MEHMET],
  ] as const) {
    await applyCustomer(
      apply,
      SHOP.tenantId,
      CustomerWebhook.parse({
        id,
        email: `${id}@example.com`,
        phone: `+${who.phone}`,
        first_name: who.name.split(' ')[0],
        last_name: who.name.split(' ')[1],
        tags: '',
        created_at: '2026-10-01T09:00:00+03:00',
        updated_at: '2026-10-01T09:00:00+03:00',
      }),
    );
  }
  const orders = [
    {
      id: 5001,
      name: '#1041',
      customerId: 3001,
      phone: AYSE.phone,
      address: AYSE_ADDRESS,
      fulfilled: true,
      createdAt: '2026-11-20T10:00:00+03:00',
    },
    {
      id: 5002,
      name: '#1042',
      customerId: 3001,
      phone: AYSE.phone,
      address: AYSE_ADDRESS,
      createdAt: '2026-11-28T10:00:00+03:00',
    },
    {
      id: 5003,
      name: '#1043',
      customerId: 3002,
      phone: MEHMET.phone,
      address: MEHMET_ADDRESS,
      fulfilled: true,
      createdAt: '2026-11-29T10:00:00+03:00',
    },
  ];
  for (const order of orders) await applyOrder(apply, SHOP.tenantId, OrderWebhook.parse(orderBody(order)));

  // The catalogue: a linen shirt in two sizes with stock in two places, a lamp, a draft, and
  // enough other shirts that "gömlek" has more than five answers.
  await applyProduct(
    apply,
    SHOP.tenantId,
    product(700001, 'Keten Gömlek', [
      { id: 800001, title: 'S', sku: 'GML-KTN-S', price: '449.90', item: 900001 },
      { id: 800002, title: 'M', sku: 'GML-KTN-M', price: '459.90', item: 900002 },
    ]),
  );
  await applyProduct(
    apply,
    SHOP.tenantId,
    product(700002, 'Işık Abajur', [{ id: 800010, title: 'Tek', sku: 'ABJ-1', price: '1299.00', item: 900010 }]),
  );
  await applyProduct(
    apply,
    SHOP.tenantId,
    product(
      700003,
      'Gizli Gömlek Taslağı',
      [{ id: 800020, title: 'Tek', sku: 'DRAFT-1', price: '1.00', item: 900020 }],
      'draft',
    ),
  );
  for (let i = 0; i < 7; i += 1) {
    await applyProduct(
      apply,
      SHOP.tenantId,
      product(700100 + i, `Çizgili Gömlek ${i + 1}`, [
        { id: 800100 + i, title: 'Tek', sku: `CZG-${i}`, price: '399.00', item: 900100 + i },
      ]),
    );
  }
  const level = (item: number, location: number, available: number) =>
    InventoryLevelWebhook.parse({
      inventory_item_id: item,
      location_id: location,
      available,
      updated_at: '2026-11-30T10:00:00+03:00',
    });
  await applyInventoryLevel(apply, SHOP.tenantId, level(900001, 61001, 4));
  await applyInventoryLevel(apply, SHOP.tenantId, level(900001, 61002, 1));
  await applyInventoryLevel(apply, SHOP.tenantId, level(900002, 61001, 0));
  // The shop's currency, as the scheduled reconcile records it from `shop { currencyCode }`.
  await store.entities.shopSyncCursor
    .upsert({ tenantId: SHOP.tenantId, shopDomain: 'keten-butik.myshopify.com', currencyCode: 'TRY' })
    .go();

  const knowledge = { store: storeOf({ ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS }), keyring };
  const owner = { userId: 'u_owner' };
  await addKnowledgeEntry(knowledge, owner, SHOP.tenantId, {
    title: 'Kargo ve teslimat',
    body: 'Siparişler 1-3 iş gününde Yurtiçi Kargo ile gönderilir. Kargo takip numarası SMS ile iletilir.',
  });
  await addKnowledgeEntry(knowledge, owner, SHOP.tenantId, {
    title: 'İade koşulları',
    body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz. İade kargo ücreti bize aittir.',
  });
  await addKnowledgeEntry(knowledge, owner, SHOP.tenantId, {
    title: 'Çalışma saatleri',
    body: 'Mağazamız hafta içi 09:00-18:00 arası açıktır.',
  });
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
      await applyProduct(apply, SHOP.tenantId, product(710000 + i, `Uzun Atkı ${i}`, variants));
    }
    forgetCatalogueIndex(SHOP.tenantId);
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
