import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../packages/web/src/i18n/en';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, startWithOwner, stepsInOrder, watchPages } from './session';

/**
 * The privacy page's account section as an owner meets it, in a real browser against the real
 * `npm start`: export all data (progress, then the download link), and the danger zone: delete
 * the business (the name retyped, the password), the grace period's countdown, and cancelling.
 * axe-core checks every screen.
 */

let stack: RunningStack;
let browser: Browser;
let api: ApiClient;
let context: BrowserContext;
let page: Page;
let owner: SignedInPerson & { tenantId: string };
const pages = watchPages();
const BUSINESS = 'Gonca Butik';

describe('the account section of the privacy page', () => {
  stepsInOrder();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Gonca'));
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await pages.openPage(context);
  });

  afterAll(async () => {
    await shutDown(browser, stack);
  });

  it('exports all data: progress, then a download link that serves the archive', async () => {
    await page.goto(`${stack.url}/login`);
    await page.getByTestId('language-menu').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByLabel(/^Email/).fill(owner.email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: en.auth.loginSubmit }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    await page.goto(`${stack.url}/b/${owner.tenantId}/privacy`);
    const exportButton = page.getByRole('button', { name: en.accountData.export.start });
    await expect.poll(() => exportButton.isVisible()).toBe(true);
    await exportButton.click();
    const link = page.getByTestId('account-export-link');
    await expect.poll(() => link.isVisible(), { timeout: 30_000 }).toBe(true);
    const href = await link.getAttribute('href');
    const download = await fetch(new URL(href as string, stack.url));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    await pages.checkAccessibility(page, 'export done');
    await screenshot(page, 'account-export-en');
  });

  it('schedules the deletion after the name and password, shows the countdown, and cancels it', async () => {
    await page.getByRole('button', { name: en.accountData.deletion.start }).click();
    await page.getByLabel(/^Business name/).fill('Some Other Shop');
    await page.getByLabel(/^Your password/).fill(PASSWORD);
    await page.getByRole('button', { name: en.accountData.deletion.confirm }).click();
    await expect.poll(() => page.getByText(en.accountData.deletion.wrongName).isVisible()).toBe(true);
    await pages.checkAccessibility(page, 'deletion form refused');

    await page.getByLabel(/^Business name/).fill(BUSINESS);
    await page.getByRole('button', { name: en.accountData.deletion.confirm }).click();
    const scheduled = page.getByTestId('deletion-scheduled');
    await expect.poll(() => scheduled.isVisible()).toBe(true);
    await expect
      .poll(() => page.getByTestId('deletion-countdown').textContent())
      .toMatch(/Time left: (6 days 23|7 days 0) hours?/);
    await pages.checkAccessibility(page, 'deletion scheduled');
    await screenshot(page, 'account-deletion-scheduled-en');

    // Still scheduled after a reload, then cancelled.
    await page.reload();
    await expect.poll(() => page.getByTestId('deletion-scheduled').isVisible()).toBe(true);
    await page.getByRole('button', { name: en.accountData.deletion.cancel }).click();
    await expect.poll(() => page.getByRole('button', { name: en.accountData.deletion.start }).isVisible()).toBe(true);
    const state = await api.call<{ deletion: { status: string } }>(
      'GET',
      `/businesses/${owner.tenantId}/privacy/account-deletion`,
      { token: owner.accessToken },
    );
    expect(state.body.deletion.status).toBe('cancelled');
  });

  it('left no page errors and no accessibility findings', () => {
    expect(pages.problems.flat()).toEqual([]);
    expect(Object.keys(pages.a11y)).toHaveLength(3);
    expect(Object.entries(pages.a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
