import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { ValidationError } from '../src/platform/errors.js';
import { createProducer } from '../src/platform/queue/producer.js';
import { applyInventoryLevel } from '../src/shopify/apply.js';
import { ledgerPage, readLevel, recordMove, stockAt } from '../src/shopify/stock-ledger.js';
import { SHOPIFY_STOCK_RECORDS } from '../src/shopify/stock-records.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { addOwnLocation } from '../src/stock/locations.js';
import { moveStock } from '../src/stock/moves.js';
import { STOCK_RECORDS } from '../src/stock/records.js';
import { setThreshold } from '../src/stock/thresholds.js';
import { completeTransfer, requestTransfer, type TransferMessage, transferLegOpId } from '../src/stock/transfers.js';
import { stockAlerts } from '../src/stock/views.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The stock ledger against the DynamoDB emulator, through the functions the API and the workers
 * call: stock is always the sum of its entries, even with 20 people moving the same variant at
 * once; a writer that dies after its entry loses nothing; a transfer whose worker dies between
 * its legs completes once on redelivery; a low-stock alert is raised once per crossing, however
 * many moves land at once.
 */

const BUSINESS = 't_ledger';
const OWNER = { userId: 'u_owner', role: 'owner' as const };
const SHOP_LOCATION = '71';
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;
const item = (n: number) => String(77_000 + n);

let test: TestPlatform;
let store: ReturnType<typeof storeOfTest>;
const sent: { queue: string; body: Record<string, unknown> }[] = [];
const storeOfTest = (platform: TestPlatform) =>
  platform.platform.storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_STOCK_RECORDS,
    ...STOCK_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
  });
const deps = () => ({
  store,
  producer: createProducer({
    send: async (queue, body) => void sent.push({ queue, body: JSON.parse(body) }),
    sendBatch: async () => ({ failed: [] }),
  }),
});

/** Stock that Shopify told of at its location (the variant is stocked there). */
async function stocked(inventoryItemId: string, available: number, locationId = SHOP_LOCATION) {
  await applyInventoryLevel({ ...deps(), keyring: test.platform.keyring }, BUSINESS, {
    inventoryItemId: gid('InventoryItem', inventoryItemId),
    locationId: gid('Location', locationId),
    available,
    updatedAt: Date.parse('2026-11-30T08:00:00Z'),
  });
}

async function wholeLedger(inventoryItemId: string, locationId: string) {
  return (await ledgerPage(store, { tenantId: BUSINESS, inventoryItemId, locationId }, { limit: 200 })).reverse();
}

/** Entries 1…n without a gap, each balance the one before plus its change, the last equal to the level. */
async function expectConsistent(inventoryItemId: string, locationId: string) {
  const entries = await wholeLedger(inventoryItemId, locationId);
  expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
  let balance = 0;
  for (const entry of entries) {
    balance += entry.delta;
    expect(entry.balanceAfter).toBe(balance);
  }
  const level = await readLevel(store, { tenantId: BUSINESS, inventoryItemId, locationId });
  expect(level?.available).toBe(balance);
  expect(level?.seq).toBe(entries.length);
  return { entries, balance };
}

beforeAll(async () => {
  test = await startTestPlatform();
  store = storeOfTest(test);
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe('the stock ledger', () => {
  it('loses no move when 20 people adjust the same variant at once', async () => {
    await stocked(item(1), 50);
    const changes = Array.from({ length: 20 }, (_, n) => (n % 3 === 0 ? -(n + 1) : n + 2));
    await Promise.all(
      changes.map((delta, n) =>
        moveStock(deps(), { userId: `u_${n}`, role: 'admin' }, BUSINESS, {
          inventoryItemId: item(1),
          locationId: SHOP_LOCATION,
          delta,
          reason: delta > 0 ? 'received' : 'damaged',
        }),
      ),
    );
    const { entries, balance } = await expectConsistent(item(1), SHOP_LOCATION);
    // The opening level Shopify told of, then every one of the 20.
    expect(entries).toHaveLength(21);
    expect(balance).toBe(50 + changes.reduce((sum, delta) => sum + delta, 0));
    expect(new Set(entries.slice(1).map((entry) => entry.actorId)).size).toBe(20);
    // Every move at a Shopify location is on its way there, once each.
    const pushes = sent.filter((message) => message.queue === 'shopify-stock');
    expect(new Set(pushes.map((message) => message.body.adjustmentId)).size).toBe(20);
  });

  it("records a count as the difference to the ledger, and folds a writer's entry if it died before folding it", async () => {
    await stocked(item(2), 12);
    const count = await moveStock(deps(), OWNER, BUSINESS, {
      inventoryItemId: item(2),
      locationId: SHOP_LOCATION,
      reason: 'counted',
      counted: 9,
    });
    expect(count).toMatchObject({ delta: -3, balanceAfter: 9, reason: 'counted' });

    // A writer whose entry landed and who died before moving the level (its fold never ran).
    const slot = { tenantId: BUSINESS, inventoryItemId: item(2), locationId: SHOP_LOCATION };
    await store.entities.stockLedgerEntry
      .create({
        ...slot,
        position: '000000000003',
        seq: 3,
        delta: 4,
        balanceAfter: 13,
        reason: 'received',
        at: Date.now(),
        opId: 'died',
      })
      .go();
    expect((await readLevel(store, slot))?.available).toBe(9);
    // Its stock is already the ledger's: a lookup reads the last entry.
    expect(await stockAt(store, slot)).toBe(13);
    await moveStock(deps(), OWNER, BUSINESS, {
      inventoryItemId: item(2),
      locationId: SHOP_LOCATION,
      reason: 'damaged',
      delta: -1,
    });
    const { balance } = await expectConsistent(item(2), SHOP_LOCATION);
    expect(balance).toBe(12);
  });

  it('records a move sent again with its id once, and answers the entry it made', async () => {
    await stocked(item(10), 8);
    const move = {
      inventoryItemId: item(10),
      locationId: SHOP_LOCATION,
      reason: 'received' as const,
      delta: 3,
      moveId: '0199a3c2-6f1e-7b4a-9c3d-2e1f0a9b8c7d',
    };
    // A double click and a retry after a lost answer.
    const answers = await Promise.all([
      moveStock(deps(), OWNER, BUSINESS, move),
      moveStock(deps(), OWNER, BUSINESS, move),
    ]);
    answers.push(await moveStock(deps(), OWNER, BUSINESS, move));
    expect(new Set(answers.map((entry) => entry.seq))).toEqual(new Set([2]));
    const { entries, balance } = await expectConsistent(item(10), SHOP_LOCATION);
    expect(entries).toHaveLength(2);
    expect(balance).toBe(11);
    // Another move is another id.
    await moveStock(deps(), OWNER, BUSINESS, { ...move, moveId: '0199a3c2-6f1e-7b4a-9c3d-2e1f0a9b8c7e' });
    expect((await expectConsistent(item(10), SHOP_LOCATION)).balance).toBe(14);
  });

  it('refuses a bad move and records nothing', async () => {
    await stocked(item(3), 5);
    const input = { inventoryItemId: item(3), locationId: SHOP_LOCATION, reason: 'received' as const };
    await expect(moveStock(deps(), OWNER, BUSINESS, { ...input, delta: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(moveStock(deps(), OWNER, BUSINESS, { ...input, delta: 2_000_000 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      moveStock(deps(), OWNER, BUSINESS, { ...input, delta: 1, locationId: 'as-../../etc' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      moveStock(deps(), OWNER, BUSINESS, { ...input, delta: 1, note: 'bad\u0000note' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      moveStock(deps(), { userId: 'u_agent', role: 'agent' }, BUSINESS, { ...input, delta: 1 }),
    ).rejects.toThrow();
    expect((await expectConsistent(item(3), SHOP_LOCATION)).entries).toHaveLength(1);
  });
});

describe('a transfer between locations', () => {
  it('is all or nothing when the worker dies between its two legs', async () => {
    await stocked(item(4), 10);
    const backRoom = await addOwnLocation(store, OWNER, BUSINESS, 'Arka depo');
    const sentBefore = sent.length;
    const transfer = await requestTransfer(deps(), OWNER, BUSINESS, {
      inventoryItemId: item(4),
      fromLocationId: SHOP_LOCATION,
      toLocationId: backRoom.locationId,
      quantity: 4,
    });
    expect(transfer.state).toBe('pending');
    const message = sent.slice(sentBefore).find((m) => m.queue === 'stock-transfers')
      ?.body as unknown as TransferMessage;
    expect(message).toMatchObject({ transferId: transfer.transferId, quantity: 4 });

    // The first delivery's worker recorded the leg out, then died.
    await recordMove(
      deps(),
      { tenantId: BUSINESS, inventoryItemId: item(4), locationId: SHOP_LOCATION },
      transferLegOpId(transfer.transferId, 'out'),
      () => ({ delta: -4, reason: 'transfer-out', actorId: OWNER.userId, transferId: transfer.transferId }),
      { remember: true },
    );
    const halfway = await store.entities.stockTransfer
      .get({ tenantId: BUSINESS, transferId: transfer.transferId })
      .go();
    expect(halfway.data?.state).toBe('pending');

    // The queue delivers it again, twice at once (an at-least-once queue may).
    await Promise.all([completeTransfer(deps(), message), completeTransfer(deps(), message)]);
    await completeTransfer(deps(), message);

    const from = await expectConsistent(item(4), SHOP_LOCATION);
    const to = await expectConsistent(item(4), backRoom.locationId);
    expect(from.balance).toBe(6);
    expect(to.balance).toBe(4);
    expect(from.entries.filter((entry) => entry.reason === 'transfer-out')).toHaveLength(1);
    expect(to.entries.map((entry) => entry.reason)).toEqual(['transfer-in']);
    const done = await store.entities.stockTransfer.get({ tenantId: BUSINESS, transferId: transfer.transferId }).go();
    expect(done.data).toMatchObject({ state: 'done' });
    // The leg out at Shopify's location is pushed there; the back room is Asistone's alone.
    const pushes = await store.entities.shopStockAdjustment.query.byId({ tenantId: BUSINESS }).go({ pages: 'all' });
    expect(
      pushes.data
        .filter((push) => push.inventoryItemId === item(4))
        .map((push) => [push.locationId, push.delta, push.reason]),
    ).toEqual([[SHOP_LOCATION, -4, 'transfer-out']]);
  });

  it('refuses a transfer to a location where the variant cannot arrive, moving nothing', async () => {
    await stocked(item(5), 3);
    await expect(
      requestTransfer(deps(), OWNER, BUSINESS, {
        inventoryItemId: item(5),
        fromLocationId: SHOP_LOCATION,
        toLocationId: '999',
        quantity: 1,
      }),
    ).rejects.toThrow(/not stocked where the transfer arrives/);
    expect((await expectConsistent(item(5), SHOP_LOCATION)).balance).toBe(3);
  });
});

describe('low-stock alerts', () => {
  const alertsOf = async (inventoryItemId: string) =>
    (await stockAlerts(store, BUSINESS)).filter((alert) => alert.inventoryItemId === inventoryItemId);
  const mailsOf = (alertIds: string[]) =>
    new Set(
      sent
        .filter((m) => m.queue === 'stock-alerts' && alertIds.includes(m.body.alertKey as string))
        .map((m) => m.body.alertKey),
    );
  const move = (inventoryItemId: string, delta: number) =>
    moveStock(deps(), OWNER, BUSINESS, {
      inventoryItemId,
      locationId: SHOP_LOCATION,
      delta,
      reason: delta > 0 ? 'received' : 'sold-offline',
    });

  it('fires once per crossing: quiet while low, again after stock rose and fell', async () => {
    await stocked(item(6), 10);
    await setThreshold(deps(), OWNER, BUSINESS, { inventoryItemId: item(6), locationId: SHOP_LOCATION, threshold: 5 });
    expect(await alertsOf(item(6))).toEqual([]);
    await move(item(6), -3); // 7
    expect(await alertsOf(item(6))).toEqual([]);
    await move(item(6), -3); // 4: crossed
    await move(item(6), -1); // 3: still low
    let alerts = await alertsOf(item(6));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ threshold: 5, available: 4 });
    expect(alerts[0]?.clearedAt).toBeUndefined();
    await move(item(6), 5); // 8: re-armed
    await move(item(6), -4); // 4: crossed again
    alerts = await alertsOf(item(6));
    expect(alerts).toHaveLength(2);
    expect(alerts[1]?.clearedAt).toEqual(expect.any(Number));
    expect(alerts[0]?.clearedAt).toBeUndefined();
    expect(mailsOf(alerts.map((alert) => alert.alertId)).size).toBe(2);
  });

  it('raises one alert when many moves cross the threshold at once', async () => {
    await stocked(item(7), 12);
    await setThreshold(deps(), OWNER, BUSINESS, { inventoryItemId: item(7), locationId: SHOP_LOCATION, threshold: 6 });
    await Promise.all(Array.from({ length: 10 }, () => move(item(7), -1)));
    const alerts = await alertsOf(item(7));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.available).toBe(6);
    expect((await expectConsistent(item(7), SHOP_LOCATION)).balance).toBe(2);
  });

  it('raises the alert when a threshold is set above the stock, and from a Shopify sale', async () => {
    await stocked(item(8), 3);
    await setThreshold(deps(), OWNER, BUSINESS, { inventoryItemId: item(8), locationId: SHOP_LOCATION, threshold: 3 });
    expect(await alertsOf(item(8))).toHaveLength(1);
    await stocked(item(9), 9);
    await setThreshold(deps(), OWNER, BUSINESS, { inventoryItemId: item(9), locationId: SHOP_LOCATION, threshold: 2 });
    await applyInventoryLevel({ ...deps(), keyring: test.platform.keyring }, BUSINESS, {
      inventoryItemId: gid('InventoryItem', item(9)),
      locationId: gid('Location', SHOP_LOCATION),
      available: 1,
      updatedAt: Date.parse('2026-11-30T09:00:00Z'),
    });
    expect(await alertsOf(item(9))).toMatchObject([{ available: 1, threshold: 2 }]);
    const { entries } = await expectConsistent(item(9), SHOP_LOCATION);
    expect(entries.at(-1)).toMatchObject({ reason: 'shopify', delta: -8 });
  });
});
