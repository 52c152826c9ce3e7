import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectFakeShop, fakeShopifyDev } from './store-fixtures.js';

/**
 * Stock both ways against a real `npm start`: the owner connects a store through the fake
 * Shopify, whose stock reaches the local copy by its signed `inventory_levels/update` webhook; an
 * adjustment made through the API is applied here at once, pushed by the `shopify-stock` worker
 * and moves the fake Shopify's quantity; Shopify's echo of it is not counted twice; a sale in
 * Shopify meanwhile is resolved by the stale rule. Agents are refused (403), another business
 * finds nothing (404), bad deltas, reasons and ids are refused (400) and change nothing.
 */

const SHOP = 'stok-e2e.myshopify.com';
const ITEM = '49148300';
const LOCATION = '61';
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };

interface Adjustment {
  adjustmentId: string;
  status: string;
  delta: number;
  quantityBefore: number;
  shopifyFound?: number;
  shopifyAfter?: number;
}
interface StockView {
  levels: { inventoryItemId: string; locationId: string; available: number }[];
  adjustments: Adjustment[];
}

const stockPath = (tenantId = owner.tenantId) => `/businesses/${tenantId}/stock`;
const readStock = async (person: { accessToken: string } = owner) => {
  const answer = await api.call<StockView>('GET', stockPath(), { token: person.accessToken });
  expect(answer.status).toBe(200);
  return answer.body;
};
const localAvailable = async () =>
  (await readStock()).levels.find((l) => l.inventoryItemId === ITEM && l.locationId === LOCATION)?.available;
const adjust = (body: unknown, person: { accessToken: string } = owner, tenantId = owner.tenantId) =>
  api.call<{ adjustment: Adjustment }>('POST', `${stockPath(tenantId)}/adjustments`, {
    token: person.accessToken,
    body,
  });

const fakeDev = (path: string, body: unknown) => fakeShopifyDev(stack.url, path, body);
async function fakeAvailable() {
  const answer = await fetch(`${stack.url}/dev/shopify/inventory?shopDomain=${SHOP}`);
  const body = (await answer.json()) as { levels: { inventoryItemId: string; available: number }[] };
  return body.levels.find((l) => l.inventoryItemId === gid('InventoryItem', ITEM))?.available;
}
const at = { shopDomain: SHOP, inventoryItemId: gid('InventoryItem', ITEM), locationId: gid('Location', LOCATION) };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Stokcu');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  await connectFakeShop(api, owner, SHOP);
  // 10 in the shop: Shopify's webhook brings it to the local copy.
  await fakeDev('inventory', { ...at, available: 10 });
  await eventually(async () => ((await localAvailable()) === 10 ? true : undefined), 30_000);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('stock adjustments', () => {
  it("are applied at once, pushed to Shopify by the worker, and Shopify's echo is not counted twice", async () => {
    const made = await adjust({ inventoryItemId: ITEM, locationId: LOCATION, delta: 5, reason: 'received' });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    expect(made.body.adjustment).toMatchObject({ delta: 5, quantityBefore: 10, status: 'pending' });
    expect(await localAvailable()).toBe(15);

    const pushed = await eventually(async () => {
      const found = (await readStock()).adjustments.find((a) => a.adjustmentId === made.body.adjustment.adjustmentId);
      return found?.status === 'pushed' ? found : undefined;
    }, 30_000);
    expect(pushed.shopifyAfter).toBe(15);
    expect(await fakeAvailable()).toBe(15);
    // The fake's inventory_levels/update for our own push arrives and is applied (or found
    // stale): the number stays 15, never 20.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(await localAvailable()).toBe(15);
    // Agents read stock.
    expect((await readStock(agent)).levels.length).toBeGreaterThan(0);
  });

  it('resolves a push made stale by a sale in Shopify: our delta on top of what Shopify has', async () => {
    // Two sold in the online store while our push is queued.
    const made = await adjust({
      inventoryItemId: gid('InventoryItem', ITEM),
      locationId: LOCATION,
      delta: -1,
      reason: 'damaged',
    });
    expect(made.status).toBe(202);
    await fakeDev('sell', { ...at, quantity: 2 });
    const settled = await eventually(async () => {
      const found = (await readStock()).adjustments.find((a) => a.adjustmentId === made.body.adjustment.adjustmentId);
      return found && found.status !== 'pending' ? found : undefined;
    }, 30_000);
    // Either the push ran before the sale (pushed: 14, then sold: 12) or after it (stale: 13 − 1 = 12).
    expect(['pushed', 'resolved-stale']).toContain(settled.status);
    expect(await fakeAvailable()).toBe(12);
    await eventually(async () => ((await localAvailable()) === 12 ? true : undefined), 15_000);
  });

  it('refuses agents (403), other businesses (404) and bad input (400), changing nothing', async () => {
    const before = await readStock();
    const good = { inventoryItemId: ITEM, locationId: LOCATION, delta: 1, reason: 'correction' };
    expect((await adjust(good, agent)).status).toBe(403);
    expect((await adjust(good, other)).status).toBe(404);
    expect((await api.call('GET', stockPath(), { token: other.accessToken })).status).toBe(404);
    for (const bad of [
      { ...good, delta: 0 },
      { ...good, delta: 2.5 },
      { ...good, delta: '3' },
      { ...good, reason: 'stolen' },
      { ...good, inventoryItemId: 'gid://shopify/Order/1' },
      { ...good, locationId: '../1' },
      { ...good, inventoryItemId: undefined },
    ]) {
      expect((await adjust(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    // A well-formed id the business does not stock.
    expect((await adjust({ ...good, inventoryItemId: '1' })).status).toBe(404);
    const after = await readStock();
    expect(after.levels).toEqual(before.levels);
    expect(after.adjustments).toHaveLength(before.adjustments.length);
    expect(await fakeAvailable()).toBe(12);
  });
});
