import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANS } from '../../packages/contract/src/billing';
import { planLimitMessage } from '../../packages/core/src/billing/limits';
import { tr } from '../../packages/web/src/i18n/tr';
import { PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Settings › Billing in a real browser against `npm start` (the fake iyzico and its hosted
 * payment page), in Turkish: a new owner on the trial opens the page, picks the Growth plan, pays
 * with iyzico's test card on the fake's page and comes back to the plan active; inviting beyond
 * the plan's seats shows the API's refusal with a link to the plans; the first invoice downloads
 * as a PDF; cancelling at the period's end is confirmed in a dialog, and taken back.
 */

const b = tr.billing;
const GROWTH = PLANS.growth;
const growth = b.plans.growth.name;
/** iyzico's sandbox card that always succeeds. */
const TEST_CARD = { holder: 'Ayşe Yılmaz', number: '5528790000000008', cvc: '123' };

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

/** An expiry a few years ahead, as `MM/YY`. */
function futureExpiry(): string {
  return `12/${String(new Date().getUTCFullYear() + 3).slice(-2)}`;
}

describe('billing in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, owner } = await startWithOwner('Abone'));
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'tr-TR',
      acceptDownloads: true,
    });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens Settings › Billing on the trial, with the usage against the trial’s limits and the plans', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings`);
    await page.getByRole('tab', { name: tr.settings.billing }).click();
    await page.waitForURL(/\/settings\/billing$/);
    await expect.poll(() => page.getByTestId('billing-state').textContent()).toBe(b.states.trial);
    expect(await page.getByTestId('billing-none').textContent()).toBe(b.subscription.trial);
    // The owner takes one of the trial's five seats.
    await expect.poll(() => page.getByTestId('usage-seats-numbers').textContent()).toBe('1 / 5');
    expect(await page.getByRole('progressbar', { name: `${b.limits.seats}: 1 / 5` }).isVisible()).toBe(true);
    // Prices exactly as the plans say.
    expect(await page.getByTestId('plan-growth-price').textContent()).toBe(`${GROWTH.monthlyPrice} TRY / ay`);
    expect(await page.getByTestId('billing-invoices-empty').isVisible()).toBe(true);
    await checkAccessibility(page, 'settings/billing-trial');
    expect(a11y['settings/billing-trial']).toEqual([]);
  });

  it('picks Growth and is sent to iyzico’s payment page', async () => {
    await page.getByRole('button', { name: `${growth} planını seç` }).click();
    await page.waitForURL(/\/dev\/iyzico\/checkout\//, { timeout: 15_000 });
  });

  it('pays with the test card and comes back to Growth, active', async () => {
    // The fake's page in Turkish, as iyzico's hosted form: holder, number, expiry (MM/YY), CVC.
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Abonelik ödemesi');
    await page.getByLabel('Kart üzerindeki ad soyad').fill(TEST_CARD.holder);
    await page.getByLabel('Kart numarası').fill(TEST_CARD.number);
    await page.getByLabel('Son kullanma tarihi (AA/YY)').fill(futureExpiry());
    await page.getByLabel('Güvenlik kodu (CVC)').fill(TEST_CARD.cvc);
    await page.getByRole('button', { name: 'Öde ve aboneliği başlat' }).click();

    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/settings/billing\\?paid=1$`), { timeout: 30_000 });
    // The payment is confirmed server-side a moment later: the page waits for it.
    await expect.poll(() => page.getByTestId('billing-state').textContent(), { timeout: 30_000 }).toBe(b.states.active);
    await expect.poll(() => page.getByTestId('billing-paid').textContent()).toBe(b.paid.done);
    expect(await page.getByTestId('billing-plan').textContent()).toBe(growth);
    expect(await page.getByTestId('billing-price').textContent()).toContain(`${GROWTH.monthlyPrice} TRY / ay`);
    // The card's number never reaches the app (at most its mask as iyzico shows it).
    expect((await page.locator('main').textContent())?.replace(/\s/g, '')).not.toContain(TEST_CARD.number);
    expect(await page.getByTestId('plan-growth').textContent()).toContain(b.picker.current);
    await expect.poll(() => page.getByTestId('invoice-row').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('invoice-total').textContent()).toBe(`${GROWTH.monthlyPrice} TRY`);
    await checkAccessibility(page, 'settings/billing-active');
    expect(a11y['settings/billing-active']).toEqual([]);
  });

  it('refuses a sixth seat with the API’s message and a link to the plans', async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/team`);
    const invite = async (n: number) => {
      const email = `ekip${n}.${owner.tenantId}@example.com`;
      await page.getByLabel(tr.team.inviteEmail).fill(email);
      await page.getByRole('button', { name: tr.team.inviteSubmit }).click();
      return email;
    };
    // The owner and four invitations fill Growth's five seats.
    for (let n = 1; n <= GROWTH.limits.seats - 1; n++) {
      const email = await invite(n);
      await expect.poll(() => page.getByTestId('pending-invites').textContent()).toContain(email);
    }
    await invite(GROWTH.limits.seats);
    const alert = page.getByTestId('error-alert');
    const message = planLimitMessage(
      { limit: 'seats', allowed: GROWTH.limits.seats, used: GROWTH.limits.seats, wanted: 1 },
      'tr',
    );
    await expect.poll(() => alert.textContent()).toContain(message);
    await checkAccessibility(page, 'settings/team-plan-limit');
    expect(a11y['settings/team-plan-limit']).toEqual([]);
    await alert.getByRole('link', { name: b.limitReached }).click();
    await page.waitForURL(/\/settings\/billing$/);
    // Members and pending invitations take the seats.
    await expect.poll(() => page.getByTestId('usage-seats-numbers').textContent()).toMatch(/^5 \/ 5/);
  });

  it('downloads the invoice as a PDF', async () => {
    const row = page.getByTestId('invoice-row').first();
    await expect.poll(() => row.isVisible()).toBe(true);
    const downloaded = page.waitForEvent('download');
    await row.getByRole('button', { name: new RegExp(`^${b.invoices.download}`) }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^AS-\d{4}-\d+\.pdf$/);
    const pdf = readFileSync((await download.path()) as string);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('cancels at the end of the period after confirming, then takes it back', async () => {
    const a = b.actions;
    await page.getByRole('button', { name: a.cancel }).click();
    const dialog = page.getByRole('dialog', { name: a.cancelTitle });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await checkAccessibility(page, 'settings/billing-cancel');
    expect(a11y['settings/billing-cancel']).toEqual([]);
    await dialog.getByRole('button', { name: a.cancelSubmit }).click();
    await expect.poll(() => page.getByText(a.canceled).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: a.resume }).isVisible()).toBe(true);
    expect(await page.getByTestId('billing-state').textContent()).toBe(b.states.active);

    await page.getByRole('button', { name: a.resume }).click();
    await page.getByRole('dialog', { name: a.resumeTitle }).getByRole('button', { name: a.resumeSubmit }).click();
    await expect.poll(() => page.getByText(a.resumed).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: a.cancel }).isVisible()).toBe(true);
  });
});
