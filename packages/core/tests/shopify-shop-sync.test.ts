import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { fakeShop } from '../../local/src/fakes/shopify-state.js';
import { createLogger } from '../src/platform/log.js';
import { createProducer } from '../src/platform/queue/producer.js';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '../src/shopify/apply.js';
import { shopifyGraphql } from '../src/shopify/graphql.js';
import { type ReconcileDeps, reconcileShops } from '../src/shopify/reconcile.js';
import {
  pushStockAdjustment,
  requeueStuckStockAdjustments,
  type StockDeps,
  type StockPushDeps,
} from '../src/shopify/stock.js';
import type { StockPushMessage } from '../src/shopify/stock-queue.js';
import { SHOPIFY_STOCK_RECORDS } from '../src/shopify/stock-records.js';
import { listStoreProducts, STORE_VIEW_RECORDS, storefrontDomains } from '../src/shopify/store-views.js';
import { sealShopTokens, shopAccess } from '../src/shopify/tokens.js';
import { moveStock } from '../src/stock/moves.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * What the scheduled reconcile does beside repairing the copy, against the local DynamoDB
 * emulator and the fake Shopify over real HTTP: it reads the shop's currency (`shop {
 * currencyCode }`), which the store page's product prices are then shown in, and its primary
 * domain, whose links are the store's own; it reads every line
 * item of an order with more than the hundred its page carries (`order(id:) { lineItems(after:) }`);
 * and its sweep queues again a stock adjustment whose queue send failed, which the stock worker
 * then pushes to Shopify once.
 */

const SHOP = 'buyuk-toptan.myshopify.com';
const TOKEN = 'shpat_shop-sync-test-token-0123456789';
const BUSINESS = 't_shopsync';
const OWNER = { userId: 'u_owner', role: 'owner' as const };
const LOCATION = '905';
const ITEM = '49148400';
const NOW = Date.now();
const log = createLogger('shopify-shop-sync-test');

const storeOfTest = (platform: TestPlatform) =>
  platform.platform.storeOf({ ...STORE_VIEW_RECORDS, ...SHOPIFY_STOCK_RECORDS });

let test: TestPlatform;
let fake: FakeShopify;
let store: ReturnType<typeof storeOfTest>;
let keyring: TestPlatform['platform']['keyring'];
const requeued: StockPushMessage[] = [];

const iso = (ms: number) => new Date(ms).toISOString();
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;
const money = (amount: string) => ({ shopMoney: { amount, currencyCode: 'EUR' } });

/** A wholesale order of `lines` line items, as the GraphQL Admin API holds it. */
function bigOrder(number: number, lines: number) {
  return {
    id: gid('Order', String(number)),
    name: `#${number}`,
    createdAt: iso(NOW - 20 * 60_000),
    updatedAt: iso(NOW - 10 * 60_000),
    currencyCode: 'EUR',
    displayFinancialStatus: 'PAID',
    displayFulfillmentStatus: 'UNFULFILLED',
    customer: null,
    subtotalPriceSet: money(`${lines}.00`),
    totalPriceSet: money(`${lines}.00`),
    lineItems: {
      nodes: Array.from({ length: lines }, (_, index) => ({
        id: gid('LineItem', String(700_000 + index)),
        title: `Koli ${index + 1}`,
        sku: `KOLI-${index + 1}`,
        quantity: 1,
        unfulfilledQuantity: 1,
        variant: { id: gid('ProductVariant', String(800_000 + index)) },
        product: { id: gid('Product', '632910400') },
        originalUnitPriceSet: money('1.00'),
        totalDiscountSet: money('0.00'),
      })),
    },
    shippingLines: { nodes: [] },
    fulfillments: [],
  };
}

const product = {
  id: gid('Product', '632910400'),
  title: 'Koli',
  status: 'ACTIVE',
  tags: [],
  createdAt: iso(NOW - 30 * 60_000),
  updatedAt: iso(NOW - 10 * 60_000),
  variants: {
    nodes: [
      {
        id: gid('ProductVariant', '800000'),
        title: 'Tek',
        sku: 'KOLI-1',
        price: '12.50',
        inventoryItem: { id: gid('InventoryItem', ITEM) },
      },
    ],
  },
  media: { nodes: [] },
};

function reconcileDeps(sweepNow = Date.now()): ReconcileDeps {
  const settings = { clientId: 'sync-test-client', clientSecret: 'sync-test-client-secret', shopBaseUrl: fake.url };
  const applyDeps = { store, keyring };
  const producer = createProducer({
    send: async (queue, body) => {
      expect(queue).toBe('shopify-stock');
      requeued.push(JSON.parse(body) as StockPushMessage);
    },
    sendBatch: async () => ({ failed: [] }),
  });
  return {
    store,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => `${fake.url}/${shop}`, timeoutMs: 5_000 }),
    shopAccess: (tenantId) => shopAccess({ store, keyring, settings }, tenantId),
    apply: {
      customer: (tenantId, customer) => applyCustomer(applyDeps, tenantId, customer),
      order: (tenantId, order) => applyOrder(applyDeps, tenantId, order),
      product: (tenantId, item) => applyProduct(applyDeps, tenantId, item),
      inventoryLevel: (tenantId, level) => applyInventoryLevel(applyDeps, tenantId, level),
    },
    sweep: (tenantId) => requeueStuckStockAdjustments({ store, producer, now: () => sweepNow }, tenantId),
  };
}

function pushDeps(): StockPushDeps {
  const settings = { clientId: 'sync-test-client', clientSecret: 'sync-test-client-secret', shopBaseUrl: fake.url };
  return {
    store,
    keyring,
    log,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => `${fake.url}/${shop}`, timeoutMs: 5_000 }),
    shopAccess: (tenantId) => shopAccess({ store, keyring, settings }, tenantId),
  };
}

async function fakeInventory() {
  const answer = await fetch(`${fake.url}/dev/shopify/inventory?shopDomain=${SHOP}`);
  return (await answer.json()) as {
    levels: { inventoryItemId: string; available: number }[];
    adjustmentsApplied: number;
  };
}

beforeAll(async () => {
  test = await startTestPlatform();
  keyring = test.platform.keyring;
  store = storeOfTest(test);
  fake = await startFakeShopify({ clientId: 'sync-test-client', clientSecret: 'sync-test-client-secret' });
  fake.state.accessTokens[TOKEN] = {
    shop: SHOP,
    scope: 'read_orders,read_products,write_inventory',
    expiresAt: NOW + 3_600_000,
  };
  const shop = fakeShop(fake.state, SHOP);
  shop.currencyCode = 'EUR';
  shop.orders.push(bigOrder(2001, 400), bigOrder(2002, 3));
  shop.products.push(product);

  await createTenant({ store, keyring }, BUSINESS, 'Büyük Toptan');
  const keys = await keyring.forTenant(BUSINESS);
  await store.entities.shopConnection
    .put({
      tenantId: BUSINESS,
      shopDomain: SHOP,
      status: 'connected',
      scopes: 'read_orders,read_products,write_inventory',
      ...sealShopTokens(keys, SHOP, {
        accessToken: TOKEN,
        accessTokenExpiresAt: NOW + 3_600_000,
        refreshToken: 'shprt_shop-sync-test-refresh',
        refreshTokenExpiresAt: NOW + 3_600_000 * 24,
        scopes: 'read_orders,read_products,write_inventory',
      }),
      connectedAt: NOW - 3_600_000,
    })
    .go();
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

describe('the reconcile', () => {
  it("shows product prices in the shop's currency, read from Shopify", async () => {
    const views = { store, keyring, storeOf: test.platform.storeOf, blobs: test.platform.blobs };
    // Before any reconcile the currency is not known: no guess.
    expect((await listStoreProducts(views, BUSINESS, {})).products).toEqual([]);
    const [report] = await reconcileShops(reconcileDeps());
    expect(report?.error).toBeUndefined();
    const { products } = await listStoreProducts(views, BUSINESS, {});
    expect(products).toMatchObject([{ productId: '632910400', currencyCode: 'EUR', variants: [{ price: '12.50' }] }]);
  });

  it('keeps every line item of an order with more than a hundred', async () => {
    const big = (await store.entities.shopOrder.get({ tenantId: BUSINESS, orderId: '2001' }).go()).data;
    const lines = big?.lineItems as { id: string; sku: string }[];
    expect(lines).toHaveLength(400);
    expect(new Set(lines.map((line) => line.id)).size).toBe(400);
    expect(lines.at(-1)?.sku).toBe('KOLI-400');
    const small = (await store.entities.shopOrder.get({ tenantId: BUSINESS, orderId: '2002' }).go()).data;
    expect(small?.lineItems).toHaveLength(3);
  });
});

describe('the stock sweep', () => {
  it('queues again an adjustment whose queue send failed, once it has waited 5 minutes; the worker pushes it once', async () => {
    // Three more runs follow: without the wholesale order (its line items cost most of Shopify's
    // bucket) none of them waits on the throttle.
    fakeShop(fake.state, SHOP).orders.length = 0;
    await fetch(`${fake.url}/dev/shopify/inventory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shopDomain: SHOP,
        inventoryItemId: gid('InventoryItem', ITEM),
        locationId: gid('Location', LOCATION),
        available: 10,
      }),
    });
    await applyInventoryLevel({ store, keyring }, BUSINESS, {
      inventoryItemId: gid('InventoryItem', ITEM),
      locationId: gid('Location', LOCATION),
      available: 10,
      updatedAt: NOW - 3_600_000,
    });
    // The queue is unreachable when the merchant adjusts: recorded, answered, not queued.
    const lostQueue = createProducer({
      send: async () => {
        throw new Error('SQS unavailable');
      },
      sendBatch: async () => ({ failed: [] }),
    });
    const warned: unknown[] = [];
    const warnings = { warn: (...args: unknown[]) => void warned.push(args) };
    const adjust = async (at: number, delta: number) => {
      const entry = await moveStock(
        { store, producer: lostQueue, now: () => at, log: warnings } satisfies StockDeps,
        OWNER,
        BUSINESS,
        { inventoryItemId: ITEM, locationId: LOCATION, delta, reason: 'received' },
      );
      return { adjustmentId: entry.pushId as string };
    };
    const stuck = await adjust(Date.now() - 6 * 60_000, 5);
    const fresh = await adjust(Date.now(), 2);
    expect(
      (await store.entities.shopStockAdjustment.get({ tenantId: BUSINESS, adjustmentId: stuck.adjustmentId }).go()).data
        ?.status,
    ).toBe('pending');
    // Told by ids only.
    expect(warned[0]).toEqual([
      expect.any(String),
      { tenantId: BUSINESS, adjustmentId: stuck.adjustmentId, error: 'Error' },
    ]);

    const before = (await fakeInventory()).adjustmentsApplied;
    const [report] = await reconcileShops(reconcileDeps());
    expect(report?.requeued).toBe(1);
    expect(requeued).toEqual([{ tenantId: BUSINESS, adjustmentId: stuck.adjustmentId }]);

    // The stock worker takes the message: Shopify gets the adjustment once.
    expect(await pushStockAdjustment(pushDeps(), requeued[0] as StockPushMessage)).toBe('pushed');
    const pushed = await fakeInventory();
    expect(pushed.adjustmentsApplied).toBe(before + 1);
    expect(pushed.levels.find((level) => level.inventoryItemId === gid('InventoryItem', ITEM))?.available).toBe(15);

    // The next run finds it settled; the fresh one waits its 5 minutes; nothing is sent twice.
    const [again] = await reconcileShops(reconcileDeps());
    expect(again?.requeued).toBe(0);
    expect(requeued).toHaveLength(1);

    // Later, the fresh one is due too, and only it.
    const [later] = await reconcileShops(reconcileDeps(Date.now() + 6 * 60_000));
    expect(later?.requeued).toBe(1);
    expect(requeued.at(-1)).toEqual({ tenantId: BUSINESS, adjustmentId: fresh.adjustmentId });
  });
});

// After the stock sweep, which leaves the shop without its wholesale order: two quick runs.
describe('the storefront', () => {
  it("takes the shop's primary domain as the store's own, and nothing that is not a host name", async () => {
    const shop = fakeShop(fake.state, SHOP);
    shop.primaryDomain = 'www.buyuktoptan.com.tr';
    await reconcileShops(reconcileDeps());
    expect((await storefrontDomains({ store }, BUSINESS)).sort()).toEqual([SHOP, 'www.buyuktoptan.com.tr']);
    // A value that is not a plain host (a URL with a path, a script) is never trusted as the store's.
    shop.primaryDomain = 'evil.example/path?x=<script>';
    await reconcileShops(reconcileDeps());
    expect((await storefrontDomains({ store }, BUSINESS)).sort()).toEqual([SHOP, 'www.buyuktoptan.com.tr']);
    delete shop.primaryDomain;
  });
});
