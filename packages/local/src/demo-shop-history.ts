import type { FakeShop } from './fakes/shopify-state.js';

/**
 * The demo shop's past, as Shopify's GraphQL API returns it: a small Istanbul flower and gift
 * shop with 40 customers, 12 products (stock at two locations) and 120 orders over the 90 days
 * before it was first seeded. The first backfill imports it through the fake's bulk operations,
 * so a newcomer on `npm start` watches the store page count it in, and one customer, the fake
 * Meta customer page's default WhatsApp number, has orders the inbox's Orders panel shows.
 *
 * Deterministic: the same `seededAt` gives the same shop. The names and addresses are made up
 * (`example.com` addresses reach nobody; `+90 532 123 45 67` is the dev customer page's default).
 */

export const DEMO_HISTORY = {
  customers: 40,
  products: 12,
  orders: 120,
  days: 90,
  /** The two places stock is kept (Shopify location ids): the shop, and the depot that ships online orders. */
  locations: ['71', '72'] as const,
  locationNames: { '71': 'Kadıköy mağaza', '72': 'Ümraniye depo' },
  /** The customer who writes on WhatsApp from the dev customer page (packages/web DevCustomerPage). */
  whatsappCustomer: { phone: '+905321234567', firstName: 'Ayşe', lastName: 'Demir' },
} as const;

const FIRST = ['Elif', 'Mehmet', 'Zeynep', 'Can', 'Selin', 'Emre', 'Deniz', 'Burak', 'Ece', 'Kerem'];
const LAST = ['Kaya', 'Yıldız', 'Şahin', 'Çelik', 'Aydın', 'Öztürk', 'Arslan', 'Doğan'];
const CITIES = [
  ['İstanbul', '34710'],
  ['Ankara', '06420'],
  ['İzmir', '35210'],
  ['Bursa', '16040'],
] as const;

/** Products: title, variants (title, price in kuruş). */
const CATALOGUE: readonly (readonly [string, readonly (readonly [string, number])[]])[] = [
  [
    'Kırmızı Gül Buketi',
    [
      ['11 dal', 8_495],
      ['21 dal', 14_990],
    ],
  ],
  [
    'Beyaz Orkide',
    [
      ['Tek dal', 34_900],
      ['Çift dal', 54_900],
    ],
  ],
  ['Papatya Sepeti', [['Standart', 12_990]]],
  ['Lale Demeti', [['15 dal', 18_990]]],
  ['Sukulent Seti', [['3’lü', 21_900]]],
  ['Cam Vazo', [['Orta', 12_010]]],
  ['Çikolata Kutusu', [['250 g', 9_990]]],
  ['Ayçiçeği Buketi', [['7 dal', 15_490]]],
  ['Bonsai Ağacı', [['Küçük', 44_900]]],
  ['Lavanta Saksı', [['Standart', 11_990]]],
  ['Hediye Kartı', [['Standart', 2_500]]],
  ['Kuru Çiçek Aranjmanı', [['Standart', 27_990]]],
];

const DAY = 24 * 60 * 60 * 1000;

/** The sales channel of the demo's `index`th order, as GraphQL names it (`sourceName`, `retailLocation`). */
const salesChannelOf = (index: number) =>
  index % 6 === 5
    ? { sourceName: 'pos', retailLocation: { id: `gid://shopify/Location/${DEMO_HISTORY.locations[0]}` } }
    : { sourceName: index % 11 === 7 ? 'shopify_draft_order' : 'web', retailLocation: null };
const iso = (ms: number) => new Date(ms).toISOString();
const money = (kurus: number) => ({
  shopMoney: { amount: `${Math.floor(kurus / 100)}.${String(kurus % 100).padStart(2, '0')}`, currencyCode: 'TRY' },
});

/** A small linear congruential generator: the same seed, the same shop. */
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

interface Variant {
  id: string;
  inventoryItemId: string;
  title: string;
  productTitle: string;
  productId: string;
  sku: string;
  price: number;
}

/** The inventory item of each variant, in catalogue order. */
const inventoryItemOf = (product: number, position: number) =>
  `gid://shopify/InventoryItem/${8_400_001 + product * 10 + position}`;

/**
 * Every variant at both places: the shop (71) keeps a few, the depot (72) more. The numbers the
 * fake holds, which the first backfill imports with the products (shopify/backfill.ts).
 */
export function demoShopStock(): { inventoryItemId: string; locationId: string; available: number }[] {
  const items = CATALOGUE.flatMap(([, options], product) =>
    options.map((_, position) => inventoryItemOf(product, position)),
  );
  return items.flatMap((inventoryItemId, index) =>
    DEMO_HISTORY.locations.map((location, place) => ({
      inventoryItemId,
      locationId: `gid://shopify/Location/${location}`,
      available: place === 0 ? 3 + ((index * 5) % 12) : 20 + ((index * 11) % 40),
    })),
  );
}

/** The demo shop's customers, products, stock per location and orders. */
export function demoShopHistory(
  seededAt: number,
): Pick<FakeShop, 'customers' | 'products' | 'inventory' | 'orders' | 'locations'> {
  const pick = random(20_261_130);
  const start = seededAt - DEMO_HISTORY.days * DAY;

  const customers = Array.from({ length: DEMO_HISTORY.customers }, (_, index) => {
    const demo = index === 0;
    const first = demo ? DEMO_HISTORY.whatsappCustomer.firstName : (FIRST[index % FIRST.length] as string);
    const last = demo ? DEMO_HISTORY.whatsappCustomer.lastName : (LAST[(index * 3) % LAST.length] as string);
    const phone = demo ? DEMO_HISTORY.whatsappCustomer.phone : `+90555${String(1_000_000 + index * 7_919).slice(-7)}`;
    const createdAt = start - (index + 1) * DAY;
    const subscribed = index % 3 !== 2;
    return {
      id: `gid://shopify/Customer/${8_100_001 + index}`,
      firstName: first,
      lastName: last,
      state: 'ENABLED',
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt + DAY),
      tags: index % 5 === 0 ? ['vip'] : [],
      defaultEmailAddress: {
        emailAddress: `musteri${index + 1}@example.com`,
        marketingState: subscribed ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
        marketingUpdatedAt: iso(createdAt),
      },
      defaultPhoneNumber: {
        phoneNumber: phone,
        marketingState: subscribed ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
        marketingUpdatedAt: iso(createdAt),
      },
    };
  });

  const variants: Variant[] = [];
  const products = CATALOGUE.map(([title, options], index) => {
    const productId = `gid://shopify/Product/${8_200_001 + index}`;
    const createdAt = start - 30 * DAY + index * DAY;
    const nodes = options.map(([variantTitle, price], position) => {
      const number = 8_300_001 + index * 10 + position;
      const variant: Variant = {
        id: `gid://shopify/ProductVariant/${number}`,
        inventoryItemId: inventoryItemOf(index, position),
        title: variantTitle,
        productTitle: title,
        productId,
        sku: `DEMO-${String(index + 1).padStart(2, '0')}${position ? `-${position + 1}` : ''}`,
        price,
      };
      variants.push(variant);
      return {
        id: variant.id,
        title: variantTitle,
        sku: variant.sku,
        barcode: null,
        price: money(price).shopMoney.amount,
        compareAtPrice: index % 4 === 0 ? money(Math.round(price * 1.2)).shopMoney.amount : null,
        position: position + 1,
        inventoryItem: { id: variant.inventoryItemId },
      };
    });
    return {
      id: productId,
      title,
      handle: title
        .toLocaleLowerCase('tr-TR')
        .replace(/[çğıöşü’]/g, (c) => ({ ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', '’': '' })[c] ?? c)
        .replace(/[^a-z0-9]+/g, '-'),
      status: index === 11 ? 'DRAFT' : 'ACTIVE',
      vendor: 'Asistone Çiçek',
      productType: index < 5 ? 'Çiçek' : 'Hediye',
      tags: [],
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt + DAY),
      variants: { nodes },
      media: { nodes: [] },
    };
  });

  const inventory = demoShopStock().map((level) => ({ ...level, updatedAt: iso(seededAt - DAY) }));

  const orders = Array.from({ length: DEMO_HISTORY.orders }, (_, index) => {
    const number = 1001 + index;
    // Spread over the 90 days, oldest first, at shop hours.
    const createdAt =
      start + Math.floor(((index + 0.5) * DEMO_HISTORY.days * DAY) / DEMO_HISTORY.orders) + pick(8) * 3_600_000;
    // The WhatsApp customer ordered every 30th order; the rest among the others.
    const customer = customers[
      index % 30 === 29 ? 0 : 1 + pick(DEMO_HISTORY.customers - 1)
    ] as (typeof customers)[number];
    const lines = Array.from({ length: 1 + pick(3) }, (__, line) => {
      const variant = variants[pick(variants.length)] as Variant;
      return { variant, quantity: 1 + pick(3), line };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.variant.price * line.quantity, 0);
    const discount = index % 7 === 3 ? Math.round(subtotal / 10) : 0;
    const shipping = subtotal >= 50_000 ? 0 : 3_990;
    const tax = Math.round(((subtotal - discount) * 20) / 120);
    const age = seededAt - createdAt;
    const cancelled = index % 41 === 17;
    const shipped = !cancelled && age > 2 * DAY;
    const delivered = shipped && age > 6 * DAY;
    const tracking = `YK${String(700_000_000 + number * 37).slice(-9)}`;
    const city = CITIES[pick(CITIES.length)] as (typeof CITIES)[number];
    const name = `${customer.firstName} ${customer.lastName}`;
    return {
      id: `gid://shopify/Order/${8_500_001 + index}`,
      name: `#${number}`,
      email: customer.defaultEmailAddress.emailAddress,
      phone: customer.defaultPhoneNumber.phoneNumber,
      createdAt: iso(createdAt),
      updatedAt: iso(createdAt + (shipped ? (delivered ? 4 : 1) * DAY : 600_000)),
      cancelledAt: cancelled ? iso(createdAt + 3_600_000) : null,
      cancelReason: cancelled ? 'CUSTOMER' : null,
      closedAt: delivered ? iso(createdAt + 4 * DAY) : null,
      currencyCode: 'TRY',
      // Every sixth order was rung up in the shop on Shopify POS (the first location), every
      // eleventh a draft order the team made; the rest came through the online store.
      ...salesChannelOf(index),
      displayFinancialStatus: cancelled ? 'REFUNDED' : index % 19 === 5 && !shipped ? 'PENDING' : 'PAID',
      displayFulfillmentStatus: shipped ? 'FULFILLED' : 'UNFULFILLED',
      customer: { id: customer.id },
      subtotalPriceSet: money(subtotal),
      totalDiscountsSet: money(discount),
      totalShippingPriceSet: money(shipping),
      totalTaxSet: money(tax),
      totalPriceSet: money(subtotal - discount + shipping),
      discountApplications: {
        nodes: discount
          ? [{ code: 'HOSGELDIN10', value: { amount: money(discount).shopMoney.amount, currencyCode: 'TRY' } }]
          : [],
      },
      lineItems: {
        nodes: lines.map(({ variant, quantity, line }) => ({
          id: `gid://shopify/LineItem/${(8_500_001 + index) * 10 + line}`,
          title: variant.productTitle,
          variantTitle: variant.title,
          sku: variant.sku,
          quantity,
          unfulfilledQuantity: shipped ? 0 : quantity,
          variant: { id: variant.id },
          product: { id: variant.productId },
          originalUnitPriceSet: money(variant.price),
          totalDiscountSet: money(0),
        })),
      },
      shippingLines: {
        nodes: [{ title: shipping ? 'Yurtiçi Kargo' : 'Ücretsiz kargo', originalPriceSet: money(shipping) }],
      },
      shippingAddress: {
        name,
        address1: `${['Moda', 'Bağdat', 'Atatürk', 'Cumhuriyet'][pick(4)]} Cd. ${1 + pick(120)}`,
        address2: null,
        city: city[0],
        province: city[0],
        zip: city[1],
        country: 'Turkey',
        countryCodeV2: 'TR',
        phone: customer.defaultPhoneNumber.phoneNumber,
      },
      fulfillments: shipped
        ? [
            {
              id: `gid://shopify/Fulfillment/${8_600_001 + index}`,
              status: 'SUCCESS',
              displayStatus: delivered ? 'DELIVERED' : 'IN_TRANSIT',
              createdAt: iso(createdAt + DAY),
              updatedAt: iso(createdAt + (delivered ? 4 : 1) * DAY),
              trackingInfo: [
                { company: 'Yurtiçi Kargo', number: tracking, url: `https://kargo.example/takip/${tracking}` },
              ],
            },
          ]
        : [],
    };
  });

  // The shop sells over the counter; online orders ship from the depot.
  const locations = Object.fromEntries(
    DEMO_HISTORY.locations.map((location) => [
      `gid://shopify/Location/${location}`,
      { name: DEMO_HISTORY.locationNames[location], fulfillsOnlineOrders: location === '72' },
    ]),
  );
  return { customers, products, inventory, orders, locations };
}

/**
 * Gives an empty shop the demo history (a shop that already has customers, products or orders
 * keeps them): answers whether it did.
 */
export function fillDemoShopHistory(shop: FakeShop, seededAt = Date.now()): boolean {
  if (shop.customers.length || shop.products.length || shop.orders.length || shop.inventory.length) return false;
  Object.assign(shop, demoShopHistory(seededAt));
  return true;
}
