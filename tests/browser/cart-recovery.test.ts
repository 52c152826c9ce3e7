import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config';
import { createPlatform } from '../../packages/core/src/platform/context';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, readOutbox, type SignedInPerson } from '../e2e/accounts-client';
import { sendShopifyWebhook, shopCustomer } from '../e2e/store-fixtures';
import { localAws } from '../support/local-aws';
import { eventually, type RunningStack, runSchedule } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Campaigns › Abandoned carts in a real browser against `npm start` (fake Shopify, fake Resend),
 * in Turkish: the owner turns reminders on with a two-step sequence (email, then SMS a day later)
 * and reads the preview; the fake store posts a checkout abandoned two hours ago; the
 * `cart-detection` schedule runs, the customer gets the email, and the cart shows as contacted;
 * the order from that checkout arrives and the cart shows as recovered, with the report's chart.
 */

const SHOP = 'sepet-browser.myshopify.com';
const CUSTOMER_ID = 8_900_000_001;
const PHONE = '+905321112244';
const EMAIL = 'sepet@example.com';
const c = tr.cartRecovery;

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

const abandoned = new Date(Date.now() - 2 * 3_600_000).toISOString();
const CHECKOUT = {
  token: 'ck_browser_sepet_1',
  email: EMAIL,
  phone: PHONE,
  customer: { id: CUSTOMER_ID, admin_graphql_api_id: `gid://shopify/Customer/${CUSTOMER_ID}` },
  abandoned_checkout_url: 'https://sepet.example/checkouts/ck_browser_sepet_1/recover',
  currency: 'TRY',
  line_items: [{ title: 'Lale buketi', quantity: 2, price: '150.00' }],
  subtotal_price: '300.00',
  total_price: '329.90',
  created_at: abandoned,
  updated_at: abandoned,
};

describe('abandoned carts in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Sepettarayici'));
    const core = createPlatform(readConfig(localAws(stack.dataDir).env));
    await saveShopConnection(
      { store: core.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS }), keyring: core.keyring },
      owner.tenantId,
      SHOP,
      {
        accessToken: 'shpat_browser_carts',
        accessTokenExpiresAt: Date.now() + 3_600_000,
        refreshToken: 'shprt_browser_carts',
        refreshTokenExpiresAt: Date.now() + 86_400_000,
        scopes: 'read_orders',
      },
      'u_browser',
    );
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens from Campaigns with reminders off and a two-step sequence previewed on sample values', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/campaigns`);
    await page.getByRole('link', { name: c.link }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/campaigns/carts$`));
    await expect.poll(() => page.getByTestId('cart-enabled').isChecked()).toBe(false);
    const preview = page.getByTestId('cart-step-1-tr-preview');
    await expect
      .poll(() => preview.textContent())
      .toContain('Merhaba Ayşe Yılmaz, sepetinizde 2 × Gül buketi, 1 × Vazo');
    await expect.poll(() => page.getByTestId('cart-step-2').isVisible()).toBe(true);
    await checkAccessibility(page, 'campaigns/carts');
    expect(a11y['campaigns/carts']).toEqual([]);
  });

  it('saves the sequence turned on, without quiet hours', async () => {
    await page.getByTestId('cart-enabled').check();
    await page.getByLabel(c.settings.quiet).uncheck();
    await page.getByRole('button', { name: c.settings.save }).click();
    await expect
      .poll(async () => {
        const stored = await api.call<{ settings: { enabled: boolean; quietHours: unknown; steps: unknown[] } }>(
          'GET',
          `/businesses/${owner.tenantId}/cart-recovery/settings`,
          { token: owner.accessToken },
        );
        return stored.body.settings;
      })
      .toMatchObject({ enabled: true, quietHours: null, steps: [{ channel: 'email' }, { channel: 'sms' }] });
  });

  it('shows a cart the fake store abandoned as contacted once its email went', async () => {
    await sendShopifyWebhook(stack.url, SHOP, 'customers/create', {
      ...shopCustomer(CUSTOMER_ID, PHONE, 'Sepet', 'Alıcı'),
      email: EMAIL,
      email_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00+03:00' },
      whatsapp_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00+03:00' },
    });
    await sendShopifyWebhook(stack.url, SHOP, 'checkouts/create', CHECKOUT);
    await eventually(async () => {
      const { body } = await api.call<{ carts: unknown[] }>(
        'GET',
        `/businesses/${owner.tenantId}/cart-recovery/carts`,
        {
          token: owner.accessToken,
        },
      );
      return body.carts.length === 1 ? true : undefined;
    }, 20_000);
    await runSchedule(stack, 'cart-detection', new Date().toISOString());
    const mail = await eventually(async () => (await readOutbox(api)).find((m) => m.to === EMAIL), 30_000);
    expect(mail.text).toContain(CHECKOUT.abandoned_checkout_url);
    const row = page.getByTestId('cart-row').first();
    await expect.poll(() => row.getByTestId('cart-state').textContent(), { timeout: 20_000 }).toBe(c.state.contacted);
    expect(await row.textContent()).toContain('2 × Lale buketi');
    expect(await row.textContent()).not.toContain(EMAIL);
  });

  it('shows it recovered when the order from the checkout arrives, with the revenue in the report', async () => {
    const now = new Date().toISOString();
    await sendShopifyWebhook(stack.url, SHOP, 'orders/create', {
      id: 7_700_000_001,
      admin_graphql_api_id: 'gid://shopify/Order/7700000001',
      name: '#4001',
      email: EMAIL,
      currency: 'TRY',
      financial_status: 'paid',
      created_at: now,
      updated_at: now,
      line_items: [],
      total_price: '329.90',
      checkout_token: CHECKOUT.token,
    });
    const row = page.getByTestId('cart-row').first();
    await expect.poll(() => row.getByTestId('cart-state').textContent(), { timeout: 20_000 }).toBe(c.state.recovered);
    expect(await row.textContent()).toContain('7700000001');
    await expect.poll(() => page.getByTestId('cart-lift').textContent(), { timeout: 30_000 }).toContain('329.90 TRY');
    expect(await page.getByTestId('cart-revenue-chart').locator('rect').count()).toBeGreaterThan(0);
    await checkAccessibility(page, 'campaigns/carts-recovered');
    expect(a11y['campaigns/carts-recovered']).toEqual([]);
  });

  it('filters the carts by the day they were abandoned', async () => {
    const list = page.getByTestId('cart-list');
    // The business's days are Istanbul's.
    const dayOf = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Istanbul' }).format(ms);
    const day = dayOf(Date.parse(abandoned));
    const nextDay = dayOf(Date.parse(abandoned) + 86_400_000);
    await list.getByLabel(c.carts.from).fill(nextDay);
    await expect.poll(() => list.textContent()).toContain(c.carts.empty);
    await list.getByLabel(c.carts.from).fill(day);
    await list.getByLabel(c.carts.to).fill(day);
    await expect.poll(() => page.getByTestId('cart-row').count()).toBe(1);
    await checkAccessibility(page, 'campaigns/carts-filtered');
    expect(a11y['campaigns/carts-filtered']).toEqual([]);
  });
});
