import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../packages/web/src/i18n/en';
import { tr } from '../../packages/web/src/i18n/tr';
import { PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, signInOwner, startWithOwner, stepsInOrder, watchPages } from './session';

/**
 * The privacy page as an owner meets it, in a real browser against the real `npm start`: who
 * processes the business's data and where (AWS in Frankfurt, Meta, …) in Turkish and in
 * English, the request for the transfer agreements with its deadline, and the same page on a
 * phone. axe-core checks every screen.
 */

let stack: RunningStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: SignedInPerson & { tenantId: string };
const pages = watchPages();

const row = (id: string) => page.locator(`[data-testid="subprocessors-table"] tr[data-subprocessor="${id}"]`);

describe('the privacy page', () => {
  stepsInOrder();

  beforeAll(async () => {
    ({ stack, browser, owner } = await startWithOwner('Derya'));
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await pages.openPage(context);
  });

  afterAll(async () => {
    await shutDown(browser, stack);
  });

  it('lists the sub-processors in Turkish, reached from the main menu', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Gizlilik' }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/privacy$`));
    await expect.poll(() => page.getByRole('heading', { level: 1, name: tr.privacy.title }).isVisible()).toBe(true);

    await expect.poll(() => row('aws').textContent()).toContain('Almanya, Frankfurt (AB, eu-central-1)');
    expect(await row('aws').textContent()).toContain(tr.privacy.subprocessors.active);
    expect(await row('meta').textContent()).toContain('Meta Platforms Ireland');
    expect(await row('meta').textContent()).toContain(tr.privacy.subprocessors.transferYes);
    expect(await row('meta').textContent()).toContain(tr.privacy.safeguards['standard-contractual-clauses']);
    expect(await row('openai').textContent()).toContain('yalnızca asistanı açan işletmeler için');
    // In use since billing landed: the subscriptions' payments.
    expect(await row('iyzico').textContent()).toContain(tr.privacy.subprocessors.active);
    // Room for what later work lists.
    expect(await page.getByRole('heading', { level: 2, name: tr.privacy.requests.title }).isVisible()).toBe(true);
    await pages.checkAccessibility(page, 'privacy tr');
    await screenshot(page, 'privacy-tr');
  });

  it('lists them in English once the app is switched to English', async () => {
    await page.getByTestId('language-menu').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: en.privacy.title }).isVisible()).toBe(true);
    // The language menu closes with a transition: check the page, not the closing menu.
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    await expect.poll(() => row('aws').textContent()).toContain('Germany, Frankfurt (EU, eu-central-1)');
    expect(await row('meta').textContent()).toContain('Ireland (EU) and the United States');
    expect(await row('meta').textContent()).toContain(en.privacy.subprocessors.transferYes);
    expect(await row('netgsm').textContent()).toContain(en.privacy.safeguards['none-needed']);
    expect(await row('iyzico').textContent()).toContain(en.privacy.subprocessors.active);
    await pages.checkAccessibility(page, 'privacy en');
    await screenshot(page, 'privacy-en');
  });

  it('requests the transfer agreements and shows the deadline, also after a reload', async () => {
    const answer = page.waitForResponse(
      (response) =>
        response.url().endsWith('/privacy/transfer-agreements-request') && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: en.privacy.agreements.request }).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const recorded = (await response.json()) as { id: string; dueAt: string };
    // The deadline as the page writes it (the app's date format in English).
    const due = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(recorded.dueAt),
    );
    const shown = page.getByTestId('agreements-request');
    await expect.poll(() => shown.textContent()).toContain(`We will answer by ${due}`);
    expect(await shown.textContent()).toContain(recorded.id);
    expect(await page.getByRole('button', { name: en.privacy.agreements.request }).count()).toBe(0);
    await pages.checkAccessibility(page, 'privacy requested');
    await screenshot(page, 'privacy-requested-en');

    await page.reload();
    await expect.poll(() => page.getByTestId('agreements-request').textContent()).toContain(`We will answer by ${due}`);
  });

  it('fits a phone: one card per sub-processor, nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.getByTestId('subprocessors-cards');
    await expect.poll(() => cards.isVisible()).toBe(true);
    expect(await cards.getByRole('listitem').count()).toBe(6);
    expect(await cards.textContent()).toContain('Germany, Frankfurt');
    // Polled: the layout settles a moment after the resize (the table gives way to the cards).
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await pages.checkAccessibility(page, 'privacy phone');
    await screenshot(page, 'privacy-phone-en');
  });

  it('left no page errors and no accessibility findings', () => {
    expect(pages.problems.flat()).toEqual([]);
    expect(Object.keys(pages.a11y)).toHaveLength(4);
    expect(Object.entries(pages.a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
