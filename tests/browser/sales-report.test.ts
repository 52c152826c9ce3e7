import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectFakeShop, sendShopifyWebhook } from '../e2e/store-fixtures';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * The back office's sales report in a real browser against `npm start`, in Turkish: a shop
 * connected through the fake Shopify sells three postcards today (0.10, 0.20, 0.30 TRY) and has one
 * cancelled order; the owner opens the back office, the Sales tab, reads the day's bar and the
 * exact total, and downloads the report as CSV.
 */

const b = tr.backOffice;
const SHOP = 'satis-tarayici.myshopify.com';

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let owner: SignedInPerson & { tenantId: string };
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

/** Today in Istanbul, the report's calendar. */
const istanbulDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul' }).format(ms);
const today = istanbulDay(Date.now());
const lira = (amount: number) =>
  new Intl.NumberFormat('tr-TR', { style: 'currency', currency: 'TRY', minimumFractionDigits: 2 }).format(amount);

function orderBody(id: number, price: string, extra: Record<string, unknown> = {}) {
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id - 9_400_000 + 4000}`,
    currency: 'TRY',
    financial_status: 'paid',
    source_name: 'web',
    created_at: at,
    updated_at: at,
    line_items: [{ id: id * 10, title: 'Kartpostal', product_id: 7001, quantity: 1, price }],
    fulfillments: [],
    total_price: price,
    ...extra,
  };
}

describe('the sales report in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    let api: Awaited<ReturnType<typeof startWithOwner>>['api'];
    ({ stack, browser, owner, api } = await startWithOwner('Satisci'));
    await connectFakeShop(api, owner, SHOP);
    for (const [id, price] of [
      [9_400_001, '0.10'],
      [9_400_002, '0.20'],
      [9_400_003, '0.30'],
    ] as const) {
      await sendShopifyWebhook(stack.url, SHOP, 'orders/create', orderBody(id, price));
    }
    await sendShopifyWebhook(
      stack.url,
      SHOP,
      'orders/create',
      orderBody(9_400_004, '99.00', { cancelled_at: new Date().toISOString() }),
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens the back office and its Sales tab', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/inventory`);
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: tr.areas.inventory.title }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByRole('tab', { name: b.tabs.orders }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: b.tabs.sales }).click();
    await expect.poll(() => page.getByRole('tab', { name: b.tabs.sales }).getAttribute('aria-selected')).toBe('true');
  });

  it('reads the exact total and the day on the chart, cancelled orders left out', async () => {
    const totals = page.getByTestId('sales-totals');
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toContain('3 sipariş');
    expect(await totals.textContent()).toContain(`net ${lira(0.6)}`);
    await expect
      .poll(() => page.getByTestId('sales-cancelled-note').textContent())
      .toBe(b.sales.cancelledNote.replace('{{count}}', '1'));
    const chart = page.getByTestId('sales-daily-chart');
    expect(await chart.getAttribute('aria-label')).toBe(b.sales.chart.replace('{{currency}}', 'TRY'));
    const bars = await chart.locator('rect > title').allTextContents();
    expect(bars).toContain(`${today}: ${lira(0.6)}`);
    await checkAccessibility(page, 'back-office/sales');
    expect(a11y['back-office/sales']).toEqual([]);
  });

  it('downloads the report as CSV', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: b.sales.export }).click();
    const download = await downloaded;
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('section,key,name,currency,orders,units,gross_sales,discounts,net_sales,from,to');
    expect(lines[1]).toMatch(/^total,,,TRY,3,3,0\.60,0\.00,0\.60,/);
    expect(csv).toContain(`day,${today},${today},TRY,3,3,0.60,0.00,0.60`);
    expect(csv).toContain('product,7001,Kartpostal,TRY,3,3,0.60,0.00,0.60');
  });

  it('shows the orders of every channel on the Orders tab', async () => {
    await page.getByRole('tab', { name: b.tabs.orders }).click();
    await expect.poll(() => page.getByTestId('back-office-order').count(), { timeout: 15_000 }).toBe(4);
    await checkAccessibility(page, 'back-office/orders');
    expect(a11y['back-office/orders']).toEqual([]);
  });
});
