import type { StoreSync } from '@asistone/contract/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { backfillStatus } from '../../packages/core/src/shopify/backfill.js';
import { SHOPIFY_BACKFILL_RECORDS } from '../../packages/core/src/shopify/backfill-records.js';
import { SHOPIFY_STORE_RECORDS } from '../../packages/core/src/shopify/store-records.js';
import { localAws } from '../support/local-aws.js';
import { type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from './accounts-client.js';

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

async function connect(shop: string) {
  const started = await api.call<{ authorizeUrl: string }>('POST', `/businesses/${owner.tenantId}/shopify/install`, {
    token: owner.accessToken,
    body: { shop },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const authorize = await fetch(started.body.authorizeUrl, { redirect: 'manual' });
  const callback = await fetch(authorize.headers.get('location') as string, { redirect: 'manual' });
  expect(callback.status).toBe(302);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a first connect backfills the store', () => {
  it('refuses to generate orders for something that is not a shop (400)', async () => {
    const answer = await fetch(`${stack.url}/dev/shopify/orders/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopDomain: 'evil.com', count: 5 }),
    });
    expect(answer.status).toBe(400);
  });

  it("queues the backfill at connect and the worker brings every order of the shop's history", async () => {
    const generated = await fetch(`${stack.url}/dev/shopify/orders/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopDomain: SHOP, count: ORDERS, from: 7001 }),
    });
    expect(generated.status).toBe(200);
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
});
