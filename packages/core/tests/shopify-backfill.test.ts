import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAwsCalls } from '../../../tests/support/aws-calls.js';
import { type FakeShopify, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { addFakeOrders, createFakeBulkState, shopifyBulkRoutes } from '../../local/src/fakes/shopify-bulk.js';
import { createFakeGraphqlState, shopifyGraphqlRoutes } from '../../local/src/fakes/shopify-graphql.js';
import { setFakeInventory } from '../../local/src/fakes/shopify-inventory.js';
import { createFakeShopState, type FakeShopState, fakeShop } from '../../local/src/fakes/shopify-state.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '../src/shopify/apply.js';
import { type BackfillDeps, backfillStatus, runBackfill } from '../src/shopify/backfill.js';
import { SHOPIFY_BACKFILL_RECORDS } from '../src/shopify/backfill-records.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { shopifyGraphql } from '../src/shopify/graphql.js';
import type { ShopifyOrder } from '../src/shopify/payloads.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { sealShopTokens, shopAccess } from '../src/shopify/tokens.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * A first connect's backfill against the local DynamoDB emulator and the fake Shopify's bulk
 * operations: 500 orders with their line items arrive in the local copy with exact money and the
 * progress reaches done; a run that crashes mid-stream and is resumed leaves every order once and
 * none lost, re-reading only what was not committed; the JSONL is read as a stream (the fake
 * generates each line only when it is asked for one, and the first orders are applied long
 * before the file's end is generated); no Scan.
 */

const CLIENT = { clientId: 'backfill-test-client', clientSecret: 'backfill-test-client-secret' };
const SHOP = 'nar-butik.myshopify.com';
const CRASH_SHOP = 'incir-butik.myshopify.com';
const STREAM_SHOP = 'dut-butik.myshopify.com';
const BUSINESS = 't_backfill';
const CRASH_BUSINESS = 't_backfill_crash';
const STREAM_BUSINESS = 't_backfill_stream';

let test: TestPlatform;
let fake: FakeShopify;
let calls: ReturnType<typeof recordAwsCalls>;
const applyDeps = () => ({ store: all, keyring: test.platform.keyring });

function storeOfAll() {
  return test.platform.storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_BACKFILL_RECORDS,
  });
}
let all: ReturnType<typeof storeOfAll>;

/** A connection whose access token the fake issued (the OAuth is the connection's own test). */
async function connect(shops: FakeShopState, tenantId: string, shopDomain: string) {
  const accessToken = `shpat_${tenantId}_token`;
  shops.accessTokens[accessToken] = { shop: shopDomain, scope: 'read_orders', expiresAt: Date.now() + 3_600_000 };
  const keys = await test.platform.keyring.forTenant(tenantId);
  await all.entities.shopConnection
    .put({
      tenantId,
      shopDomain,
      status: 'connected',
      scopes: 'read_customers,read_orders,read_products',
      ...sealShopTokens(keys, shopDomain, {
        accessToken,
        accessTokenExpiresAt: Date.now() + 3_600_000,
        refreshToken: `shprt_${tenantId}`,
        refreshTokenExpiresAt: Date.now() + 86_400_000,
        scopes: 'read_customers,read_orders,read_products',
      }),
      connectedAt: Date.now(),
    })
    .go();
}

function deps(shopify: ReturnType<typeof shopifyGraphql>, overrides: Partial<BackfillDeps> = {}): BackfillDeps {
  return {
    store: all,
    shopify,
    shopAccess: (tenantId) => shopAccess({ store: all, keyring: test.platform.keyring, settings: CLIENT }, tenantId),
    apply: {
      customer: (tenantId, customer) => applyCustomer(applyDeps(), tenantId, customer),
      order: (tenantId, order) => applyOrder(applyDeps(), tenantId, order),
      product: (tenantId, product) => applyProduct(applyDeps(), tenantId, product),
      inventoryLevel: (tenantId, level) => applyInventoryLevel(applyDeps(), tenantId, level),
    },
    pollIntervalMs: 20,
    ...overrides,
  };
}

const overHttp = () => shopifyGraphql({ shopBaseUrl: (shop) => `${fake.url}/${shop}` });

/** The business's stored orders, by Query of its partition. */
const storedOrders = async (tenantId: string) =>
  (await all.entities.shopOrder.query.byId({ tenantId }).go({ pages: 'all' })).data;

/** `12.34` → 1234, by text only: the amounts must be exact decimals, never floats. */
const cents = (amount: string) => {
  expect(amount).toMatch(/^\d+\.\d{2}$/);
  const [whole, fraction] = amount.split('.');
  return Number(whole) * 100 + Number(fraction);
};

beforeAll(async () => {
  test = await startTestPlatform();
  all = storeOfAll();
  fake = await startFakeShopify(CLIENT);
  for (const tenantId of [BUSINESS, CRASH_BUSINESS, STREAM_BUSINESS]) {
    await createTenant({ store: all, keyring: test.platform.keyring }, tenantId, `Butik ${tenantId}`);
  }
  calls = recordAwsCalls({ dynamo: test.platform.aws.dynamo });
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

describe('a first connect backfills the shop through a bulk operation', () => {
  it('brings 500 orders with their line items into the local copy, money exact, progress done', async () => {
    addFakeOrders(fake.state, SHOP, 500, 1001);
    await connect(fake.state, BUSINESS, SHOP);

    const result = await runBackfill(deps(overHttp()), BUSINESS, SHOP);
    expect(result).toMatchObject({ status: 'done', phase: 'done', ordersDone: 500, failed: 0, more: false });

    const stored = await storedOrders(BUSINESS);
    expect(stored).toHaveLength(500);
    const byId = new Map(stored.map((order) => [order.orderId, order]));
    let fakeTotal = 0;
    let storedTotal = 0;
    for (const node of (fake.state.shops[SHOP]?.orders ?? []) as Record<string, never>[]) {
      const id = String(node.id).split('/').pop() as string;
      const order = byId.get(id);
      expect(order, `order ${id}`).toBeDefined();
      const source = node as unknown as {
        totalPriceSet: { shopMoney: { amount: string } };
        lineItems: { nodes: { quantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }[] };
      };
      expect(order?.total).toEqual({ amount: source.totalPriceSet.shopMoney.amount, currencyCode: 'TRY' });
      const items = order?.lineItems as ShopifyOrder['lineItems'];
      expect(items.map((item) => [item.quantity, item.unitPrice?.amount])).toEqual(
        source.lineItems.nodes.map((item) => [item.quantity, item.originalUnitPriceSet.shopMoney.amount]),
      );
      fakeTotal += cents(source.totalPriceSet.shopMoney.amount);
      storedTotal += cents(order?.total?.amount as string);
    }
    expect(storedTotal).toBe(fakeTotal);
    // A discounted order: 10.00 off, its code kept.
    const discounted = byId.get('1005');
    expect(discounted?.discountCodes).toEqual([
      { code: 'HOSGELDIN10', amount: { amount: '10.00', currencyCode: 'TRY' } },
    ]);
    expect(cents(discounted?.total?.amount as string)).toBe(
      cents(discounted?.subtotal?.amount as string) - 1_000 + cents(discounted?.totalShipping?.amount as string),
    );

    const progress = await backfillStatus(all, BUSINESS, SHOP);
    expect(progress).toMatchObject({ status: 'done', phase: 'done', ordersDone: 500, objectsDone: 500, failed: 0 });
    expect(progress.startedAt).toBeTypeOf('number');
    expect(progress.finishedAt).toBeGreaterThanOrEqual(progress.startedAt as number);

    // Running it again does nothing: the shop is backfilled once, the reconciliation keeps it fresh.
    const again = await runBackfill(deps(overHttp()), BUSINESS, SHOP);
    expect(again).toMatchObject({ status: 'done', ordersDone: 500 });
  }, 60_000);

  it('resumes a crashed run from its last commit: every order once, none lost', async () => {
    addFakeOrders(fake.state, CRASH_SHOP, 500, 5001);
    await connect(fake.state, CRASH_BUSINESS, CRASH_SHOP);

    let calls = 0;
    const crashing = deps(overHttp(), { batchSize: 100, concurrency: 4 });
    crashing.apply = {
      ...crashing.apply,
      async order(tenantId, order) {
        calls += 1;
        if (calls > 250) throw new Error('the function died');
        return applyOrder(applyDeps(), tenantId, order);
      },
    };
    await expect(runBackfill(crashing, CRASH_BUSINESS, CRASH_SHOP)).rejects.toThrow('the function died');
    const halfway = await backfillStatus(all, CRASH_BUSINESS, CRASH_SHOP);
    expect(halfway).toMatchObject({ status: 'running', phase: 'orders', ordersDone: 200, lastErrorKind: 'failed' });
    expect((await storedOrders(CRASH_BUSINESS)).length).toBeGreaterThanOrEqual(200);
    expect((await storedOrders(CRASH_BUSINESS)).length).toBeLessThan(500);

    const outcomes = new Map<string, string[]>();
    const resuming = deps(overHttp(), { batchSize: 100 });
    resuming.apply = {
      ...resuming.apply,
      async order(tenantId, order) {
        const outcome = await applyOrder(applyDeps(), tenantId, order);
        outcomes.set(order.id, [...(outcomes.get(order.id) ?? []), outcome]);
        return outcome;
      },
    };
    const result = await runBackfill(resuming, CRASH_BUSINESS, CRASH_SHOP);
    expect(result).toMatchObject({ status: 'done', ordersDone: 500, failed: 0 });
    // Only what the crash left uncommitted is read again: the 300 orders after the commit.
    expect(outcomes.size).toBe(300);
    expect([...outcomes.values()].every((list) => list.length === 1)).toBe(true);
    const stored = await storedOrders(CRASH_BUSINESS);
    expect(new Set(stored.map((order) => order.orderId)).size).toBe(500);
    expect(stored.map((order) => Number(order.orderId)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 500 }, (_, index) => 5001 + index),
    );
    expect(lastErrorOf(await backfillStatus(all, CRASH_BUSINESS, CRASH_SHOP))).toBeUndefined();
  }, 60_000);

  it('leaves a shop to the run holding its lease: a second run at once does nothing', async () => {
    const shop = 'ayva-butik.myshopify.com';
    addFakeOrders(fake.state, shop, 20, 9001);
    await connect(fake.state, BUSINESS, shop);
    await all.entities.shopBackfill
      .create({
        tenantId: BUSINESS,
        shopDomain: shop,
        status: 'running',
        phase: 'customers',
        runId: 'another-run',
        leaseUntil: Date.now() + 60_000,
      })
      .go();
    let applied = 0;
    const second = deps(overHttp());
    second.apply = {
      ...second.apply,
      async order() {
        applied += 1;
        return 'applied';
      },
    };
    expect(await runBackfill(second, BUSINESS, shop)).toMatchObject({ busy: true, more: true, ordersDone: 0 });
    expect(applied).toBe(0);
    // Once that lease has lapsed (its run died), the next run takes over and finishes.
    await all.entities.shopBackfill.patch({ tenantId: BUSINESS, shopDomain: shop }).set({ leaseUntil: 0 }).go();
    expect(await runBackfill(deps(overHttp()), BUSINESS, shop)).toMatchObject({ status: 'done', ordersDone: 20 });
  }, 60_000);

  it('reads the JSONL as a stream: the first orders are applied long before the file is read', async () => {
    // The fake in-process (no socket buffers between): its file is generated one line per read.
    const shops = createFakeShopState(CLIENT);
    const bulk = createFakeBulkState();
    const app = new Hono();
    app.route('/', shopifyBulkRoutes(shops, bulk, { runMs: 10 }));
    app.route('/', shopifyGraphqlRoutes(shops, createFakeGraphqlState()));
    const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
      app.fetch(new Request(input, init))) as typeof fetch;
    addFakeOrders(shops, STREAM_SHOP, 1_070, 20_001);
    await connect(shops, STREAM_BUSINESS, STREAM_SHOP);

    const linesAtApply: number[] = [];
    const streaming = deps(
      shopifyGraphql({ shopBaseUrl: (shop) => `http://fake-shopify.invalid/${shop}`, fetch: inProcess }),
      { fetch: inProcess, highWaterMark: 1024 },
    );
    streaming.apply = {
      ...streaming.apply,
      async order(tenantId, order) {
        linesAtApply.push(bulk.downloads.at(-1)?.lines ?? 0);
        return applyOrder(applyDeps(), tenantId, order);
      },
    };
    const result = await runBackfill(streaming, STREAM_BUSINESS, STREAM_SHOP);
    expect(result).toMatchObject({ status: 'done', ordersDone: 1_070 });

    const download = bulk.downloads.at(-1) as { lines: number; finished: boolean };
    expect(download.finished).toBe(true);
    expect(download.lines).toBeGreaterThan(5_000);
    // The first batch (100 orders, ~470 lines) was applied when little more than it had been generated.
    expect(linesAtApply[0]).toBeLessThan(1_000);
    // And throughout: never more ahead of what is applied than a batch (~470 lines), readline's
    // queue (at most 1,024 lines) and the stream's 1 KiB buffer: a bound that does not grow with the file.
    const linesPerOrder = download.lines / 1_070;
    const ahead = linesAtApply.map((lines, index) => lines - index * linesPerOrder);
    expect(Math.max(...ahead)).toBeLessThan(2_000);
  }, 60_000);

  it("brings each variant's stock per location with its products, newer-only by each level's time", async () => {
    const shop = 'erik-butik.myshopify.com';
    const business = 't_backfill_stock';
    await createTenant({ store: all, keyring: test.platform.keyring }, business, 'Erik Butik');
    const fakeStore = fakeShop(fake.state, shop);
    const yesterday = Date.now() - 86_400_000;
    const item = (product: number, variant: number) => `gid://shopify/InventoryItem/${77_000 + product * 10 + variant}`;
    // Three products, two variants each, stocked at the shop (81) and the depot (82).
    fakeStore.products.push(
      ...[1, 2, 3].map((product) => ({
        id: `gid://shopify/Product/${76_000 + product}`,
        title: `Vazo ${product}`,
        handle: `vazo-${product}`,
        status: 'ACTIVE',
        tags: [],
        createdAt: new Date(yesterday).toISOString(),
        updatedAt: new Date(yesterday).toISOString(),
        variants: {
          nodes: [1, 2].map((variant) => ({
            id: `gid://shopify/ProductVariant/${78_000 + product * 10 + variant}`,
            title: variant === 1 ? 'Küçük' : 'Büyük',
            sku: `VAZO-${product}-${variant}`,
            barcode: null,
            price: '149.90',
            compareAtPrice: null,
            position: variant,
            inventoryItem: { id: item(product, variant) },
          })),
        },
        media: { nodes: [] },
      })),
    );
    for (const product of [1, 2, 3]) {
      for (const variant of [1, 2]) {
        for (const location of [81, 82]) {
          setFakeInventory(
            fakeStore,
            {
              inventoryItemId: item(product, variant),
              locationId: `gid://shopify/Location/${location}`,
              available: product * 100 + variant * 10 + (location - 80),
            },
            yesterday,
          );
        }
      }
    }
    // A sale at the depot whose `inventory_levels/update` arrived before the import read it:
    // newer than the file's level, so the import must not take it back.
    const sold = Date.now();
    await applyInventoryLevel(applyDeps(), business, {
      inventoryItemId: item(1, 1),
      locationId: 'gid://shopify/Location/82',
      available: 3,
      updatedAt: sold,
    });
    await connect(fake.state, business, shop);

    const result = await runBackfill(deps(overHttp()), business, shop);
    expect(result).toMatchObject({ status: 'done', productsDone: 3, failed: 0 });

    const levels = (await all.entities.shopInventoryLevel.query.byItem({ tenantId: business }).go({ pages: 'all' }))
      .data;
    expect(levels).toHaveLength(12);
    const byKey = new Map(levels.map((level) => [`${level.inventoryItemId}@${level.locationId}`, level]));
    for (const product of [1, 2, 3]) {
      for (const variant of [1, 2]) {
        for (const location of [81, 82]) {
          const stored = byKey.get(`${77_000 + product * 10 + variant}@${location}`);
          if (product === 1 && variant === 1 && location === 82) {
            expect(stored).toMatchObject({ available: 3, updatedAt: sold });
          } else {
            expect(stored).toMatchObject({
              available: product * 100 + variant * 10 + (location - 80),
              updatedAt: yesterday,
            });
          }
        }
      }
    }
  }, 60_000);

  it('found and wrote everything by key and Query, never a Scan', () => {
    const commands = calls.calls.map((call) => call.command);
    expect(commands).toContain('QueryCommand');
    expect(commands).not.toContain('ScanCommand');
  });
});

const lastErrorOf = (view: { lastErrorKind?: string }) => view.lastErrorKind;
