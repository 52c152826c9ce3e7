import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import {
  changeWithoutWebhook,
  drainBucket,
  type FakeShopifyGraphql,
  startFakeShopifyGraphql,
} from '../../local/src/fakes/shopify-graphql.js';
import { setFakeInventory } from '../../local/src/fakes/shopify-inventory.js';
import { createFakeShopState, fakeShop } from '../../local/src/fakes/shopify-state.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import type { Store } from '../src/platform/store/service.js';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '../src/shopify/apply.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { shopifyGraphql } from '../src/shopify/graphql.js';
import {
  type ReconcileDeps,
  reconcileShops,
  reconcileStatus,
  type ShopReconcileReport,
} from '../src/shopify/reconcile.js';
import { SHOPIFY_RECONCILE_RECORDS } from '../src/shopify/reconcile-records.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { sealShopTokens, shopAccess } from '../src/shopify/tokens.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The scheduled reconciliation against the local DynamoDB emulator and the fake Shopify's GraphQL
 * endpoint over real HTTP: a change whose webhook was lost is repaired by the next run, a run
 * that finds nothing new changes nothing, a throttled run waits as Shopify's bucket says and
 * finishes, a shop whose token Shopify refuses is recorded and skipped, and shops are found
 * without a Scan. Tokens are opened by the connection's own `shopAccess`; the local copy is
 * written by the webhooks' own apply functions.
 */

const SHOP = 'lale-cicek.myshopify.com';
const TOKEN = 'shpat_reconcile-test-token-0123456789';
const REFUSED_SHOP = 'eski-dukkan.myshopify.com';
const BUSINESS = 't_reconcile';
const REFUSED_BUSINESS = 't_reconcile_refused';
const NO_SHOP_BUSINESS = 't_reconcile_noshop';
const DISCONNECTED_BUSINESS = 't_reconcile_gone';

const T0 = Date.parse('2026-11-30T09:00:00Z');
/** One clock for the fake's bucket and the client's waits: a wait refills the bucket, instantly. */
const clock = { now: T0 };
const waits: number[] = [];

let test: TestPlatform;
let fake: FakeShopifyGraphql;
let deps: ReconcileDeps;
let calls: ReturnType<typeof recordAwsCalls>;
/** The local copy's records, to read what apply stored. */
let copy: Store<typeof SHOPIFY_STORE_RECORDS>;

const iso = (ms: number) => new Date(ms).toISOString();
const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'TRY' } });

/** An order as the GraphQL Admin API returns it for the reconciliation's query. */
function orderNode(number: number, updatedAt: number, fields: Record<string, unknown> = {}) {
  return {
    id: `gid://shopify/Order/${number}`,
    name: `#${number}`,
    email: 'ayse@example.com',
    phone: '+905551112233',
    createdAt: iso(T0 + 60_000),
    updatedAt: iso(updatedAt),
    cancelledAt: null,
    currencyCode: 'TRY',
    displayFinancialStatus: 'PENDING',
    displayFulfillmentStatus: 'UNFULFILLED',
    customer: { id: 'gid://shopify/Customer/207119551' },
    subtotalPriceSet: money('599.70'),
    totalDiscountsSet: money('0.10'),
    totalShippingPriceSet: money('29.99'),
    totalTaxSet: money('0.00'),
    totalPriceSet: money('629.59'),
    discountApplications: { nodes: [{ code: 'KIS10', value: { amount: '0.10', currencyCode: 'TRY' } }] },
    lineItems: {
      nodes: [
        {
          id: `gid://shopify/LineItem/${number}01`,
          title: 'Lale buketi',
          variantTitle: 'Büyük',
          sku: 'LALE-B',
          quantity: 3,
          unfulfilledQuantity: 3,
          variant: { id: 'gid://shopify/ProductVariant/808950810' },
          product: { id: 'gid://shopify/Product/632910392' },
          originalUnitPriceSet: money('199.90'),
          totalDiscountSet: money('0.10'),
        },
      ],
    },
    shippingLines: { nodes: [{ title: 'Kargo', originalPriceSet: money('29.99') }] },
    shippingAddress: {
      name: 'Ayşe Yılmaz',
      address1: 'Moda Cad. 12',
      city: 'İstanbul',
      zip: '34710',
      countryCodeV2: 'TR',
    },
    fulfillments: [],
    ...fields,
  };
}

const customerNode = (updatedAt: number) => ({
  id: 'gid://shopify/Customer/207119551',
  firstName: 'Ayşe',
  lastName: 'Yılmaz',
  state: 'ENABLED',
  createdAt: iso(T0 + 30_000),
  updatedAt: iso(updatedAt),
  tags: ['vip'],
  defaultEmailAddress: { emailAddress: 'ayse@example.com', marketingState: 'SUBSCRIBED', marketingUpdatedAt: iso(T0) },
  defaultPhoneNumber: { phoneNumber: '+905551112233', marketingState: 'NOT_SUBSCRIBED', marketingUpdatedAt: null },
});

const productNode = (updatedAt: number) => ({
  id: 'gid://shopify/Product/632910392',
  title: 'Lale buketi',
  handle: 'lale-buketi',
  status: 'ACTIVE',
  vendor: 'Lale Çiçek',
  productType: 'Buket',
  tags: ['bahar'],
  createdAt: iso(T0 + 10_000),
  updatedAt: iso(updatedAt),
  variants: {
    nodes: [
      {
        id: 'gid://shopify/ProductVariant/808950810',
        title: 'Büyük',
        sku: 'LALE-B',
        barcode: null,
        price: '199.90',
        compareAtPrice: null,
        position: 1,
        inventoryItem: { id: 'gid://shopify/InventoryItem/49148385' },
      },
    ],
  },
  media: {
    nodes: [{ id: 'gid://shopify/MediaImage/1001', image: { url: 'https://cdn.example/lale.jpg', altText: 'Lale' } }],
  },
});

async function connect(tenantId: string, shopDomain: string, accessToken: string, status = 'connected') {
  const keys = await test.platform.keyring.forTenant(tenantId);
  const tokens = {
    accessToken,
    // Valid well past the test: shopAccess opens it without a refresh.
    accessTokenExpiresAt: T0 + 3_600_000 * 24 * 365,
    refreshToken: `shprt_${tenantId}-refresh-token`,
    refreshTokenExpiresAt: T0 + 3_600_000 * 24 * 400,
    scopes: 'read_customers,read_orders,read_products',
  };
  await deps.store.entities.shopConnection
    .put({
      tenantId,
      shopDomain,
      status: status as 'connected',
      scopes: tokens.scopes,
      ...sealShopTokens(keys, shopDomain, tokens),
      connectedAt: T0,
    })
    .go();
}

const reconcile = async (overrides: Partial<ReconcileDeps> = {}) => {
  const reports = await reconcileShops({ ...deps, ...overrides });
  return {
    reports,
    mine: reports.find((report) => report.shopDomain === SHOP) as ShopReconcileReport,
  };
};

const storedOrder = async (number: number) =>
  (await copy.entities.shopOrder.get({ tenantId: BUSINESS, orderId: String(number) }).go()).data;
const cursor = async () =>
  (await deps.store.entities.shopSyncCursor.get({ tenantId: BUSINESS, shopDomain: SHOP }).go()).data;
/** The business's local copy and cursor, exactly as stored. */
const localCopy = async () =>
  (await test.dumpTable()).filter(
    (item) =>
      item.pk === `t#${BUSINESS}` && String(item.sk).startsWith('shop') && !String(item.sk).startsWith('shopify#'),
  );

const newClient = () =>
  shopifyGraphql({
    shopBaseUrl: (shop) => `${fake.url}/${shop}`,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });

beforeAll(async () => {
  test = await startTestPlatform();
  const store = test.platform.storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_RECONCILE_RECORDS,
  });
  const keyring = test.platform.keyring;
  copy = store;
  const shops = createFakeShopState({
    clientId: 'reconcile-test-client',
    clientSecret: 'reconcile-test-client-secret',
  });
  // The token the fake issued at install (its OAuth is the connection's test; here it is given).
  shops.accessTokens[TOKEN] = {
    shop: SHOP,
    scope: 'read_customers,read_orders,read_products,read_inventory,read_locations',
    expiresAt: Date.now() + 3_600_000,
  };
  fake = await startFakeShopifyGraphql({ shops, now: () => clock.now });
  const applyDeps = { store, keyring };
  const settings = { clientId: 'reconcile-test-client', clientSecret: 'reconcile-test-client-secret' };
  deps = {
    store,
    shopify: newClient(),
    shopAccess: (tenantId) => shopAccess({ store, keyring, settings, now: () => clock.now }, tenantId),
    apply: {
      customer: (tenantId, customer) => applyCustomer(applyDeps, tenantId, customer),
      order: (tenantId, order) => applyOrder(applyDeps, tenantId, order),
      product: (tenantId, product) => applyProduct(applyDeps, tenantId, product),
      inventoryLevel: (tenantId, level) => applyInventoryLevel(applyDeps, tenantId, level),
    },
    now: () => clock.now,
  };
  for (const [tenantId, name] of [
    [BUSINESS, 'Lale Çiçek'],
    [REFUSED_BUSINESS, 'Eski Dükkan'],
    [NO_SHOP_BUSINESS, 'Mağazasız'],
    [DISCONNECTED_BUSINESS, 'Kapanan'],
  ] as const) {
    await createTenant({ store, keyring }, tenantId, name);
  }
  await connect(BUSINESS, SHOP, TOKEN);
  // Shopify no longer knows this token (the app was removed there before the webhook arrived).
  await connect(REFUSED_BUSINESS, REFUSED_SHOP, 'shpat_revoked-token-0123456789');
  await connect(DISCONNECTED_BUSINESS, 'kapanan.myshopify.com', 'shpat_gone-token-0123456789', 'disconnected');

  // The shop's history before it connected is the backfill's; what changed since is the reconcile's.
  const catalog = { shopDomain: SHOP } as const;
  changeWithoutWebhook(
    fake.shops,
    { ...catalog, resource: 'orders', node: orderNode(1000, T0 - 86_400_000) },
    T0 - 86_400_000,
  );
  changeWithoutWebhook(
    fake.shops,
    { ...catalog, resource: 'customers', node: customerNode(T0 + 120_000) },
    T0 + 120_000,
  );
  changeWithoutWebhook(fake.shops, { ...catalog, resource: 'products', node: productNode(T0 + 120_000) }, T0 + 120_000);
  changeWithoutWebhook(
    fake.shops,
    // Placed from the English storefront: its notices speak English (order-notices).
    { ...catalog, resource: 'orders', node: orderNode(1001, T0 + 180_000, { customerLocale: 'en-US' }) },
    T0 + 180_000,
  );
  clock.now = T0 + 300_000;
  calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
});
afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

describe('the Shopify reconciliation', () => {
  it('applies what changed since the shop connected, and records the run for the store page', async () => {
    const { reports, mine } = await reconcile();

    expect(mine.error).toBeUndefined();
    expect(mine.counts.customers).toMatchObject({ seen: 1, applied: 1, skipped: 0 });
    expect(mine.counts.products).toMatchObject({ seen: 1, applied: 1, skipped: 0 });
    // Order 1000 was last updated before the connection: not this poll's to fetch.
    expect(mine.counts.orders).toMatchObject({ seen: 1, applied: 1, skipped: 0 });
    expect(await storedOrder(1000)).toBeNull();
    const order = await storedOrder(1001);
    expect(order).toMatchObject({
      name: '#1001',
      financialStatus: 'pending',
      fulfillmentStatus: 'unfulfilled',
      total: { amount: '629.59', currencyCode: 'TRY' },
      customerLocale: 'en-US',
      updatedAt: T0 + 180_000,
    });
    // Sealed like a webhook's: the address is not readable in the table.
    expect(JSON.stringify(order)).not.toContain('Moda Cad.');

    expect(await cursor()).toMatchObject({
      customersUpdatedAt: T0 + 120_000,
      ordersUpdatedAt: T0 + 180_000,
      productsUpdatedAt: T0 + 120_000,
      lastReconciledAt: clock.now,
      lastCounts: { ordersSeen: 1, ordersApplied: 1, customersApplied: 1, productsApplied: 1 },
    });
    // Only connected shops are asked; a refused token is recorded, and the others still run.
    expect(reports.map((report) => report.shopDomain).sort()).toEqual([REFUSED_SHOP, SHOP]);
    expect(reports.find((report) => report.shopDomain === REFUSED_SHOP)?.error).toBe('auth');
    expect(
      (await deps.store.entities.shopSyncCursor.get({ tenantId: REFUSED_BUSINESS, shopDomain: REFUSED_SHOP }).go())
        .data,
    ).toMatchObject({ lastErrorKind: 'auth' });
    // What the store page reads.
    expect(await reconcileStatus(deps.store, BUSINESS, SHOP)).toEqual({
      lastReconciledAt: clock.now,
      counts: expect.objectContaining({ ordersApplied: 1 }),
    });
    expect(await reconcileStatus(deps.store, REFUSED_BUSINESS, REFUSED_SHOP)).toMatchObject({ lastErrorKind: 'auth' });
  });

  it('changes nothing when nothing changed', async () => {
    const before = await localCopy();
    clock.now += 60_000;
    const { mine } = await reconcile();

    // The overlap sees the same items again; apply keeps them, being no newer.
    expect(mine.counts.orders).toMatchObject({ applied: 0 });
    expect(mine.counts.customers).toMatchObject({ applied: 0 });
    expect(mine.counts.products).toMatchObject({ applied: 0 });
    const after = await localCopy();
    // The cursor keeps when this run happened and what it saw; its positions do not move.
    const withoutRun = (items: Record<string, unknown>[]) =>
      items.map((item) => {
        if (!String(item.sk).startsWith('shopsync#')) return item;
        const { lastReconciledAt, lastCounts, updatedAt, ...positions } = item;
        return positions;
      });
    expect(withoutRun(after)).toEqual(withoutRun(before));
    expect(after.length).toBeGreaterThan(3);
  });

  it('repairs an order whose webhook was lost', async () => {
    clock.now += 10 * 60_000;
    // Paid and shipped in Shopify; the orders/updated and orders/fulfilled deliveries never came.
    changeWithoutWebhook(
      fake.shops,
      {
        shopDomain: SHOP,
        resource: 'orders',
        node: orderNode(1001, 0, {
          displayFinancialStatus: 'PAID',
          displayFulfillmentStatus: 'FULFILLED',
          fulfillments: [
            {
              id: 'gid://shopify/Fulfillment/255858046',
              status: 'SUCCESS',
              displayStatus: 'IN_TRANSIT',
              createdAt: iso(clock.now),
              updatedAt: iso(clock.now),
              trackingInfo: [
                { company: 'Yurtiçi Kargo', number: 'YK123456789TR', url: 'https://kargo.example/YK123456789TR' },
              ],
            },
          ],
        }),
      },
      clock.now,
    );
    const changedAt = clock.now;
    expect(await storedOrder(1001)).toMatchObject({ financialStatus: 'pending' });

    clock.now += 15 * 60_000;
    const { mine } = await reconcile();

    expect(mine.counts.orders).toMatchObject({ applied: 1 });
    expect(mine.counts.customers).toMatchObject({ applied: 0 });
    expect(await storedOrder(1001)).toMatchObject({
      financialStatus: 'paid',
      fulfillmentStatus: 'fulfilled',
      updatedAt: changedAt,
    });
    expect((await cursor())?.ordersUpdatedAt).toBe(changedAt);
  });

  it('waits when Shopify answers THROTTLED mid-way, and finishes', async () => {
    clock.now += 60_000;
    for (let number = 2001; number <= 2005; number += 1) {
      clock.now += 1000;
      changeWithoutWebhook(fake.shops, { shopDomain: SHOP, resource: 'orders', node: orderNode(number, 0) }, clock.now);
    }
    const lastChange = clock.now;
    // Enough for the customers query (2 + 2 points) and little more: the orders pages run dry.
    drainBucket(fake.state, SHOP, 5, clock.now);
    fake.state.calls.length = 0;
    waits.length = 0;

    // A fresh client (a new Lambda) has no pacing memory: Shopify's THROTTLED answer is what it learns from.
    const { mine } = await reconcile({ shopify: newClient(), pageSize: 2 });

    expect(mine.error).toBeUndefined();
    // Order 1001 again (inside the overlap, stale) and the five new ones, two per page.
    expect(mine.counts.orders).toMatchObject({ seen: 6, applied: 5, pages: 3 });
    expect(fake.state.calls.some((call) => call.throttled)).toBe(true);
    // Every wait was the bucket's own arithmetic: (4 - available) / 50 s, so under 100 ms each.
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms > 0 && ms <= 80)).toBe(true);
    for (let number = 2001; number <= 2005; number += 1) {
      expect(await storedOrder(number)).toMatchObject({ name: `#${number}` });
    }
    expect((await cursor())?.ordersUpdatedAt).toBe(lastChange);
  });

  it('repairs a stock level whose inventory_levels/update was lost, and keeps a newer one', async () => {
    const shop = fakeShop(fake.shops, SHOP);
    const item = 'gid://shopify/InventoryItem/49148385';
    const level = async (location: number) =>
      (
        await copy.entities.shopInventoryLevel
          .get({ tenantId: BUSINESS, inventoryItemId: '49148385', locationId: String(location) })
          .go()
      ).data;
    clock.now += 60_000;
    // Counted at the shop (91) and the depot (92) in Shopify; neither webhook came.
    setFakeInventory(
      shop,
      { inventoryItemId: item, locationId: 'gid://shopify/Location/91', available: 12 },
      clock.now,
    );
    setFakeInventory(
      shop,
      { inventoryItemId: item, locationId: 'gid://shopify/Location/92', available: 40 },
      clock.now,
    );
    // The shop sells over the counter only; the depot (unnamed here) ships online orders.
    shop.locations = { 'gid://shopify/Location/91': { name: 'Kadıköy mağaza', fulfillsOnlineOrders: false } };
    const countedAt = clock.now;
    // The depot's later sale did arrive by webhook: newer than what the reconcile will read.
    await deps.apply.inventoryLevel(BUSINESS, {
      inventoryItemId: item,
      locationId: 'gid://shopify/Location/92',
      available: 39,
      updatedAt: countedAt + 30_000,
    });

    clock.now += 15 * 60_000;
    const first = await reconcile();
    expect(first.mine.error).toBeUndefined();
    expect(first.mine.counts.inventory).toMatchObject({ seen: 2, applied: 1, skipped: 0 });
    expect(await level(91)).toMatchObject({ available: 12, updatedAt: countedAt });
    expect(await level(92)).toMatchObject({ available: 39, updatedAt: countedAt + 30_000 });
    expect(await cursor()).toMatchObject({ inventoryUpdatedAt: countedAt, lastCounts: { inventoryApplied: 1 } });
    // The locations are kept by name, with whether they ship online orders (cart recovery's stock check).
    const { data: locations } = await copy.entities.shopLocation.query.byId({ tenantId: BUSINESS }).go();
    expect(
      locations.map(({ locationId, name, fulfillsOnlineOrders }) => ({ locationId, name, fulfillsOnlineOrders })),
    ).toEqual([
      { locationId: '91', name: 'Kadıköy mağaza', fulfillsOnlineOrders: false },
      { locationId: '92', name: 'Location 92', fulfillsOnlineOrders: true },
    ]);

    // Two sold at the shop; `inventory_levels/update` lost again: the next run repairs it. It asks
    // for what changed since its cursor less the overlap, so the depot's level is read again
    // (stale: nothing written) and the newer webhook's 39 stays.
    clock.now += 5 * 60_000;
    setFakeInventory(
      shop,
      { inventoryItemId: item, locationId: 'gid://shopify/Location/91', available: 10 },
      clock.now,
    );
    const soldAt = clock.now;
    clock.now += 15 * 60_000;
    const second = await reconcile();
    expect(second.mine.counts.inventory).toMatchObject({ seen: 2, applied: 1 });
    expect(await level(91)).toMatchObject({ available: 10, updatedAt: soldAt });
    expect(await level(92)).toMatchObject({ available: 39 });
    expect((await cursor())?.inventoryUpdatedAt).toBe(soldAt);

    // A connection approved before the app asked for `read_locations`: Shopify refuses the
    // locations; the rest of the run stands and the stock is left to the webhooks, said so.
    const token = fake.shops.accessTokens[TOKEN] as { scope: string };
    const granted = token.scope;
    token.scope = 'read_customers,read_orders,read_products,read_inventory';
    try {
      clock.now += 15 * 60_000;
      const refused = await reconcile();
      expect(refused.mine.error).toBeUndefined();
      expect(refused.mine.stockError).toBe('access-denied');
      expect(refused.mine.counts.orders).toBeDefined();
      expect(await reconcileStatus(deps.store, BUSINESS, SHOP)).toEqual({
        lastReconciledAt: clock.now,
        counts: expect.objectContaining({ inventorySeen: 0 }),
      });
      expect((await cursor())?.inventoryUpdatedAt).toBe(soldAt);
    } finally {
      token.scope = granted;
    }
  });

  it('found every shop by Query, never a Scan', () => {
    const commands = calls.calls.map((call) => call.command);
    expect(commands).toContain('QueryCommand');
    expect(commands).not.toContain('ScanCommand');
  });
});
