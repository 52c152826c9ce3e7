import type { StoreSync } from '@asistone/contract/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { backfillStatus } from '../../packages/core/src/shopify/backfill.js';
import { SHOPIFY_BACKFILL_RECORDS } from '../../packages/core/src/shopify/backfill-records.js';
import { SHOPIFY_STORE_RECORDS } from '../../packages/core/src/shopify/store-records.js';
import { DEMO_HISTORY, demoShopStock } from '../../packages/local/src/demo-shop-history.js';
import { localAws } from '../support/local-aws.js';
import { type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newOwner, type SignedInPerson } from './accounts-client.js';
import { fakeMetaClient } from './fake-meta-client.js';
import { connectFakeShop, fakeShopifyDev } from './store-fixtures.js';

/**
 * A first connect on a real `npm start` with its fake Shopify: the shop already has orders; the
 * merchant connects it through OAuth; the callback queues the backfill, the `shopify-backfill`
 * worker runs the bulk operation, streams its file and every order lands in the local copy,
 * the progress record saying done. Connecting the same shop again does not import it twice.
 */

const SHOP = 'eski-magaza.myshopify.com';
const ORDERS = 240;

let stack: RunningStack;
let api: ApiClient;
let aws: ReturnType<typeof localAws>;
let owner: SignedInPerson & { tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  aws = localAws(stack.dataDir);
  owner = await newOwner(api, 'EskiMagaza');
});
afterAll(async () => {
  await stack?.stop();
});

const connect = (shop: string) => connectFakeShop(api, owner, shop);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a first connect backfills the store', () => {
  it('refuses to generate orders or a history for something that is not a shop (400), or over a shop with data (409)', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${stack.url}/dev/shopify/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('orders/generate', { shopDomain: 'evil.com', count: 5 })).status).toBe(400);
    expect((await post('demo-history', { shopDomain: 'evil.com' })).status).toBe(400);
    // The demo shop has its history already: it is not given another.
    expect((await post('demo-history', { shopDomain: 'asistone-demo.myshopify.com' })).status).toBe(409);
  });

  it("queues the backfill at connect and the worker brings every order of the shop's history", async () => {
    await fakeShopifyDev(stack.url, 'orders/generate', { shopDomain: SHOP, count: ORDERS, from: 7001 });
    await connect(SHOP);

    const core = createPlatform(readConfig(aws.env));
    const store = core.storeOf({ ...SHOPIFY_BACKFILL_RECORDS, ...SHOPIFY_STORE_RECORDS });
    const progress = await until(
      () => backfillStatus(store, owner.tenantId, SHOP),
      (view) => view.status === 'done' || view.status === 'failed',
    );
    expect(progress).toMatchObject({ status: 'done', phase: 'done', ordersDone: ORDERS, failed: 0 });
    const orders = (await store.entities.shopOrder.query.byId({ tenantId: owner.tenantId }).go({ pages: 'all' })).data;
    expect(orders.map((order) => Number(order.orderId)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: ORDERS }, (_, index) => 7001 + index),
    );
    // The store page's sync answer shows the import finished, with its counts.
    const sync = await api.call<StoreSync>('GET', `/businesses/${owner.tenantId}/store/sync`, {
      token: owner.accessToken,
    });
    expect(sync.body.import).toMatchObject({ status: 'done', ordersDone: ORDERS });
    expect(sync.body.import?.finishedAt).toBe(new Date(progress.finishedAt as number).toISOString());

    // The buyer's email is sealed in the copy, never stored plain.
    const raw = (await aws.dumpTable()).filter((row) => row.pk === `t#${owner.tenantId}`);
    expect(JSON.stringify(raw)).not.toContain('musteri7001@example.com');

    // Connecting the same shop again is not a second import: the reconciliation keeps it fresh.
    const finishedAt = progress.finishedAt;
    await connect(SHOP);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await backfillStatus(store, owner.tenantId, SHOP)).toMatchObject({ status: 'done', finishedAt });
  }, 120_000);

  it("imports the demo shop's history at start: stock at two locations, and the WhatsApp demo customer's orders", async () => {
    const demo = await logIn(api, 'owner@demo.asistone.local', 'demo-owner-password');
    const as = { token: demo.accessToken };
    const sync = await until(
      () => api.call<StoreSync>('GET', '/businesses/demo/store/sync', as),
      (answer) => answer.body.import?.status === 'done' || answer.body.import?.status === 'failed',
    );
    expect(sync.body.import).toMatchObject({
      status: 'done',
      ordersDone: DEMO_HISTORY.orders,
      customersDone: DEMO_HISTORY.customers,
      productsDone: DEMO_HISTORY.products,
    });
    // Every variant at both locations, named by its product.
    const stock = await api.call<{ levels: { locationId: string; available: number; productTitle?: string }[] }>(
      'GET',
      '/businesses/demo/stock',
      as,
    );
    expect(stock.body.levels).toHaveLength(demoShopStock().length);
    expect(new Set(stock.body.levels.map((level) => level.locationId))).toEqual(new Set(DEMO_HISTORY.locations));
    expect(stock.body.levels.every((level) => level.productTitle)).toBe(true);

    // Ayşe writes on WhatsApp from the dev customer page's default number: her conversation's
    // Orders panel has her orders, the shipped ones with their tracking.
    const { phone, firstName, lastName } = DEMO_HISTORY.whatsappCustomer;
    await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
      channel: 'whatsapp',
      businessId: '100000000000001',
      customer: { id: phone.slice(1), name: `${firstName} ${lastName}` },
      text: 'Merhaba, siparişim ne durumda?',
    });
    const conversation = await until(
      async () =>
        (
          await api.call<{ conversations: { contact: { id: string; name?: string } }[] }>(
            'GET',
            '/businesses/demo/conversations',
            as,
          )
        ).body.conversations?.find((found) => found.contact.name === `${firstName} ${lastName}`),
      Boolean,
      30_000,
    );
    const orders = await api.call<{ orders: { name: string; trackingUrls: string[] }[] }>(
      'GET',
      `/businesses/demo/contacts/${conversation?.contact.id}/orders`,
      as,
    );
    expect(orders.status).toBe(200);
    expect(orders.body.orders.map((order) => order.name)).toEqual(['#1120', '#1090', '#1060', '#1030']);
    expect(orders.body.orders.filter((order) => order.trackingUrls.length > 0).length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
