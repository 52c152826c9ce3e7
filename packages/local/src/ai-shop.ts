import { addKnowledgeEntry } from '@asistone/core/ai/knowledge';
import { type AiReplyRequest, aiReplyRequestOf } from '@asistone/core/ai/queue';
import { AI_SETTINGS_RECORDS } from '@asistone/core/ai/settings-records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { metaDelivery } from '@asistone/core/channels/meta/envelope';
import { processMetaDelivery } from '@asistone/core/channels/meta/events';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import type { Platform } from '@asistone/core/platform/context';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '@asistone/core/shopify/apply';
import { CustomerWebhook, InventoryLevelWebhook, OrderWebhook, ProductWebhook } from '@asistone/core/shopify/payloads';
import { SHOPIFY_RECONCILE_RECORDS } from '@asistone/core/shopify/reconcile-records';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { connectWhatsAppNumber, createTenant } from '@asistone/core/tenancy/tenants';
import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Keten Butik, the shop the AI agent is tried against (the agent's and tools' tests, and
 * `npm run eval`): a WhatsApp number, two customers who bought (Ayşe two orders, one shipped;
 * Mehmet one, shipped), one who only writes (Zeynep), a small catalogue with stock and the
 * knowledge base's usual entries, all written through the same functions the Shopify sync, the
 * Meta worker and the settings page use, so what the tools read is what production stores.
 * Each caller runs it on its own emulator's table, so the numbers may repeat between them.
 */

export const AI_SHOP = {
  name: 'Keten Butik',
  number: '100000000000871',
  waba: '100000000000872',
  shopDomain: 'keten-butik.myshopify.com',
} as const;

/** Who writes the knowledge base and the agent's settings. */
export const AI_SHOP_OWNER = { userId: 'u_owner' } as const;

export interface AiShopCustomer {
  phone: string;
  name: string;
}

/** `shopifyId` and `address` only for those with orders. */
export const AI_SHOP_CUSTOMERS = {
  ayse: { phone: '905551240001', name: 'Ayşe Yılmaz', shopifyId: 3001, address: 'Moda Caddesi 12' },
  mehmet: { phone: '905551240002', name: 'Mehmet Demir', shopifyId: 3002, address: 'Bağdat Caddesi 99' },
  /** Writes on WhatsApp but never bought anything. */
  zeynep: { phone: '905551240003', name: 'Zeynep Kaya' },
} as const;

type Buyer = 'ayse' | 'mehmet';

/** Every order is two linen shirts (M, 449.90) plus 29.99 shipping: 929.79 TRY; a shipped one is tracked as `YK<id>TR`. */
export const AI_SHOP_ORDERS = [
  { id: 5001, name: '#1041', buyer: 'ayse', shipped: true, placedAt: '2026-11-20T10:00:00+03:00' },
  { id: 5002, name: '#1042', buyer: 'ayse', shipped: false, placedAt: '2026-11-28T10:00:00+03:00' },
  { id: 5003, name: '#1043', buyer: 'mehmet', shipped: true, placedAt: '2026-11-29T10:00:00+03:00' },
] as const satisfies readonly { id: number; name: string; buyer: Buyer; shipped: boolean; placedAt: string }[];

export const trackingNumberOf = (orderId: number) => `YK${orderId}TR`;

/** What only this buyer's orders hold: never to reach the model or a reply in anyone else's conversation. */
export function onlyTheirs(buyer: Buyer): string[] {
  const orders = AI_SHOP_ORDERS.filter((order) => order.buyer === buyer);
  return [
    ...orders.filter((order) => order.shipped).map((order) => trackingNumberOf(order.id)),
    AI_SHOP_CUSTOMERS[buyer].address,
    ...orders.map((order) => order.name),
  ];
}

export const AI_SHOP_KNOWLEDGE = [
  {
    title: 'Kargo ve teslimat',
    body: 'Siparişler 1-3 iş gününde Yurtiçi Kargo ile gönderilir. Kargo takip numarası SMS ile iletilir.',
  },
  {
    title: 'İade koşulları',
    body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz. İade kargo ücreti bize aittir.',
  },
  { title: 'Çalışma saatleri', body: 'Mağazamız hafta içi 09:00-18:00 arası açıktır.' },
  { title: 'Return policy', body: 'You can return an item within 14 days with its invoice.' },
  { title: 'Opening hours', body: 'We are open on weekdays from 09:00 to 18:00.' },
] as const;

type ShopPlatform = Pick<Platform, 'storeOf' | 'keyring'>;

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** The business with its WhatsApp number, as signing up and connecting the number leave it. */
export async function openAiShop(platform: ShopPlatform, tenantId: string) {
  const store = platform.storeOf({ ...TENANCY_RECORDS, ...AUDIT_RECORDS });
  await createTenant({ store, keyring: platform.keyring }, tenantId, AI_SHOP.name);
  await connectWhatsAppNumber(
    { store, keyring: platform.keyring },
    tenantId,
    AI_SHOP.number,
    AI_SHOP.name,
    AI_SHOP.waba,
  );
}

let sequence = 0;

/**
 * A customer's WhatsApp text processed as Meta's worker does; answers the request the inbox's
 * hook hands to the agent (undefined if nothing was recorded). `sentAt` defaults to a few seconds
 * ago, in the order of the calls.
 */
export async function customerWrites(
  platform: ShopPlatform,
  who: AiShopCustomer,
  text: string,
  options: { sentAt?: number; log?: Logger } = {},
): Promise<AiReplyRequest | undefined> {
  sequence += 1;
  const sentAt = options.sentAt ?? Date.now() - 5_000 + sequence;
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '905550001122', phone_number_id: AI_SHOP.number },
    contacts: [{ profile: { name: who.name }, wa_id: who.phone }],
    messages: [
      {
        from: who.phone,
        id: `wamid.aishop.${sentAt}.${sequence}`,
        timestamp: String(Math.floor(sentAt / 1000)),
        type: 'text',
        text: { body: text },
      },
    ],
  };
  const body = {
    object: 'whatsapp_business_account',
    entry: [{ id: AI_SHOP.waba, changes: [{ field: 'messages', value }] }],
  };
  let request: AiReplyRequest | undefined;
  await processMetaDelivery(
    {
      store: platform.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }),
      keyring: platform.keyring,
      log: options.log ?? quiet,
      async onRecorded(message, recorded) {
        request = aiReplyRequestOf(message, recorded);
      },
    },
    metaDelivery(Buffer.from(JSON.stringify(body)), sentAt + 500),
  );
  return request;
}

function orderWebhook(order: (typeof AI_SHOP_ORDERS)[number]) {
  const buyer = AI_SHOP_CUSTOMERS[order.buyer];
  return OrderWebhook.parse({
    id: order.id,
    name: order.name,
    email: `${buyer.shopifyId}@example.com`,
    phone: `+${buyer.phone}`,
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: order.shipped ? 'fulfilled' : null,
    created_at: order.placedAt,
    updated_at: order.placedAt,
    customer: { id: buyer.shopifyId },
    line_items: [
      {
        id: order.id + 1,
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
    shipping_address: { first_name: 'X', last_name: 'Y', address1: buyer.address, city: 'İstanbul', country: 'Turkey' },
    shipping_lines: [{ title: 'Kargo', price: '29.99' }],
    fulfillments: order.shipped
      ? [
          {
            id: order.id + 2,
            status: 'success',
            shipment_status: 'in_transit',
            tracking_company: 'Yurtiçi Kargo',
            tracking_number: trackingNumberOf(order.id),
            tracking_url: `https://kargo.example/${trackingNumberOf(order.id)}`,
            created_at: order.placedAt,
            updated_at: order.placedAt,
          },
        ]
      : [],
    subtotal_price: '899.80',
    total_discounts: '0.00',
    total_tax: '0.00',
    total_price: '929.79',
  });
}

export interface AiShopVariant {
  id: number;
  title: string;
  sku: string;
  price: string;
  /** The inventory item, whose levels are the stock per location. */
  item: number;
}

/** A product as Shopify's `products/update` webhook sends it. */
export function productWebhook(id: number, title: string, variants: AiShopVariant[], status = 'active') {
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

/**
 * The catalogue: a linen shirt in two sizes (S in stock in two places, M sold out), a lamp, a
 * draft product (never shown), and seven striped shirts, so "gömlek" has more than five answers.
 */
const CATALOGUE = [
  productWebhook(700001, 'Keten Gömlek', [
    { id: 800001, title: 'S', sku: 'GML-KTN-S', price: '449.90', item: 900001 },
    { id: 800002, title: 'M', sku: 'GML-KTN-M', price: '459.90', item: 900002 },
  ]),
  productWebhook(700002, 'Işık Abajur', [{ id: 800010, title: 'Tek', sku: 'ABJ-1', price: '1299.00', item: 900010 }]),
  productWebhook(
    700003,
    'Gizli Gömlek Taslağı',
    [{ id: 800020, title: 'Tek', sku: 'DRAFT-1', price: '1.00', item: 900020 }],
    'draft',
  ),
  ...Array.from({ length: 7 }, (_, i) =>
    productWebhook(700100 + i, `Çizgili Gömlek ${i + 1}`, [
      { id: 800100 + i, title: 'Tek', sku: `CZG-${i}`, price: '399.00', item: 900100 + i },
    ]),
  ),
];

/** [inventory item, location, available] */
const STOCK: [number, number, number][] = [
  [900001, 61001, 4],
  [900001, 61002, 1],
  [900002, 61001, 0],
  [900010, 61001, 2],
];

/**
 * The shop's data after the customers first wrote (`customerWrites`): Shopify customers matched to
 * the contacts by phone, their orders, the catalogue with stock, the shop's currency, and the
 * knowledge base.
 */
export async function seedAiShop(platform: ShopPlatform, tenantId: string) {
  const { keyring } = platform;
  const apply = {
    store: platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }),
    keyring,
  };
  for (const buyer of [AI_SHOP_CUSTOMERS.ayse, AI_SHOP_CUSTOMERS.mehmet]) {
    const [firstName, lastName] = buyer.name.split(' ');
    await applyCustomer(
      apply,
      tenantId,
      CustomerWebhook.parse({
        id: buyer.shopifyId,
        email: `${buyer.shopifyId}@example.com`,
        phone: `+${buyer.phone}`,
        first_name: firstName,
        last_name: lastName,
        tags: '',
        created_at: '2026-10-01T09:00:00+03:00',
        updated_at: '2026-10-01T09:00:00+03:00',
      }),
    );
  }
  for (const order of AI_SHOP_ORDERS) await applyOrder(apply, tenantId, orderWebhook(order));
  for (const product of CATALOGUE) await applyProduct(apply, tenantId, product);
  for (const [item, location, available] of STOCK) {
    await applyInventoryLevel(
      apply,
      tenantId,
      InventoryLevelWebhook.parse({
        inventory_item_id: item,
        location_id: location,
        available,
        updated_at: '2026-11-30T10:00:00+03:00',
      }),
    );
  }
  // The shop's currency, as the scheduled reconcile records it from `shop { currencyCode }`.
  await platform
    .storeOf(SHOPIFY_RECONCILE_RECORDS)
    .entities.shopSyncCursor.upsert({ tenantId, shopDomain: AI_SHOP.shopDomain, currencyCode: 'TRY' })
    .go();
  const knowledge = { store: platform.storeOf({ ...AI_SETTINGS_RECORDS, ...AUDIT_RECORDS }), keyring };
  for (const entry of AI_SHOP_KNOWLEDGE) await addKnowledgeEntry(knowledge, AI_SHOP_OWNER, tenantId, { ...entry });
}
