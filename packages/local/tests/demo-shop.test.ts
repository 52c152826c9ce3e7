import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../core/src/inbox/records.js';
import { queueUrlVariable, readConfig } from '../../core/src/platform/config.js';
import { createPlatform } from '../../core/src/platform/context.js';
import { applyCustomer, applyInventoryLevel, applyOrder, applyProduct } from '../../core/src/shopify/apply.js';
import { backfillStatus, runBackfill } from '../../core/src/shopify/backfill.js';
import { SHOPIFY_BACKFILL_QUEUE } from '../../core/src/shopify/backfill-queue.js';
import { SHOPIFY_BACKFILL_RECORDS } from '../../core/src/shopify/backfill-records.js';
import { shopifyGraphql } from '../../core/src/shopify/graphql.js';
import { customerFromNode, orderFromNode, productFromNode } from '../../core/src/shopify/reconcile-queries.js';
import { SHOPIFY_STORE_RECORDS } from '../../core/src/shopify/store-records.js';
import { seedDemoTenant } from '../../core/src/tenancy/demo.js';
import { TENANCY_RECORDS } from '../../core/src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from '../../core/tests/support/platform.js';
import { DEMO_SHOP, seedDemoShop } from '../src/demo-shop.js';
import { DEMO_HISTORY, demoShopHistory, demoShopStock, fillDemoShopHistory } from '../src/demo-shop-history.js';
import { createFakeBulkState, shopifyBulkRoutes } from '../src/fakes/shopify-bulk.js';
import { createFakeGraphqlState, shopifyGraphqlRoutes } from '../src/fakes/shopify-graphql.js';
import { createFakeShopState, fakeShop } from '../src/fakes/shopify-state.js';

/**
 * The demo shop's history: every customer, product and order fits the product's own
 * normalisers (what the backfill applies), the WhatsApp demo customer has shipped orders, and
 * the seed queues the demo business's first backfill once, on the local stack only; that backfill,
 * run against the fake's bulk operations, brings the fake's stock numbers at both locations.
 */
let test: TestPlatform;

beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(async () => {
  await test?.stop();
});

const seededAt = Date.parse('2026-11-30T12:00:00Z');
const DAY = 24 * 3600 * 1000;

async function backfillMessages(env: Record<string, string>): Promise<number> {
  const answer = await test.platform.aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: env[queueUrlVariable(SHOPIFY_BACKFILL_QUEUE.name)],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(answer.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

describe("the demo shop's history", () => {
  it('fits the normalisers the backfill applies, 120 orders over the 90 days before it was seeded', () => {
    const history = demoShopHistory(seededAt);
    expect(history.customers).toHaveLength(DEMO_HISTORY.customers);
    expect(history.products).toHaveLength(DEMO_HISTORY.products);
    expect(history.orders).toHaveLength(DEMO_HISTORY.orders);
    const customers = history.customers.map(customerFromNode);
    const products = history.products.map(productFromNode);
    const orders = history.orders.map(orderFromNode);
    for (const order of orders) {
      expect(order.createdAt).toBeGreaterThanOrEqual(seededAt - 90 * DAY);
      expect(order.createdAt).toBeLessThan(seededAt);
      // Exact decimals: the total is what its parts add up to, in kuruş.
      const kurus = (money?: { amount: string }) => Math.round(Number(money?.amount ?? '0') * 100);
      expect(kurus(order.total)).toBe(
        kurus(order.subtotal) -
          kurus(order.totalDiscounts) +
          order.shippingLines.reduce((s, l) => s + kurus(l.price), 0),
      );
      expect(customers.some((customer) => customer.id === order.customerId)).toBe(true);
    }
    // Every line sells a variant of the catalogue, and every variant is stocked at both locations.
    const variantIds = new Set(products.flatMap((product) => product.variants.map((variant) => variant.id)));
    expect(orders.flatMap((order) => order.lineItems).every((line) => variantIds.has(line.variantId as string))).toBe(
      true,
    );
    const stocked = demoShopStock();
    for (const item of products.flatMap((product) => product.variants.map((variant) => variant.inventoryItemId))) {
      expect(stocked.filter((level) => level.inventoryItemId === item).map((level) => level.locationId)).toEqual([
        'gid://shopify/Location/71',
        'gid://shopify/Location/72',
      ]);
    }
    // The dev customer page's WhatsApp customer has orders, shipped ones with a tracking link.
    const demo = customers.find((customer) => customer.phone === DEMO_HISTORY.whatsappCustomer.phone);
    const theirs = orders.filter((order) => order.customerId === demo?.id);
    expect(theirs.length).toBeGreaterThanOrEqual(3);
    expect(theirs.some((order) => order.fulfillments[0]?.trackingUrls?.[0]?.startsWith('https://'))).toBe(true);
    // The same day, the same shop.
    expect(demoShopHistory(seededAt)).toEqual(history);
  });

  it('fills an empty shop only: a shop with data keeps it', () => {
    const state = createFakeShopState({ clientId: 'c', clientSecret: 's' });
    const shop = fakeShop(state, DEMO_SHOP.domain);
    expect(fillDemoShopHistory(shop, seededAt)).toBe(true);
    const orders = shop.orders;
    expect(fillDemoShopHistory(shop, seededAt + DAY)).toBe(false);
    expect(shop.orders).toBe(orders);
    const other = fakeShop(state, 'dolu.myshopify.com');
    other.orders.push({ id: 'gid://shopify/Order/1' });
    expect(fillDemoShopHistory(other, seededAt)).toBe(false);
    expect(other.orders).toHaveLength(1);
  });

  it('is queued for its first backfill once, on the local stack only, which imports the stock at both locations', async () => {
    await seedDemoTenant(test.platform);
    const aws = createPlatform(readConfig({ ...test.env, STAGE: 'prod', KEY_PROVIDER: 'kms' }));
    expect(await seedDemoShop(aws)).toEqual({ seeded: false });
    expect(await backfillMessages(test.env)).toBe(0);

    expect(await seedDemoShop(test.platform)).toEqual({ seeded: true, backfillQueued: true });
    const store = test.platform.storeOf({
      ...TENANCY_RECORDS,
      ...INBOX_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...SHOPIFY_BACKFILL_RECORDS,
    });
    expect((await backfillStatus(store, 'demo', DEMO_SHOP.domain)).status).toBe('queued');
    expect(await backfillMessages(test.env)).toBe(1);
    const levelsOfDemo = async () =>
      (await store.entities.shopInventoryLevel.query.byItem({ tenantId: 'demo' }).go({ pages: 'all' })).data;
    // The seed writes no stock of its own: the import brings it, as for any shop.
    expect(await levelsOfDemo()).toEqual([]);

    // The queued import, run as its worker runs it, against the fake's bulk operations (in-process).
    const shops = createFakeShopState({ clientId: 'c', clientSecret: 's' });
    fillDemoShopHistory(fakeShop(shops, DEMO_SHOP.domain), seededAt);
    const accessToken = 'shpat_demo_shop_test';
    shops.accessTokens[accessToken] = {
      shop: DEMO_SHOP.domain,
      scope: 'read_inventory',
      expiresAt: Date.now() + 600_000,
    };
    const app = new Hono();
    app.route('/', shopifyBulkRoutes(shops, createFakeBulkState(), { runMs: 10 }));
    app.route('/', shopifyGraphqlRoutes(shops, createFakeGraphqlState()));
    const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
      app.fetch(new Request(input, init))) as typeof fetch;
    const applyDeps = { store, keyring: test.platform.keyring };
    const imported = await runBackfill(
      {
        store,
        shopify: shopifyGraphql({ shopBaseUrl: (shop) => `http://fake-shopify.invalid/${shop}`, fetch: inProcess }),
        shopAccess: async () => ({ shopDomain: DEMO_SHOP.domain, accessToken }),
        apply: {
          customer: (id, customer) => applyCustomer(applyDeps, id, customer),
          order: (id, order) => applyOrder(applyDeps, id, order),
          product: (id, product) => applyProduct(applyDeps, id, product),
          inventoryLevel: (id, level) => applyInventoryLevel(applyDeps, id, level),
        },
        fetch: inProcess,
        pollIntervalMs: 10,
      },
      'demo',
      DEMO_SHOP.domain,
    );
    expect(imported).toMatchObject({ status: 'done', productsDone: DEMO_HISTORY.products, failed: 0 });
    const levels = await levelsOfDemo();
    const expected = demoShopStock().map((level) => ({
      inventoryItemId: level.inventoryItemId.split('/').pop(),
      locationId: level.locationId.split('/').pop(),
      available: level.available,
    }));
    expect(
      levels
        .map(({ inventoryItemId, locationId, available }) => ({ inventoryItemId, locationId, available }))
        .sort((a, b) => `${a.inventoryItemId}/${a.locationId}`.localeCompare(`${b.inventoryItemId}/${b.locationId}`)),
    ).toEqual(
      expected.sort((a, b) =>
        `${a.inventoryItemId}/${a.locationId}`.localeCompare(`${b.inventoryItemId}/${b.locationId}`),
      ),
    );

    // Started again: nothing queued twice.
    expect(await seedDemoShop(test.platform)).toEqual({ seeded: false, backfillQueued: false });
    expect(await backfillMessages(test.env)).toBe(1);
  });
});
