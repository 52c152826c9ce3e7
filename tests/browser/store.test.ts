import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectWhatsApp, fakeMetaClient } from '../e2e/fake-meta-client';
import {
  product,
  sendShopifyWebhook,
  shippedOrder,
  shopCustomer,
  stockLevel,
  TRACKING_URL,
} from '../e2e/store-fixtures';
import { eventually, type RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, startWithOwner, stepsInOrder, watchPages } from './session';

/**
 * The store page and the inbox's Orders panel in a real browser against the real `npm start`
 * with the fake Shopify and the fake Meta: the owner connects the store from the store page
 * (the fake's authorize page approves at once and Shopify's signed callback brings the browser
 * back); Shopify's signed webhooks bring a customer, their shipped order and a product with
 * stock at two locations while the same person writes on WhatsApp; the conversation's Orders
 * panel shows the order with its tracking link, and opening it shows the order with its totals
 * exactly as Shopify gave them. axe-core checks every screen, on a phone too; screenshots go to
 * test-results/screenshots/store-*.png.
 */

const SHOP = 'cicekci-browser.myshopify.com';
const customer = { id: '905559870041', name: 'Deniz Yılmaz' };

let stack: RunningStack;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: SignedInPerson & { tenantId: string };
let phoneNumberId = '';
const { problems, a11y, openPage, checkAccessibility } = watchPages();
const send = (topic: string, payload: unknown) => sendShopifyWebhook(stack.url, SHOP, topic, payload);
const storeUrl = () => `${stack.url}/b/${owner.tenantId}/store`;

/** The elements that reach past the window while their parent does not: none when the page fits. */
function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    const past = (element: Element | null) =>
      Boolean(element && element.getBoundingClientRect().right > window.innerWidth + 1);
    return [...document.body.querySelectorAll('*')]
      .filter((element) => past(element) && !past(element.parentElement))
      .slice(0, 10)
      .map((element) => `${element.tagName}.${element.className} ${(element.textContent ?? '').slice(0, 60)}`);
  });
}

describe('the store page and the Orders panel of a conversation', () => {
  stepsInOrder();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Deniz'));
    ({ phoneNumberId } = await connectWhatsApp(api, owner));
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('connects the fake store from the store page and comes back connected', async () => {
    await page.goto(`${stack.url}/login`);
    await page.getByLabel(/^E-posta/).fill(owner.email);
    await page.getByLabel(/^Parola/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Giriş yap' }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    // The navigation leads to the store.
    await page.getByRole('link', { name: tr.areas.store.title }).first().click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store$`));
    await expect.poll(() => page.getByRole('heading', { level: 1, name: tr.store.title }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(tr.store.connection.notConnected).isVisible()).toBe(true);
    await checkAccessibility(page, 'store not connected');
    await screenshot(page, 'store-not-connected-tr');

    // A wrong address is refused on the page, before Shopify is asked.
    const address = page.getByLabel(tr.store.connection.shopLabel);
    await address.fill('evil.com');
    await page.getByRole('button', { name: tr.store.connection.connect }).click();
    await expect.poll(() => page.getByText(tr.store.connection.shopHint).count()).toBeGreaterThanOrEqual(2);

    await address.fill(SHOP);
    await page.getByRole('button', { name: tr.store.connection.connect }).click();
    // Shopify's authorize page (the fake approves at once) and the signed callback bring the browser back.
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store\\?shopify=connected$`), { timeout: 20_000 });
    await expect.poll(() => page.getByText(tr.store.connection.justConnected).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('store-status').textContent()).toBe(tr.store.connection.status_connected);
    expect(await page.getByTestId('store-connection').textContent()).toContain(SHOP);
    // The first import of the store's history runs at connect; the page follows it to its end.
    await expect
      .poll(() => page.getByTestId('store-import').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('done');
    await checkAccessibility(page, 'store connected');
    await screenshot(page, 'store-connected-tr');
  });

  it("shows the order Shopify sends while its customer writes on WhatsApp, and the products' stock", async () => {
    await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
      channel: 'whatsapp',
      businessId: phoneNumberId,
      customer,
      text: 'Merhaba, kargom nerede?',
    });
    await send('customers/create', shopCustomer(7001, `+${customer.id}`, 'Deniz', 'Yılmaz'));
    await send('orders/create', shippedOrder(8001, 7001, '#1001'));
    await send('products/create', product(9001, 9101));
    await send('inventory_levels/update', stockLevel(9101, 61, 12));
    await send('inventory_levels/update', stockLevel(9101, 62, 3));
    await eventually(async () => {
      const answer = await api.call<{ products: { variants: { stock: unknown[] }[] }[] }>(
        'GET',
        `/businesses/${owner.tenantId}/store/products`,
        { token: owner.accessToken },
      );
      return answer.body.products?.[0]?.variants[0]?.stock.length === 2 ? true : undefined;
    }, 30_000);

    await page.goto(storeUrl());
    const order = page.getByTestId('store-order').filter({ hasText: '#1001' });
    await expect.poll(() => order.isVisible()).toBe(true);
    const card = await order.textContent();
    expect(card).toContain('₺300,90');
    expect(card).toContain('Deniz Yılmaz');
    expect(card).toContain(tr.store.financial.paid);
    expect(card).toContain(tr.store.fulfillment.fulfilled);
    await checkAccessibility(page, 'store orders');
    await screenshot(page, 'store-orders-tr');

    await page.getByRole('tab', { name: tr.store.tabs.products }).click();
    await expect.poll(() => page.getByTestId('store-stock').allTextContents()).toEqual(['Konum 61: 12', 'Konum 62: 3']);
    expect(await page.getByTestId('store-product').textContent()).toContain('GUL-11');
    await checkAccessibility(page, 'store products');
    await screenshot(page, 'store-products-tr');

    await page.getByRole('tab', { name: tr.store.tabs.customers }).click();
    await expect.poll(() => page.getByTestId('store-customer').textContent()).toContain(`+${customer.id}`);
    await checkAccessibility(page, 'store customers');
  });

  it("shows the order and its tracking in the conversation's Orders panel, and opens it with exact totals", async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox`);
    await page.getByTestId('conversation-row').filter({ hasText: customer.name }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: customer.name }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: tr.store.panel.title }).click();
    const panelOrder = page.getByTestId('contact-orders').getByTestId('store-order');
    await expect.poll(() => panelOrder.count()).toBe(1);
    expect(await panelOrder.textContent()).toContain('#1001');
    const tracking = panelOrder.getByRole('link', { name: tr.store.trackOrder.replace('{{order}}', '#1001') });
    expect(await tracking.getAttribute('href')).toBe(TRACKING_URL);
    await checkAccessibility(page, 'inbox orders panel');
    await screenshot(page, 'store-inbox-orders-tr');

    await panelOrder.getByRole('link', { name: '#1001', exact: true }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store/orders/8001$`));
    await expect
      .poll(() =>
        page.getByRole('heading', { level: 1, name: tr.store.order.title.replace('{{name}}', '#1001') }).isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByTestId('store-order-total').textContent()).toBe('₺300,90');
    const totals = await page.getByTestId('store-order-totals').textContent();
    for (const shown of ['₺290,00', '−₺29,00', 'KIS10', '₺39,90', '₺50,15']) expect(totals).toContain(shown);
    const shipments = page.getByTestId('store-order-shipments');
    expect(await shipments.textContent()).toContain('YK123456789');
    expect(await shipments.getByRole('link', { name: tr.store.track }).getAttribute('href')).toBe(TRACKING_URL);
    const lines = await page.getByTestId('store-order-detail').textContent();
    expect(lines).toContain('Kırmızı Gül Buketi');
    expect(lines).toContain('₺84,95');
    await checkAccessibility(page, 'order detail');
    await screenshot(page, 'store-order-tr');
  });

  it('fits a phone: the order and the store page in one column', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => sidewaysOverflow(page)).toEqual([]);
    await checkAccessibility(page, 'order detail phone');
    await screenshot(page, 'store-order-phone-tr');
    await page.goto(storeUrl());
    await expect.poll(() => page.getByTestId('store-order').count()).toBe(1);
    await expect.poll(() => sidewaysOverflow(page)).toEqual([]);
    await checkAccessibility(page, 'store phone');
    await screenshot(page, 'store-phone-tr');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('left no page errors and no accessibility findings', () => {
    expect(problems.flat()).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    expect(Object.entries(a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
