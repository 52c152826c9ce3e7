import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Ads in a real browser against `npm start` (fake Meta Marketing API, fake OpenAI), in Turkish:
 * a new owner connects an ad account through the fake Meta's sign-in popup, watches its 18 months
 * of history come in (the `ads-sync` worker re-queues itself on the local queue until it is in),
 * reads a range as charts and a table, sorts the table by spend, downloads it as CSV, and asks
 * for recommendations, which come back citing the table's own ROAS figures.
 */

const a = tr.ads;
/** The fake's new ad accounts name their campaigns after these, numbered. */
const CAMPAIGNS = ['Kış İndirimi 1', 'Yeni Sezon 2', 'Sepet Hatırlatma 3'];
/** The history's report runs, polled by a worker that re-queues itself every few seconds. */
const BACKFILL_TIMEOUT_MS = 120_000;

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The spend column of the table, top to bottom, as numbers ("1234.56 TRY" → 1234.56). */
async function spendColumn(): Promise<number[]> {
  const cells = await page.getByTestId('ads-row').locator('td[data-metric="spend"]').allTextContents();
  return cells.map((cell) => Number.parseFloat(cell));
}

describe('the ads page in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, owner } = await startWithOwner('Reklamci'));
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens Ads with no ad account yet and a button to connect one', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/ads`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: a.title }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(a.accounts.empty).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: a.connect.button }).isEnabled()).toBe(true);
    await checkAccessibility(page, 'ads/empty');
    expect(a11y['ads/empty']).toEqual([]);
  });

  it('connects an ad account through the fake Meta sign-in popup', async () => {
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: a.connect.button }).click(),
    ]);
    await popup.waitForLoadState('domcontentloaded');
    expect(new URL(popup.url()).pathname).toBe('/dev/meta/dialog/ads-login');
    await popup.getByRole('button', { name: 'Connect' }).click();
    const account = page.getByTestId('ad-account');
    await expect.poll(() => account.count(), { timeout: 30_000 }).toBe(1);
    expect(await account.getByTestId('ad-account-status').getAttribute('data-status')).toBe('connected');
    await expect.poll(() => page.getByText('1 reklam hesabı bağlandı.').isVisible()).toBe(true);
  });

  it('shows the history coming in, then done', { timeout: BACKFILL_TIMEOUT_MS + 30_000 }, async () => {
    const account = page.getByTestId('ad-account');
    const started = performance.now();
    // Right after connecting the history has barely started: its bar shows (unless it is already in).
    const bar = account.getByRole('progressbar');
    if (await bar.isVisible()) {
      await checkAccessibility(page, 'ads/history-coming');
      expect(a11y['ads/history-coming']).toEqual([]);
    }
    await expect
      .poll(() => account.getByTestId('ad-account-history').isVisible(), { timeout: BACKFILL_TIMEOUT_MS })
      .toBe(true);
    console.info(`ads history in after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(await account.getByTestId('ad-account-history').textContent()).not.toContain(a.accounts.historyFailed);
    expect(await bar.count()).toBe(0);
  });

  it('reads a range as charts and a table of the campaigns', async () => {
    const insights = page.getByTestId('ads-insights');
    const today = Date.now();
    await insights.getByLabel(a.filters.from).fill(isoDay(today - 59 * 86_400_000));
    await insights.getByLabel(a.filters.to).fill(isoDay(today - 86_400_000));
    // Spend per day and ROAS per day as bars, one per day of the new range; the top campaigns as lines.
    await expect.poll(() => page.getByTestId('ads-daily-chart').locator('rect').count(), { timeout: 30_000 }).toBe(59);
    expect(await page.getByTestId('ads-roas-chart').locator('rect').count()).toBe(59);
    const rows = page.getByTestId('ads-row');
    expect(await rows.count()).toBe(CAMPAIGNS.length);
    const names = await rows.locator('th').allTextContents();
    expect([...names].sort()).toEqual([...CAMPAIGNS].sort());
    expect(await page.getByTestId('ads-series-chart-line').count()).toBe(CAMPAIGNS.length);
    expect(await page.getByTestId('ads-series-chart').locator('polyline').count()).toBeGreaterThan(0);
    // Every figure with the account's currency.
    for (const cell of await rows.locator('td[data-metric="spend"], td[data-metric="revenue"]').allTextContents()) {
      expect(cell).toMatch(/^\d+(\.\d+)? TRY$/);
    }
    await checkAccessibility(page, 'ads/figures');
    expect(a11y['ads/figures']).toEqual([]);
  });

  it('sorts the table by spend, both ways', async () => {
    const header = page.getByRole('columnheader', { name: a.metrics.spend, exact: true });
    // The rows come by spend, most first, and the header says so.
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const first = await spendColumn();
    expect(first).toEqual([...first].sort((x, y) => y - x));
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    expect(await spendColumn()).toEqual([...first].sort((x, y) => x - y));
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    expect(await spendColumn()).toEqual(first);
  });

  it('downloads the table as CSV', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: a.export }).click();
    const download = await downloaded;
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'level,id,name,parent,currency,spend,impressions,reach,clicks,link_clicks,ctr_percent,cpc,cpm,purchases,purchase_value,roas,conversations,orders,revenue,from,to',
    );
    expect(lines).toHaveLength(1 + CAMPAIGNS.length);
    for (const name of CAMPAIGNS) expect(csv).toContain(name);
  });

  it('asks for recommendations and shows each with the figures it rests on', async () => {
    const section = page.getByTestId('ad-recommendations');
    expect(await section.textContent()).toContain(a.recommendations.noChanges);
    await section.getByRole('button', { name: a.recommendations.ask }).click();
    const recommendation = section.getByTestId('ad-recommendation');
    await expect.poll(() => recommendation.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const shift = recommendation.filter({ hasText: a.recommendations.kinds['budget-shift'] });
    expect(await shift.count()).toBe(1);
    const evidence = await shift.getByTestId('ad-recommendation-evidence').locator('tbody tr').allTextContents();
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.some((row) => row.includes(a.metrics.roas) && CAMPAIGNS.some((name) => row.includes(name)))).toBe(
      true,
    );
    expect(await section.getByTestId('ad-recommendations-dropped').count()).toBe(0);
    await checkAccessibility(page, 'ads/recommendations');
    expect(a11y['ads/recommendations']).toEqual([]);
  });
});
