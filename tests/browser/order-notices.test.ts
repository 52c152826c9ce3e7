import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config';
import { createPlatform } from '../../packages/core/src/platform/context';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, readOutbox, type SignedInPerson } from '../e2e/accounts-client';
import { sendShopifyWebhook } from '../e2e/store-fixtures';
import { localAws } from '../support/local-aws';
import { eventually, type RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Settings › Order notifications and the order page's Notifications, in a real browser against
 * `npm start` (fake Shopify, fake Resend), in Turkish: the owner turns on the confirmation by
 * email and sees the preview filled with sample values; a Shopify order then arrives, its
 * customer gets one email, and the order page says the notice went (then was delivered).
 */

const SHOP = 'bildirim-browser.myshopify.com';
const ORDER_ID = 7_400_000_001;
const EMAIL = 'elif.demir@example.com';

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

describe('order notifications in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Bildirimtarayici'));
    const core = createPlatform(readConfig(localAws(stack.dataDir).env));
    await saveShopConnection(
      { store: core.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS }), keyring: core.keyring },
      owner.tenantId,
      SHOP,
      {
        accessToken: 'shpat_browser_notices',
        accessTokenExpiresAt: Date.now() + 3_600_000,
        refreshToken: 'shprt_browser_notices',
        refreshTokenExpiresAt: Date.now() + 86_400_000,
        scopes: 'read_orders',
      },
      'u_browser',
    );
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens from the settings tabs, everything off, with a preview on sample values', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/team`);
    await page.getByRole('tab', { name: tr.settings.notifications }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/settings/notifications$`));
    const confirmed = page.getByTestId('notice-confirmed');
    await expect.poll(() => confirmed.getByText(tr.orderNotices.off).isVisible()).toBe(true);
    const preview = page.getByTestId('notice-confirmed-tr-preview');
    await expect.poll(() => preview.textContent()).toContain('Merhaba Ayşe Yılmaz, #1001 numaralı siparişinizi aldık');
    await page
      .getByTestId('notice-confirmed-tr-text')
      .fill('Merhaba {{customer}}, {{order}} siparişiniz bize ulaştı. {{shop}}');
    await expect
      .poll(() => preview.textContent())
      .toContain('Merhaba Ayşe Yılmaz, #1001 siparişiniz bize ulaştı. Çiçekçi');
    await checkAccessibility(page, 'settings/notifications');
    expect(a11y['settings/notifications']).toEqual([]);
  });

  it('saves the confirmation by email', async () => {
    await page.getByTestId('notice-confirmed').getByLabel(tr.orderNotices.channel.email, { exact: true }).check();
    await page.getByRole('button', { name: tr.orderNotices.save }).click();
    await expect.poll(() => page.getByTestId('notice-confirmed').getByText(tr.orderNotices.on).isVisible()).toBe(true);
    await checkAccessibility(page, 'settings/notifications-on');
    expect(a11y['settings/notifications-on']).toEqual([]);
    const stored = await api.call<{
      settings: { confirmed: { channels: string[]; wording: { tr: { text: string } } } };
    }>('GET', `/businesses/${owner.tenantId}/order-notices/settings`, { token: owner.accessToken });
    expect(stored.body.settings.confirmed.channels).toEqual(['email']);
    expect(stored.body.settings.confirmed.wording.tr.text).toBe(
      'Merhaba {{customer}}, {{order}} siparişiniz bize ulaştı. {{shop}}',
    );
  });

  it("shows a new order's notice on the order page once the customer's email went", async () => {
    const now = new Date().toISOString();
    await sendShopifyWebhook(stack.url, SHOP, 'orders/create', {
      id: ORDER_ID,
      admin_graphql_api_id: `gid://shopify/Order/${ORDER_ID}`,
      name: '#3001',
      email: EMAIL,
      currency: 'TRY',
      financial_status: 'paid',
      fulfillment_status: null,
      created_at: now,
      updated_at: now,
      line_items: [{ id: ORDER_ID + 1, title: 'Papatya', sku: 'PAP-1', quantity: 1, price: '99.90' }],
      shipping_address: { first_name: 'Elif', last_name: 'Demir', country: 'Turkey', country_code: 'TR' },
      total_price: '99.90',
    });
    const mail = await eventually(async () => (await readOutbox(api)).find((m) => m.to === EMAIL), 20_000);
    expect(mail.text).toContain('Merhaba Elif Demir, #3001 siparişiniz bize ulaştı.');
    await page.goto(`${stack.url}/b/${owner.tenantId}/store/orders/${ORDER_ID}`);
    const row = page.getByTestId('notice-confirmed-email');
    await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await row.textContent()).toContain(tr.orderNotices.event.confirmed);
    await expect
      .poll(
        async () => {
          await page.reload();
          return (await page.getByTestId('notice-confirmed-email').textContent()) ?? '';
        },
        { timeout: 20_000 },
      )
      .toContain(tr.orderNotices.state.delivered);
    await checkAccessibility(page, 'store/order-notices');
    expect(a11y['store/order-notices']).toEqual([]);
  });
});
