import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectWhatsApp, fakeMetaClient } from '../e2e/fake-meta-client';
import {
  fakeShopifyDev,
  product,
  sendShopifyWebhook,
  shippedOrder,
  shopCustomer,
  TRACKING_URL,
} from '../e2e/store-fixtures';
import { eventually, type RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, signInOwner, startWithOwner, stepsInOrder, watchPages } from './session';

/**
 * The store page and the inbox's Orders panel in a real browser against the real `npm start`
 * with the fake Shopify and the fake Meta: the owner connects a store that already has the demo
 * shop's history (the fake's authorize page approves at once and Shopify's signed callback
 * brings the browser back) and watches the page count the first import in until it is done;
 * the owner follows the products' link to the back office, adjusts stock at a location there
 * (the form's messages first) and sees the adjustment reach Shopify; Shopify's signed webhooks
 * bring a customer, their shipped order and a product with stock at two locations while the same
 * person writes on WhatsApp; the conversation's Orders panel shows the order with its tracking
 * link, and opening it shows the order with its totals exactly as Shopify gave them. axe-core
 * checks every screen, on a phone too; screenshots go to test-results/screenshots/store-*.png.
 */

const SHOP = 'cicekci-browser.myshopify.com';
const customer = { id: '905559870041', name: 'Deniz Yılmaz' };
/** After the demo history's #1001–#1120 (ids 8500001–8500120): the newest, listed first. */
const ORDER = '#1201';
const ORDER_ID = 8_700_001;

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
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    // The navigation leads to the store.
    await page.getByRole('link', { name: tr.areas.store.title }).first().click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store$`));
    await expect.poll(() => page.getByRole('heading', { level: 1, name: tr.store.title }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(tr.store.connection.notConnected).isVisible()).toBe(true);
    await checkAccessibility(page, 'store not connected');
    await screenshot(page, 'store-not-connected-tr');

    // A wrong address is refused on the page, before Shopify is asked.
    // By role: only what is on screen (a custom app's form, folded away, has a field of that name too).
    const address = page.getByRole('textbox', { name: tr.store.connection.shopLabel });
    await address.fill('evil.com');
    await page.getByRole('button', { name: tr.store.connection.connect }).click();
    await expect.poll(() => page.getByText(tr.store.connection.shopHint).count()).toBeGreaterThanOrEqual(2);

    // The store already has a history (the demo shop's: 40 customers, 12 products, 120 orders).
    expect(await fakeShopifyDev(stack.url, 'demo-history', { shopDomain: SHOP })).toMatchObject({ orders: 120 });
    await address.fill(SHOP);
    await page.getByRole('button', { name: tr.store.connection.connect }).click();
    // Shopify's authorize page (the fake approves at once) and the signed callback bring the browser back.
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store\\?shopify=connected$`), { timeout: 20_000 });
    await expect.poll(() => page.getByText(tr.store.connection.justConnected).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('store-status').textContent()).toBe(tr.store.connection.status_connected);
    expect(await page.getByTestId('store-connection').textContent()).toContain(SHOP);
    // The first import of the store's history runs at connect; the page follows it to its end
    // (its counts move while it runs; asked every 3 seconds), and then says what it brought.
    const seen = new Set<string | null>();
    await expect
      .poll(
        async () => {
          const status = await page.getByTestId('store-import').getAttribute('data-status');
          seen.add(status);
          return status;
        },
        { timeout: 60_000 },
      )
      .toBe('done');
    console.info(`the import was seen ${[...seen].join(' → ')}`);
    expect(await page.getByTestId('store-import').textContent()).toMatch(/: 120 sipariş, 40 müşteri, 12 ürün\.$/);
    // The history is in the lists: the newest orders first.
    await expect.poll(() => page.getByTestId('store-order').count()).toBeGreaterThanOrEqual(25);
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
    await send('orders/create', shippedOrder(ORDER_ID, 7001, ORDER));
    await send('products/create', product(9001, 9101));
    // Shopify holds the stock (so a push from the page can move it) and tells of it by webhook.
    for (const [location, available] of [
      [61, 12],
      [62, 3],
    ] as const) {
      await fakeShopifyDev(stack.url, 'inventory', {
        shopDomain: SHOP,
        inventoryItemId: 'gid://shopify/InventoryItem/9101',
        locationId: `gid://shopify/Location/${location}`,
        available,
      });
    }
    await eventually(async () => {
      const answer = await api.call<{ products: { productId: string; variants: { stock: unknown[] }[] }[] }>(
        'GET',
        `/businesses/${owner.tenantId}/store/products`,
        { token: owner.accessToken },
      );
      const roses = answer.body.products?.find((found) => found.productId === '9001');
      return roses?.variants[0]?.stock.length === 2 ? true : undefined;
    }, 30_000);

    await page.goto(storeUrl());
    const order = page.getByTestId('store-order').filter({ hasText: ORDER });
    await expect.poll(() => order.isVisible()).toBe(true);
    const card = await order.textContent();
    expect(card).toContain('₺300,90');
    expect(card).toContain('Deniz Yılmaz');
    expect(card).toContain(tr.store.financial.paid);
    expect(card).toContain(tr.store.fulfillment.fulfilled);
    await checkAccessibility(page, 'store orders');
    await screenshot(page, 'store-orders-tr');

    await page.getByRole('tab', { name: tr.store.tabs.products }).click();
    // The roses sent by webhook, beside the demo history's products (their stock imported by the backfill).
    const roses = page.getByTestId('store-product').filter({ hasText: 'GUL-11' });
    await expect
      .poll(() => roses.getByTestId('store-stock').allTextContents())
      .toEqual(['Konum 61: 12', 'Konum 62: 3']);
    expect(await roses.count()).toBe(1);
    await checkAccessibility(page, 'store products');
    await screenshot(page, 'store-products-tr');

    await page.getByRole('tab', { name: tr.store.tabs.customers }).click();
    await expect
      .poll(() =>
        page
          .getByTestId('store-customer')
          .filter({ hasText: `+${customer.id}` })
          .count(),
      )
      .toBe(1);
    await checkAccessibility(page, 'store customers');
  });

  it('adjusts stock at a location in the back office: the form says what is wrong, then the adjustment reaches Shopify', async () => {
    await page.goto(`${storeUrl()}?tab=products`);
    // The products link to the back office, where stock is moved.
    await page.getByRole('link', { name: tr.store.product.manageStock }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/inventory$`));
    await expect
      .poll(() => page.getByRole('tab', { name: tr.backOffice.tabs.stock, exact: true, selected: true }).isVisible())
      .toBe(true);
    const row = page.getByTestId('stock-row').filter({ hasText: 'GUL-11' });
    const at = (location: string) => row.locator(`[data-testid="stock-level"][data-location="${location}"]`);
    await expect.poll(() => at('61').getByTestId('stock-available').textContent()).toBe('12');
    await row
      .getByRole('button', { name: tr.stock.levels.adjustFor.replace('{{variant}}', 'Kırmızı Gül Buketi — 11 dal') })
      .click();
    const form = page.getByRole('dialog').getByTestId('stock-adjust-form');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.getByLabel(tr.stock.adjust.location).selectOption('61');
    expect(await form.getByTestId('stock-adjust-recorded').textContent()).toBe(
      tr.stock.adjust.recorded.replace('{{available}}', '12'),
    );
    const submit = form.getByRole('button', { name: tr.stock.adjust.submit });
    const reason = (label: string) => form.getByLabel(tr.stock.adjust.reason).selectOption({ label });

    // Nothing entered; more damaged than there is; not a whole number; a count that changes nothing.
    await submit.click();
    await expect.poll(() => form.getByText(tr.stock.adjust.problem.required).isVisible()).toBe(true);
    await reason(tr.stock.reasons.damaged);
    await form.getByLabel(tr.stock.adjust.quantity, { exact: true }).fill('20');
    await submit.click();
    const tooMany = tr.stock.adjust.problem.tooMany.replace('{{available}}', '12');
    await expect.poll(() => form.getByText(tooMany).isVisible()).toBe(true);
    await checkAccessibility(page, 'stock adjustment refused');
    await screenshot(page, 'store-stock-refused-tr');
    await form.getByLabel(tr.stock.adjust.quantity, { exact: true }).fill('2,5');
    await submit.click();
    await expect.poll(() => form.getByText(tr.stock.adjust.problem.whole).isVisible()).toBe(true);
    await reason(tr.stock.reasons.counted);
    await form.getByLabel(tr.stock.adjust.counted, { exact: true }).fill('12');
    await submit.click();
    await expect.poll(() => form.getByText(tr.stock.adjust.problem.same).isVisible()).toBe(true);
    // Nothing was sent: no adjustment exists.
    const stock = await api.call<{ adjustments: unknown[] }>('GET', `/businesses/${owner.tenantId}/stock`, {
      token: owner.accessToken,
    });
    expect(stock.body.adjustments).toEqual([]);

    // Five received at location 61: applied here at once, then pushed to Shopify.
    await reason(tr.stock.reasons.received);
    await form.getByLabel(tr.stock.adjust.quantity, { exact: true }).fill('5');
    await submit.click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => at('61').getByTestId('stock-available').textContent()).toBe('17');
    expect(await at('62').getByTestId('stock-available').textContent()).toBe('3');
    const made = page.getByTestId('stock-push');
    await expect.poll(() => made.count()).toBe(1);
    await expect.poll(() => made.getAttribute('data-status'), { timeout: 30_000 }).toBe('pushed');
    const line = await made.textContent();
    expect(line).toContain(`+5 ${tr.stock.reasons.received}`);
    expect(line).toContain(tr.stock.pushes.state.pushed);
    expect(line).toContain(tr.stock.pushes.pushed.replace('{{after}}', '17'));
    const inShopify = (await (await fetch(`${stack.url}/dev/shopify/inventory?shopDomain=${SHOP}`)).json()) as {
      levels: { inventoryItemId: string; locationId: string; available: number }[];
    };
    expect(
      inShopify.levels.find(
        (level) =>
          level.inventoryItemId === 'gid://shopify/InventoryItem/9101' &&
          level.locationId === 'gid://shopify/Location/61',
      )?.available,
    ).toBe(17);
    await checkAccessibility(page, 'stock adjustment pushed');
    await screenshot(page, 'store-stock-pushed-tr');
    // The store's own list shows the new number too.
    await page.goto(`${storeUrl()}?tab=products`);
    const roses = page.getByTestId('store-product').filter({ hasText: 'GUL-11' });
    await expect
      .poll(() => roses.getByTestId('store-stock').allTextContents())
      .toEqual(['Konum 61: 17', 'Konum 62: 3']);
  });

  it("shows the order and its tracking in the conversation's Orders panel, and opens it with exact totals", async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox`);
    await page.getByTestId('conversation-row').filter({ hasText: customer.name }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: customer.name }).isVisible()).toBe(true);
    await page.getByRole('tab', { name: tr.store.panel.title }).click();
    const panelOrder = page.getByTestId('contact-orders').getByTestId('store-order');
    await expect.poll(() => panelOrder.count()).toBe(1);
    expect(await panelOrder.textContent()).toContain(ORDER);
    const tracking = panelOrder.getByRole('link', { name: tr.store.trackOrder.replace('{{order}}', ORDER) });
    expect(await tracking.getAttribute('href')).toBe(TRACKING_URL);
    await checkAccessibility(page, 'inbox orders panel');
    await screenshot(page, 'store-inbox-orders-tr');

    await panelOrder.getByRole('link', { name: ORDER, exact: true }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/store/orders/${ORDER_ID}$`));
    await expect
      .poll(() =>
        page.getByRole('heading', { level: 1, name: tr.store.order.title.replace('{{name}}', ORDER) }).isVisible(),
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
    // Judged once every section of the order has loaded (a section still loading shows a spinner).
    await expect.poll(() => page.locator('.mantine-Loader-root').count()).toBe(0);
    await checkAccessibility(page, 'order detail');
    await screenshot(page, 'store-order-tr');
  });

  it('fits a phone: the order and the store page in one column', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => sidewaysOverflow(page)).toEqual([]);
    await checkAccessibility(page, 'order detail phone');
    await screenshot(page, 'store-order-phone-tr');
    await page.goto(storeUrl());
    await expect.poll(() => page.getByTestId('store-order').count()).toBeGreaterThanOrEqual(25);
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
