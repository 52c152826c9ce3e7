import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../packages/local/src/fakes/openai';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, apiClient, newOwner, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectFakeShop, product, sendShopifyWebhook, stockLevel } from '../e2e/store-fixtures';
import { eventually, type RunningStack, startStack, webAppReady } from '../support/local-stack';
import { launchBrowser } from './browser';
import { shutDown, signInOwner, watchPages } from './session';

/**
 * AI drafts in a real browser against `npm start` (with a fake OpenAI started here, so a step can
 * make it slow or down), in Turkish: the owner picks a product of the store's local copy, writes
 * a brief and asks for a campaign message; the page shows it being written, then the draft with
 * its checks passed; the owner edits it and approves it, and the list shows it approved and
 * edited. The API then holds exactly the edited text as approved. With the model down, the
 * draft ends failed and the page says why in plain words.
 */

const SHOP = 'lale-taslak.myshopify.com';
const c = tr.aiContent;

let stack: RunningStack;
let openai: FakeOpenAi;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

const EDITED = 'Anneler Günü’ne özel: Kırmızı Gül Buketi 84.95 TL. Sevdiklerinizi mutlu edin!';

describe('AI drafts in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    stack = await startStack({ env: { LOCAL_OPENAI_BASE_URL: openai.baseUrl, LOCAL_OPENAI_API_KEY: openai.apiKey } });
    await webAppReady(stack);
    browser = await launchBrowser();
    api = apiClient(stack.url);
    owner = await newOwner(api, 'Taslakyazari');
    await connectFakeShop(api, owner, SHOP);
    await sendShopifyWebhook(stack.url, SHOP, 'products/create', product(9001, 9101));
    await sendShopifyWebhook(stack.url, SHOP, 'inventory_levels/update', stockLevel(9101, 61, 12));
    await eventually(async () => {
      const products = await api.call<{ products: unknown[] }>('GET', `/businesses/${owner.tenantId}/store/products`, {
        token: owner.accessToken,
      });
      return products.body.products?.length === 1 ? true : undefined;
    }, 30_000);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(async () => {
    await shutDown(browser, stack);
    await openai?.stop();
  });

  it('asks for a campaign message about a chosen product and shows the draft', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/ai`);
    const section = page.getByTestId('ai-content');
    await expect.poll(() => section.getByText(c.empty).isVisible()).toBe(true);
    await section.getByLabel(c.kind).selectOption('campaign-message');
    const products = section.getByRole('combobox', { name: c.products });
    await products.click();
    await products.fill('Gül');
    await page.getByRole('option', { name: 'Kırmızı Gül Buketi' }).click();
    await page.keyboard.press('Escape');
    await section.getByTestId('ai-content-brief').fill('Anneler Günü için güllerimizi duyur');
    // A model that takes a moment: the page shows the draft being written meanwhile.
    openai.script({
      delayMs: 3_000,
      text: `Anneler Günü'ne özel güller: Kırmızı Gül Buketi şimdi 84.95 TRY. Sevdiklerinizi mutlu edin: https://${SHOP}/products/kirmizi-gul-buketi`,
    });
    await section.getByRole('button', { name: c.write }).click();
    await expect.poll(() => section.getByRole('status').filter({ hasText: c.writing }).isVisible()).toBe(true);
    await expect.poll(() => section.getByTestId('ai-content-row').textContent()).toContain(c.status.writing);
    const draft = page.getByTestId('ai-content-draft');
    await expect.poll(() => draft.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await draft.getByText(c.passed).isVisible()).toBe(true);
    const text = await draft.getByTestId('ai-content-text').inputValue();
    expect(text).toContain('Kırmızı Gül Buketi');
    expect(text).toContain('84.95');
    expect(text).toContain(`https://${SHOP}/products/kirmizi-gul-buketi`);
    await expect.poll(() => section.getByTestId('ai-content-row').count()).toBe(1);
    expect(await section.getByTestId('ai-content-row').textContent()).toContain(c.status['awaiting-review']);
    await checkAccessibility(page, 'settings/ai-content-draft');
    expect(a11y['settings/ai-content-draft']).toEqual([]);
  });

  it('approves it with an edit and lists it as approved', async () => {
    const draft = page.getByTestId('ai-content-draft');
    await draft.getByTestId('ai-content-text').fill(EDITED);
    await draft.getByRole('button', { name: c.approve }).click();
    await expect.poll(() => draft.count()).toBe(0);
    const row = page.getByTestId('ai-content-row');
    await expect.poll(() => row.textContent()).toContain(c.status.approved);
    expect(await row.textContent()).toContain(c.edited);
    const listed = await api.call<{ drafts: { status: string; text: string; edited: boolean }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/ai/content-drafts`,
      { token: owner.accessToken },
    );
    expect(listed.body.drafts).toMatchObject([{ status: 'approved', text: EDITED, edited: true }]);
    await checkAccessibility(page, 'settings/ai-content-approved');
    expect(a11y['settings/ai-content-approved']).toEqual([]);
  });

  it('says in plain words why a draft could not be written when the model is down', async () => {
    const section = page.getByTestId('ai-content');
    // Both attempts of the worker's call (one retry) fail.
    openai.script({ status: 503 }, { status: 503 });
    await section.getByTestId('ai-content-brief').fill('Hafta sonu indirimini duyur');
    await section.getByRole('button', { name: c.write }).click();
    const failed = page.getByTestId('ai-content-failed');
    await expect.poll(() => failed.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await failed.textContent()).toContain(c.failure['model-unavailable']);
    expect(await failed.textContent()).toContain(c.failedNote);
    const rows = section.getByTestId('ai-content-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(c.status.failed);
    await checkAccessibility(page, 'settings/ai-content-failed');
    expect(a11y['settings/ai-content-failed']).toEqual([]);
    await failed.getByRole('button', { name: c.dismiss }).click();
    await expect.poll(() => failed.count()).toBe(0);
  });
});
