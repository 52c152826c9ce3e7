import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, mailsTo, newMember, newOwner, type SignedInPerson } from './accounts-client.js';
import { connectFakeShop, fakeShopifyDev } from './store-fixtures.js';

/**
 * The back office's stock against a real `npm start` and the fake Shopify: a change Shopify made
 * whose webhook was lost shows in the reconciliation and is repaired in either direction; a
 * transfer to an Asistone-only location is completed by its worker (both legs, each once); a move
 * that crosses a low-stock threshold raises one alert, in the app and by mail to the owner.
 * Analysts read the reports and move nothing; agents read stock and no report; another business
 * reaches nothing.
 */

const SHOP = 'arka-ofis-e2e.myshopify.com';
const ITEM = '49148700';
const LOCATION = '81';
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;
const at = { shopDomain: SHOP, inventoryItemId: gid('InventoryItem', ITEM), locationId: gid('Location', LOCATION) };

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let analyst: SignedInPerson;
let agent: SignedInPerson;
let other: SignedInPerson & { tenantId: string };

interface Level {
  inventoryItemId: string;
  locationId: string;
  available: number;
  low: boolean;
}
interface Difference {
  inventoryItemId: string;
  locationId: string;
  asistone?: number;
  shopify?: number;
  difference: number;
}

const path = (rest: string, tenantId = owner.tenantId) => `/businesses/${tenantId}/stock${rest}`;
const call = <T>(method: string, rest: string, person: { accessToken: string } = owner, body?: unknown) =>
  api.call<T>(method, path(rest), { token: person.accessToken, ...(body !== undefined && { body }) });
const levelAt = async (locationId: string) =>
  (await call<{ levels: Level[] }>('GET', '')).body.levels.find(
    (level) => level.inventoryItemId === ITEM && level.locationId === locationId,
  );
async function fakeAvailable() {
  const answer = await fetch(`${stack.url}/dev/shopify/inventory?shopDomain=${SHOP}`);
  const body = (await answer.json()) as { levels: { inventoryItemId: string; available: number }[] };
  return body.levels.find((level) => level.inventoryItemId === gid('InventoryItem', ITEM))?.available;
}
const differences = async (person: { accessToken: string } = owner) => {
  const answer = await call<{ differences: Difference[]; compared: number }>('POST', '/reconciliation', person, {});
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};
/** A push still on its way shows as a difference for a moment: wait for it to settle. */
const settledDifferences = () =>
  eventually(async () => {
    const report = await differences();
    return report.differences.length === 0 ? report : undefined;
  }, 30_000);

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  owner = await newOwner(api, 'ArkaOfis');
  analyst = await newMember(api, owner, 'analyst', 'Analist');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  other = await newOwner(api, 'Baska');
  await connectFakeShop(api, owner, SHOP);
  await fakeShopifyDev(stack.url, 'inventory', { ...at, available: 20 });
  await eventually(async () => ((await levelAt(LOCATION))?.available === 20 ? true : undefined), 30_000);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the reconciliation with Shopify', () => {
  it('finds a change whose webhook was lost and repairs it from Shopify', async () => {
    expect((await differences()).differences).toEqual([]);
    // Two sold at the counter; Shopify's webhook never arrives.
    await fakeShopifyDev(stack.url, 'inventory', { ...at, available: 18, webhook: false });
    const report = await differences(analyst);
    expect(report.differences).toEqual([
      expect.objectContaining({
        inventoryItemId: ITEM,
        locationId: LOCATION,
        asistone: 20,
        shopify: 18,
        difference: -2,
      }),
    ]);
    // Analysts read the report and repair nothing.
    const repair = { inventoryItemId: ITEM, locationId: LOCATION, direction: 'from-shopify' };
    expect((await call('POST', '/reconciliation/repair', analyst, repair)).status).toBe(403);
    const repaired = await call<{ available: number; entry: { reason: string; delta: number } }>(
      'POST',
      '/reconciliation/repair',
      owner,
      repair,
    );
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    expect(repaired.body).toMatchObject({ available: 18, entry: { reason: 'repair', delta: -2 } });
    expect((await levelAt(LOCATION))?.available).toBe(18);
    expect((await differences()).differences).toEqual([]);
  });

  it("repairs the other way: Asistone's number is pushed to Shopify", async () => {
    await fakeShopifyDev(stack.url, 'inventory', { ...at, available: 25, webhook: false });
    expect((await differences()).differences).toMatchObject([{ asistone: 18, shopify: 25, difference: 7 }]);
    const repaired = await call<{ available: number }>('POST', '/reconciliation/repair', owner, {
      inventoryItemId: ITEM,
      locationId: LOCATION,
      direction: 'to-shopify',
    });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(200);
    expect(repaired.body.available).toBe(18);
    await eventually(async () => ((await fakeAvailable()) === 18 ? true : undefined), 30_000);
    await settledDifferences();
    expect((await levelAt(LOCATION))?.available).toBe(18);
  });
});

describe('transfers and low-stock alerts', () => {
  it('completes a transfer to a back room through its worker, and pushes only the leg at Shopify', async () => {
    const added = await call<{ location: { locationId: string; source: string } }>('POST', '/locations', owner, {
      name: 'Arka depo',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const backRoom = added.body.location.locationId;
    expect(added.body.location.source).toBe('asistone');
    const made = await call<{ transfer: { transferId: string; state: string } }>('POST', '/transfers', owner, {
      inventoryItemId: ITEM,
      fromLocationId: LOCATION,
      toLocationId: backRoom,
      quantity: 5,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(202);
    expect(made.body.transfer.state).toBe('pending');
    await eventually(async () => {
      const { body } = await call<{ transfers: { transferId: string; state: string }[] }>('GET', '/transfers', agent);
      return body.transfers.find((one) => one.transferId === made.body.transfer.transferId)?.state === 'done'
        ? true
        : undefined;
    }, 30_000);
    expect((await levelAt(LOCATION))?.available).toBe(13);
    expect((await levelAt(backRoom))?.available).toBe(5);
    await eventually(async () => ((await fakeAvailable()) === 13 ? true : undefined), 30_000);
    // The back room is Asistone's alone: the reconciliation compares Shopify's locations only.
    await settledDifferences();
    const ledger = await call<{ entries: { reason: string; delta: number; balanceAfter: number }[] }>(
      'GET',
      `/ledger?inventoryItemId=${ITEM}&locationId=${backRoom}`,
      agent,
    );
    expect(ledger.body.entries).toEqual([
      expect.objectContaining({ reason: 'transfer-in', delta: 5, balanceAfter: 5 }),
    ]);
  });

  it('raises one alert when a move crosses the threshold, mailed to the owner', async () => {
    const threshold = await call<{ level: Level }>('PUT', '/thresholds', owner, {
      inventoryItemId: ITEM,
      locationId: LOCATION,
      threshold: 10,
    });
    expect(threshold.status, JSON.stringify(threshold.body)).toBe(200);
    expect(threshold.body.level.low).toBe(false);
    for (const delta of [-2, -2]) {
      const moved = await call('POST', '/adjustments', owner, {
        inventoryItemId: ITEM,
        locationId: LOCATION,
        delta,
        reason: 'damaged',
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(202);
    }
    const alerts = await call<{ alerts: { available: number; threshold: number; productTitle?: string }[] }>(
      'GET',
      '/alerts',
      agent,
    );
    expect(alerts.body.alerts).toMatchObject([{ available: 9, threshold: 10 }]);
    expect((await levelAt(LOCATION))?.low).toBe(true);
    const lowStockMails = () => mailsTo(api, owner.email).then((kinds) => kinds.filter((kind) => kind === 'low-stock'));
    await eventually(async () => ((await lowStockMails()).length === 1 ? true : undefined), 30_000);
  });

  it('lets agents read stock but no report, and gives another business nothing', async () => {
    expect((await call('GET', '', agent)).status).toBe(200);
    expect((await call('POST', '/reconciliation', agent, {})).status).toBe(403);
    expect(
      (
        await call('POST', '/adjustments', agent, {
          inventoryItemId: ITEM,
          locationId: LOCATION,
          delta: 1,
          reason: 'received',
        })
      ).status,
    ).toBe(403);
    const theirs = `/businesses/${other.tenantId}/stock/ledger?inventoryItemId=${ITEM}&locationId=${LOCATION}`;
    expect((await api.call('GET', theirs, { token: owner.accessToken })).status).toBe(404);
    // Their own business has no such stock: the ledger is empty, never ours.
    const own = await api.call<{ entries: unknown[] }>('GET', theirs, { token: other.accessToken });
    expect(own.body.entries).toEqual([]);
    for (const bad of [
      `/ledger?inventoryItemId=${ITEM}&locationId=as-../../x`,
      `/ledger?inventoryItemId=${'9'.repeat(40)}&locationId=${LOCATION}`,
      `/ledger?inventoryItemId=${ITEM}&locationId=${LOCATION}%00`,
    ]) {
      expect((await call('GET', bad)).status, bad).toBe(400);
    }
    const transfer = { inventoryItemId: ITEM, fromLocationId: LOCATION, toLocationId: LOCATION, quantity: 1 };
    expect((await call('POST', '/transfers', owner, transfer)).status).toBe(400);
    expect((await call('POST', '/locations', owner, { name: 'Depo\u0007' })).status).toBe(400);
  });
});
