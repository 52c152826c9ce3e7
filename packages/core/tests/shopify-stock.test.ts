import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../src/platform/errors.js';
import { createLogger } from '../src/platform/log.js';
import { createProducer } from '../src/platform/queue/producer.js';
import { type QueueRecord, queueWorker } from '../src/platform/queue/worker.js';
import { applyInventoryLevel } from '../src/shopify/apply.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { shopifyGraphql } from '../src/shopify/graphql.js';
import { InventoryLevelWebhook } from '../src/shopify/payloads.js';
import { pushStockAdjustment, type StockDeps, type StockPushDeps } from '../src/shopify/stock.js';
import { SHOPIFY_STOCK_QUEUE, type StockPushMessage } from '../src/shopify/stock-queue.js';
import { SHOPIFY_STOCK_RECORDS } from '../src/shopify/stock-records.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { sealShopTokens, shopAccess } from '../src/shopify/tokens.js';
import { type MemberMoveInput, moveStock, type StockActor } from '../src/stock/moves.js';
import { STOCK_RECORDS } from '../src/stock/records.js';
import { stockView } from '../src/stock/views.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Stock adjustments pushed to Shopify, against the local DynamoDB emulator and the fake Shopify
 * over real HTTP, through the queue worker's own retry and dead-letter handling: a push retried
 * after a timeout (Shopify had applied it) lands once; a push made stale by a sale in Shopify is
 * resolved by the written rule (Shopify's number + our delta, both numbers recorded); an outage
 * keeps the adjustment pending until a redelivery pushes it, and the last try marks it failed; an
 * agent cannot adjust; Shopify's webhook echoing our push does not count it twice.
 */

const SHOP = 'lale-cicek.myshopify.com';
const TOKEN = 'shpat_stock-test-token-0123456789';
const BUSINESS = 't_stock';
const OWNER = { userId: 'u_owner', role: 'owner' as const };
const AGENT = { userId: 'u_agent', role: 'agent' as const };
const LOCATION = '905';
const T0 = Date.parse('2026-11-30T08:00:00Z');

const storeOfTest = (platform: TestPlatform) =>
  platform.platform.storeOf({
    ...TENANCY_RECORDS,
    ...INBOX_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_STOCK_RECORDS,
    ...STOCK_RECORDS,
  });

let test: TestPlatform;
let fake: FakeShopify;
let stock: StockDeps;
let store: ReturnType<typeof storeOfTest>;
let keyring: TestPlatform['platform']['keyring'];
const queued: StockPushMessage[] = [];
const deadLetters: { reason: string }[] = [];
const log = createLogger('shopify-stock-test');

/** How the outside world behaves for the next Shopify calls. */
let shopify: 'up' | 'down' | 'times-out-after-applying' = 'up';
const realFetch = globalThis.fetch;
const shopifyFetch: typeof fetch = async (input, init) => {
  if (shopify === 'down') return new Response('Service Unavailable', { status: 503 });
  const response = await realFetch(input, init);
  if (shopify === 'times-out-after-applying') {
    // Shopify did the work; the answer never reached us.
    await response.body?.cancel();
    throw new DOMException('The operation timed out', 'TimeoutError');
  }
  return response;
};

const item = (n: number) => String(49148385 + n);
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;

async function fakeLevel(itemId: string) {
  const answer = await realFetch(`${fake.url}/dev/shopify/inventory?shopDomain=${SHOP}`);
  const body = (await answer.json()) as {
    levels: { inventoryItemId: string; available: number; updatedAt: string }[];
    adjustmentsApplied: number;
  };
  return {
    ...body.levels.find((l) => l.inventoryItemId === gid('InventoryItem', itemId)),
    applied: body.adjustmentsApplied,
  };
}

async function post(path: string, body: unknown) {
  const answer = await realFetch(`${fake.url}/dev/shopify/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(answer.status).toBe(200);
}

/** The same quantity in the fake Shopify and in the local copy (as a webhook once brought it). */
async function stocked(itemId: string, available: number) {
  await post('inventory', {
    shopDomain: SHOP,
    inventoryItemId: gid('InventoryItem', itemId),
    locationId: gid('Location', LOCATION),
    available,
  });
  await applyInventoryLevel({ store, keyring }, BUSINESS, {
    inventoryItemId: gid('InventoryItem', itemId),
    locationId: gid('Location', LOCATION),
    available,
    updatedAt: T0,
  });
}

const localLevel = async (itemId: string) =>
  (
    await store.entities.shopInventoryLevel
      .get({ tenantId: BUSINESS, inventoryItemId: itemId, locationId: LOCATION })
      .go()
  ).data?.available;
const adjustment = async (adjustmentId: string) =>
  (await store.entities.shopStockAdjustment.get({ tenantId: BUSINESS, adjustmentId }).go()).data;

/** The queue's worker as deployed (retries, settlements, dead letters), fed the queued message. */
function pushDeps(): StockPushDeps {
  const settings = { clientId: 'stock-test-client', clientSecret: 'stock-test-client-secret', shopBaseUrl: fake.url };
  return {
    store,
    keyring,
    log,
    shopify: shopifyGraphql({ shopBaseUrl: (shop) => `${fake.url}/${shop}`, fetch: shopifyFetch, timeoutMs: 5_000 }),
    shopAccess: (tenantId) => shopAccess({ store, keyring, settings }, tenantId),
  };
}
const worker = () =>
  queueWorker(
    SHOPIFY_STOCK_QUEUE,
    () => ({ ...test.platform, deadLetters: { send: async (letter) => void deadLetters.push(letter) }, log }),
    (message, delivery) => pushStockAdjustment(pushDeps(), message, delivery).then(() => undefined),
  );
async function deliver(message: StockPushMessage, receiveCount: number, messageId = `m-${message.adjustmentId}`) {
  const record: QueueRecord = {
    messageId,
    body: JSON.stringify(message),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    eventSource: 'aws:sqs',
  };
  return worker()({ Records: [record] });
}

beforeAll(async () => {
  test = await startTestPlatform();
  keyring = test.platform.keyring;
  store = storeOfTest(test);
  fake = await startFakeShopify({ clientId: 'stock-test-client', clientSecret: 'stock-test-client-secret' });
  // The token the fake issued at install (the connection's own tests cover OAuth).
  fake.state.accessTokens[TOKEN] = { shop: SHOP, scope: 'write_inventory', expiresAt: Date.now() + 3_600_000 };
  await createTenant({ store, keyring }, BUSINESS, 'Lale Çiçek');
  const keys = await keyring.forTenant(BUSINESS);
  await store.entities.shopConnection
    .put({
      tenantId: BUSINESS,
      shopDomain: SHOP,
      status: 'connected',
      scopes: 'write_inventory',
      ...sealShopTokens(keys, SHOP, {
        accessToken: TOKEN,
        accessTokenExpiresAt: Date.now() + 3_600_000,
        refreshToken: 'shprt_stock-test-refresh',
        refreshTokenExpiresAt: Date.now() + 3_600_000 * 24,
        scopes: 'write_inventory',
      }),
      connectedAt: T0,
    })
    .go();
  // The real producer (validation, encoding) into a list: the worker below takes them from there.
  const producer = createProducer({
    send: async (queue, body) => {
      expect(queue).toBe('shopify-stock');
      queued.push(JSON.parse(body) as StockPushMessage);
    },
    sendBatch: async () => ({ failed: [] }),
  });
  stock = { store, producer };
}, 60_000);

afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

const lastQueued = () => queued.at(-1) as StockPushMessage;

/** A member's move, answered with the push it made (every location here is Shopify's). */
async function adjustStock(deps: StockDeps, actor: StockActor, tenantId: string, input: MemberMoveInput) {
  const entry = await moveStock(deps, actor, tenantId, input);
  return { ...entry, adjustmentId: entry.pushId as string };
}

describe('pushing a stock adjustment to Shopify', () => {
  it('applies a push retried after a timeout once: the idempotency key brings back the first answer', async () => {
    await stocked(item(1), 10);
    const made = await adjustStock(stock, OWNER, BUSINESS, {
      inventoryItemId: item(1),
      locationId: LOCATION,
      delta: 5,
      reason: 'received',
    });
    expect(await localLevel(item(1))).toBe(15);
    expect(lastQueued()).toEqual({ tenantId: BUSINESS, adjustmentId: made.adjustmentId });
    const appliedBefore = (await fakeLevel(item(1))).applied;

    shopify = 'times-out-after-applying';
    const first = await deliver(lastQueued(), 1);
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await adjustment(made.adjustmentId)).toMatchObject({
      status: 'pending',
      failureReason: expect.stringContaining('TIMEOUT'),
    });
    expect(await fakeLevel(item(1))).toMatchObject({ available: 15, applied: appliedBefore + 1 });

    shopify = 'up';
    const second = await deliver(lastQueued(), 2);
    expect(second.batchItemFailures).toEqual([]);
    expect(await adjustment(made.adjustmentId)).toMatchObject({
      status: 'pushed',
      quantityBefore: 10,
      shopifyAfter: 15,
    });
    // Once in Shopify, not 20.
    expect(await fakeLevel(item(1))).toMatchObject({ available: 15, applied: appliedBefore + 1 });
    expect(await localLevel(item(1))).toBe(15);

    // A redelivery of the settled message changes nothing.
    await deliver(lastQueued(), 3, 'another-copy');
    expect(await fakeLevel(item(1))).toMatchObject({ available: 15, applied: appliedBefore + 1 });
  });

  it("does not count Shopify's webhook echoing our push twice", async () => {
    const { updatedAt } = await fakeLevel(item(1));
    const echo = InventoryLevelWebhook.parse({
      inventory_item_id: Number(item(1)),
      location_id: Number(LOCATION),
      available: 15,
      updated_at: updatedAt,
    });
    // The push already stored Shopify's number with Shopify's time: the echo is the same version.
    expect(await applyInventoryLevel({ store, keyring }, BUSINESS, echo)).toBe('stale');
    expect(await localLevel(item(1))).toBe(15);
    // A later delivery carries an absolute quantity, never a delta: still 15.
    await applyInventoryLevel({ store, keyring }, BUSINESS, { ...echo, updatedAt: echo.updatedAt + 1_000 });
    expect(await localLevel(item(1))).toBe(15);
  });

  it("resolves a stale push by the rule: our delta on top of Shopify's number, both numbers recorded", async () => {
    await stocked(item(2), 20);
    const made = await adjustStock(stock, OWNER, BUSINESS, {
      inventoryItemId: item(2),
      locationId: LOCATION,
      delta: 3,
      reason: 'returned',
    });
    expect(await localLevel(item(2))).toBe(23);
    // Meanwhile two are sold in the online store.
    await post('sell', {
      shopDomain: SHOP,
      inventoryItemId: gid('InventoryItem', item(2)),
      locationId: gid('Location', LOCATION),
      quantity: 2,
    });
    expect((await fakeLevel(item(2))).available).toBe(18);

    const result = await deliver(lastQueued(), 1);
    expect(result.batchItemFailures).toEqual([]);
    expect(await adjustment(made.adjustmentId)).toMatchObject({
      status: 'resolved-stale',
      quantityBefore: 20,
      shopifyFound: 18,
      shopifyAfter: 21,
    });
    expect((await fakeLevel(item(2))).available).toBe(21);
    expect(await localLevel(item(2))).toBe(21);
  });

  it('keeps an adjustment pending while Shopify is down, pushes it on a later delivery, and fails it after the last', async () => {
    await stocked(item(3), 7);
    const made = await adjustStock(stock, OWNER, BUSINESS, {
      inventoryItemId: item(3),
      locationId: LOCATION,
      delta: -2,
      reason: 'damaged',
    });
    const message = lastQueued();
    shopify = 'down';
    for (const receiveCount of [1, 2]) {
      const result = await deliver(message, receiveCount);
      expect(result.batchItemFailures).toHaveLength(1);
      expect(await adjustment(made.adjustmentId)).toMatchObject({ status: 'pending', pushAttempts: receiveCount });
    }
    expect((await fakeLevel(item(3))).available).toBe(7);
    shopify = 'up';
    expect((await deliver(message, 3)).batchItemFailures).toEqual([]);
    expect(await adjustment(made.adjustmentId)).toMatchObject({ status: 'pushed', shopifyAfter: 5 });
    expect((await fakeLevel(item(3))).available).toBe(5);

    const doomed = await adjustStock(stock, OWNER, BUSINESS, {
      inventoryItemId: item(3),
      locationId: LOCATION,
      delta: 1,
      reason: 'correction',
    });
    shopify = 'down';
    await deliver(lastQueued(), SHOPIFY_STOCK_QUEUE.maxReceiveCount);
    shopify = 'up';
    expect(await adjustment(doomed.adjustmentId)).toMatchObject({
      status: 'failed',
      failureReason: 'retryable HTTP 503',
    });
    expect(deadLetters).toHaveLength(1);
    expect((await fakeLevel(item(3))).available).toBe(5);
  });

  it("refuses an agent's adjustment and bad input, changing nothing", async () => {
    await stocked(item(4), 4);
    const before = queued.length;
    const input = { inventoryItemId: item(4), locationId: LOCATION, delta: 1, reason: 'received' as const };
    await expect(adjustStock(stock, AGENT, BUSINESS, input)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(adjustStock(stock, OWNER, BUSINESS, { ...input, delta: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(adjustStock(stock, OWNER, BUSINESS, { ...input, delta: 1.5 })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      adjustStock(stock, OWNER, BUSINESS, { ...input, reason: 'stolen' as unknown as 'received' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(adjustStock(stock, OWNER, BUSINESS, { ...input, inventoryItemId: 'abc' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(adjustStock(stock, OWNER, BUSINESS, { ...input, locationId: '1' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await localLevel(item(4))).toBe(4);
    expect(queued.length).toBe(before);
    const stored = await store.entities.shopStockAdjustment.query.byId({ tenantId: BUSINESS }).go({ pages: 'all' });
    expect(stored.data.filter((a) => a.inventoryItemId === item(4))).toEqual([]);
  });

  it('shows levels and the newest adjustments first, with what became of each push', async () => {
    const view = await stockView(store, BUSINESS, 3);
    expect(view.levels.find((level) => level.inventoryItemId === item(1))).toMatchObject({ available: 15 });
    expect(view.adjustments).toHaveLength(3);
    const times = view.adjustments.map((adjustment) => adjustment.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(view.adjustments[0]).toMatchObject({ inventoryItemId: item(3), delta: 1, status: 'failed' });
    expect(view.adjustments.map((adjustment) => adjustment.status)).toEqual(['failed', 'pushed', 'resolved-stale']);
  });
});
