import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Connecting the store with the merchant's own custom app, in a real browser against `npm start`
 * and its fake Shopify: a wrong secret is refused in the merchant's words and nothing is saved;
 * the right one connects, the page says it is a custom app, and the secret is gone from the
 * page. In Turkish.
 */

const SHOP = 'ozel-uygulama.myshopify.com';
let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
let app: { client_id: string; client_secret: string };
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

const form = () => page.getByTestId('store-custom-app');
const connection = async () =>
  (
    await api.call<{ connected: boolean; kind: string | null }>('GET', `/businesses/${owner.tenantId}/shopify`, {
      token: owner.accessToken,
    })
  ).body;

describe('connecting the store with a custom app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Ozelbrowser'));
    // The merchant made a custom app in the Dev Dashboard and installed it on the store.
    const made = await fetch(`${stack.url}/dev/shopify/custom-apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shop: SHOP }),
    });
    app = (await made.json()) as typeof app;
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens the custom app form from the store page', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/store`);
    await page.getByRole('button', { name: tr.store.customApp.open }).click();
    await expect.poll(() => form().isVisible()).toBe(true);
    await checkAccessibility(page, 'store/custom-app');
    expect(a11y['store/custom-app']).toEqual([]);
  });

  it('refuses a wrong secret in words the merchant understands, saving nothing', async () => {
    await form().getByLabel(tr.store.connection.shopLabel).fill(SHOP);
    await form().getByLabel(tr.store.customApp.clientId).fill(app.client_id);
    await form().getByLabel(tr.store.customApp.clientSecret).fill(`${app.client_secret}yanlis`);
    await form().getByRole('button', { name: tr.store.customApp.connect }).click();
    await expect.poll(() => form().getByText(tr.store.customApp.refused).isVisible()).toBe(true);
    expect(await connection()).toMatchObject({ connected: false, kind: null });
  });

  it('connects with the right secret, shows it as a custom app, and leaves no secret in the page', async () => {
    await form().getByLabel(tr.store.customApp.clientSecret).fill(app.client_secret);
    await form().getByRole('button', { name: tr.store.customApp.connect }).click();
    await expect.poll(() => page.getByText(tr.store.customApp.badge, { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('store-status').textContent()).toBe(tr.store.connection.status_connected);
    expect(await page.content()).not.toContain(app.client_secret);
    expect(await connection()).toMatchObject({ connected: true, kind: 'custom' });
    await checkAccessibility(page, 'store/custom-app-connected');
    expect(a11y['store/custom-app-connected']).toEqual([]);
  });
});
