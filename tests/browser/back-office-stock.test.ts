import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, newMember, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectFakeShop, fakeShopifyDev, product, sendShopifyWebhook } from '../e2e/store-fixtures';
import { eventually, type RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * The back office's stock in a real browser against `npm start` with the fake Shopify, in
 * Turkish: the owner connects a shop whose roses are stocked at two Shopify locations, receives
 * five at one (the number moves, the ledger has the line), transfers three to the other (done
 * within seconds, both numbers move, and so do Shopify's), adds a back room of its own and
 * transfers one there (Shopify never hears of it), sets a low-stock threshold and sees the alert
 * a damage raises, and runs the reconciliation until the pushes have settled and nothing differs.
 * An analyst then reads the same stock without any button that moves it. axe-core checks every
 * tab; screenshots go to test-results/screenshots/back-office-stock-*.png.
 */

const SHOP = 'stok-browser.myshopify.com';
const ITEM = '9101';
const ROSES = 'Kırmızı Gül Buketi — 11 dal';
const s = tr.stock;
const gid = (kind: string, id: string) => `gid://shopify/${kind}/${id}`;

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
/** The back room's id, once added. */
let backRoom = '';
const { openPage, checkAccessibility, a11y, problems, stepsInOrderWithoutProblems } = watchPages();

const inventoryUrl = (tab?: string) => `${stack.url}/b/${owner.tenantId}/inventory${tab ? `?tab=${tab}` : ''}`;
/** A message with its `{{placeholders}}` filled in. */
const fill = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((done, [key, value]) => done.replaceAll(`{{${key}}}`, String(value)), text);

interface StockBody {
  levels: { inventoryItemId: string; locationId: string; available: number }[];
  adjustments: { status: string }[];
}
const readStock = async () =>
  (await api.call<StockBody>('GET', `/businesses/${owner.tenantId}/stock`, { token: owner.accessToken })).body;

/** What the fake Shopify holds of the roses at a location. */
async function inShopify(location: string): Promise<number | undefined> {
  const answer = await fetch(`${stack.url}/dev/shopify/inventory?shopDomain=${SHOP}`);
  const body = (await answer.json()) as {
    levels: { inventoryItemId: string; locationId: string; available: number }[];
  };
  return body.levels.find(
    (level) => level.inventoryItemId === gid('InventoryItem', ITEM) && level.locationId === gid('Location', location),
  )?.available;
}

const rosesRow = () => page.getByTestId('stock-row').filter({ hasText: 'GUL-11' });
/** The roses' number at a location, as the stock tab shows it. */
const shown = (location: string, row: Locator = rosesRow()) =>
  row.locator(`[data-testid="stock-level"][data-location="${location}"]`).getByTestId('stock-available').textContent();

async function openTab(name: string) {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect.poll(() => page.getByRole('tab', { name, exact: true, selected: true }).isVisible()).toBe(true);
}

/** Opens one of the roses' row actions: a dialog named after the roses, as its button is. */
async function openRowAction(button: string, title = button) {
  await rosesRow()
    .getByRole('button', { name: fill(button, { variant: ROSES }) })
    .click();
  const dialog = page.getByRole('dialog', { name: fill(title, { variant: ROSES }) });
  await expect.poll(() => dialog.isVisible()).toBe(true);
  return dialog;
}

async function move(location: string, reason: string, quantity: string) {
  const dialog = await openRowAction(s.levels.adjustFor);
  await dialog.getByLabel(s.adjust.location).selectOption(location);
  await dialog.getByLabel(s.adjust.reason).selectOption({ label: reason });
  await dialog.getByLabel(s.adjust.quantity, { exact: true }).fill(quantity);
  await dialog.getByRole('button', { name: s.adjust.submit }).click();
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
}

async function transfer(from: string, to: string, quantity: string) {
  const form = page.getByTestId('stock-transfer-form');
  await form.getByLabel(s.transfers.variant).selectOption(ITEM);
  await form.getByLabel(s.transfers.from).selectOption(from);
  await form.getByLabel(s.transfers.to).selectOption(to);
  await form.getByLabel(s.transfers.quantity).fill(quantity);
  await form.getByRole('button', { name: s.transfers.submit }).click();
}

describe('the back office stock in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Stokcu'));
    await connectFakeShop(api, owner, SHOP);
    await sendShopifyWebhook(stack.url, SHOP, 'products/create', product(9001, Number(ITEM)));
    // Shopify holds the roses at two locations and tells of them by webhook.
    for (const [location, available] of [
      ['61', 12],
      ['62', 3],
    ] as const) {
      await fakeShopifyDev(stack.url, 'inventory', {
        shopDomain: SHOP,
        inventoryItemId: gid('InventoryItem', ITEM),
        locationId: gid('Location', location),
        available,
      });
    }
    await eventually(async () => {
      const levels = (await readStock()).levels.filter((level) => level.inventoryItemId === ITEM);
      return levels.length === 2 ? true : undefined;
    }, 30_000);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('shows the roses at both Shopify locations on the Stock tab, the first of the back office', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(inventoryUrl());
    await expect
      .poll(() => page.getByRole('tab', { name: tr.backOffice.tabs.stock, exact: true, selected: true }).isVisible())
      .toBe(true);
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs).toEqual([
      tr.backOffice.tabs.stock,
      tr.backOffice.tabs.transfers,
      tr.backOffice.tabs.alerts,
      tr.backOffice.tabs.reconciliation,
      tr.backOffice.tabs.orders,
      tr.backOffice.tabs.sales,
    ]);
    await expect.poll(() => shown('61')).toBe('12');
    expect(await shown('62')).toBe('3');
    await checkAccessibility(page, 'stock');
    await screenshot(page, 'back-office-stock-tr');
  });

  it('receives five at one location: the number moves and the ledger has the line', async () => {
    await move('61', s.reasons.received, '5');
    await expect.poll(() => shown('61')).toBe('17');
    expect(await shown('62')).toBe('3');

    const ledger = await openRowAction(s.levels.ledgerFor, s.levels.ledgerTitle);
    await ledger.getByLabel(s.ledger.location).selectOption('61');
    const newest = ledger.getByTestId('stock-ledger-line').first();
    await expect.poll(() => newest.getByTestId('stock-ledger-reason').textContent()).toBe(s.reasons.received);
    expect(await newest.getByTestId('stock-ledger-change').textContent()).toBe('+5');
    expect(await newest.getByTestId('stock-ledger-balance').textContent()).toBe('17');
    expect(await newest.textContent()).toContain(s.ledger.you);
    await checkAccessibility(page, 'stock ledger');
    await screenshot(page, 'back-office-stock-ledger-tr');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('transfers three to the other location: done within seconds, and Shopify has both numbers', async () => {
    await openTab(tr.backOffice.tabs.transfers);
    await transfer('61', '62', '3');
    const made = page.getByTestId('stock-transfer');
    await expect.poll(() => made.count()).toBe(1);
    // Pending at first, then done: the list is asked again until it is.
    await expect.poll(() => made.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await made.first().textContent()).toContain(s.transfers.state.done);
    await checkAccessibility(page, 'stock transfers');
    await screenshot(page, 'back-office-stock-transfers-tr');

    await openTab(tr.backOffice.tabs.stock);
    await expect.poll(() => shown('61')).toBe('14');
    await expect.poll(() => shown('62')).toBe('6');
    // Both legs are pushed to Shopify.
    await expect.poll(() => inShopify('61'), { timeout: 30_000, interval: 500 }).toBe(14);
    await expect.poll(() => inShopify('62'), { timeout: 30_000, interval: 500 }).toBe(6);
  });

  it('adds a back room of its own and transfers one there, which Shopify never hears of', async () => {
    const locations = page.getByTestId('stock-locations');
    await locations.getByLabel(s.locations.name).fill('Arka depo');
    await locations.getByRole('button', { name: s.locations.add }).click();
    const added = locations.getByTestId('stock-location').filter({ hasText: 'Arka depo' });
    await expect.poll(() => added.getAttribute('data-source')).toBe('asistone');
    expect(await added.textContent()).toContain(s.locations.source.asistone);
    const answer = await api.call<{ locations: { locationId: string; name: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/stock/locations`,
      { token: owner.accessToken },
    );
    backRoom = answer.body.locations.find((location) => location.name === 'Arka depo')?.locationId ?? '';
    expect(backRoom).toMatch(/^as-[0-9a-z]{10}$/);
    // The stock table has a column for it.
    await expect.poll(() => page.getByRole('columnheader', { name: 'Arka depo' }).isVisible()).toBe(true);

    await openTab(tr.backOffice.tabs.transfers);
    await transfer('62', backRoom, '1');
    const made = page.getByTestId('stock-transfer');
    await expect.poll(() => made.count()).toBe(2);
    await expect.poll(() => made.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');

    await openTab(tr.backOffice.tabs.stock);
    await expect.poll(() => shown(backRoom)).toBe('1');
    await expect.poll(() => shown('62')).toBe('5');
    expect(await shown('61')).toBe('14');
    await expect.poll(() => inShopify('62'), { timeout: 30_000, interval: 500 }).toBe(5);
    expect(await inShopify('61')).toBe(14);
  });

  it('alerts once a damage takes stock to the threshold or below', async () => {
    const threshold = await openRowAction(s.levels.thresholdFor, s.levels.thresholdTitle);
    await threshold.getByLabel(s.threshold.location).selectOption('61');
    await threshold.getByLabel(s.threshold.value).fill('12');
    await threshold.getByRole('button', { name: s.threshold.submit }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const cell = rosesRow().locator('[data-testid="stock-level"][data-location="61"]');
    await expect.poll(() => cell.textContent()).toContain(fill(s.levels.threshold, { threshold: 12 }));
    // 14 is above 12: not low yet.
    expect(await cell.getAttribute('data-low')).toBe('false');

    await move('61', s.reasons.damaged, '3');
    await expect.poll(() => shown('61')).toBe('11');
    // Low is said in words, not only in colour.
    await expect.poll(() => cell.getAttribute('data-low')).toBe('true');
    expect(await cell.textContent()).toContain(s.levels.low);

    await openTab(tr.backOffice.tabs.alerts);
    const open = page.getByTestId('stock-alerts-open').getByTestId('stock-alert');
    await expect.poll(() => open.count()).toBe(1);
    expect(await open.textContent()).toContain('GUL-11');
    expect(await open.textContent()).toMatch(/11 adet \(eşik 12\)/);
    await checkAccessibility(page, 'stock alerts');
    await screenshot(page, 'back-office-stock-alerts-tr');
  });

  it('finds no differences with Shopify once the pushes have settled', async () => {
    await eventually(async () => {
      const { adjustments } = await readStock();
      return adjustments.every((adjustment) => adjustment.status !== 'pending') ? true : undefined;
    }, 30_000);
    await openTab(tr.backOffice.tabs.reconciliation);
    const run = page.getByRole('button', { name: s.reconciliation.run });
    const none = page.getByTestId('stock-reconciliation-none');
    await expect
      .poll(
        async () => {
          await run.click();
          // The comparison takes a moment: its answer replaces the previous one.
          await expect.poll(() => run.getAttribute('data-loading')).toBeNull();
          return none.isVisible();
        },
        { timeout: 45_000, interval: 2_000 },
      )
      .toBe(true);
    expect(await none.textContent()).toBe(s.reconciliation.none);
    expect(await page.getByTestId('stock-reconciliation').textContent()).toMatch(/[1-9][0-9]* kayıt karşılaştırıldı/);
    await checkAccessibility(page, 'stock reconciliation');
    await screenshot(page, 'back-office-stock-reconciliation-tr');
  });

  it('shows an analyst the stock without any button that moves it', async () => {
    const analyst = await newMember(api, owner, 'analyst', 'Analist');
    const analystContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    const analystPage = await openPage(analystContext);
    await signInOwner(analystPage, stack, { email: analyst.email, password: PASSWORD, tenantId: owner.tenantId });
    page = analystPage;
    await page.goto(inventoryUrl());
    await expect.poll(() => shown('61')).toBe('11');
    expect(await shown('62')).toBe('5');
    expect(await shown(backRoom)).toBe('1');
    const row = rosesRow();
    expect(await row.getByRole('button', { name: fill(s.levels.adjustFor, { variant: ROSES }) }).count()).toBe(0);
    expect(await row.getByRole('button', { name: fill(s.levels.thresholdFor, { variant: ROSES }) }).count()).toBe(0);
    // The ledger is open to everyone who reads stock.
    expect(await row.getByRole('button', { name: fill(s.levels.ledgerFor, { variant: ROSES }) }).count()).toBe(1);
    expect(await page.getByTestId('stock-location-form').count()).toBe(0);
    await checkAccessibility(page, 'stock analyst');
    await screenshot(page, 'back-office-stock-analyst-tr');

    await openTab(tr.backOffice.tabs.transfers);
    await expect.poll(() => page.getByTestId('stock-transfer').count()).toBe(2);
    expect(await page.getByTestId('stock-transfer-form').count()).toBe(0);
    // Analysts read reports: the reconciliation is theirs to run.
    await openTab(tr.backOffice.tabs.reconciliation);
    await expect.poll(() => page.getByRole('button', { name: s.reconciliation.run }).isVisible()).toBe(true);
    await analystContext.close();
  });

  it('left no page errors and no accessibility findings', () => {
    expect(problems.flat()).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(6);
    expect(Object.entries(a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
