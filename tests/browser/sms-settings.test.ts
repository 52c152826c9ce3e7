import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NETGSM_ACCOUNT } from '../../packages/local/src/fakes/netgsm';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Settings › SMS as a merchant meets it, in a real browser against `npm start` and its fake
 * NetGSM: a header that is not on the account is refused and nothing is saved; the working
 * account is saved, shown as connected, and its password is not in the page afterwards. In Turkish.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();

describe('the SMS settings card', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Smsbrowser'));
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens from the settings tabs, not connected', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/team`);
    await page.getByRole('tab', { name: tr.settings.sms }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/settings/sms$`));
    const card = page.getByTestId('sms-settings');
    await expect.poll(() => card.getByText(tr.sms.notConnected).isVisible()).toBe(true);
    await checkAccessibility(page, 'settings/sms');
    expect(a11y['settings/sms']).toEqual([]);
  });

  it('refuses a header that is not on the NetGSM account, saving nothing', async () => {
    await page.getByLabel(tr.sms.usercode).fill(DEMO_NETGSM_ACCOUNT.usercode);
    await page.getByLabel(tr.sms.password).fill(DEMO_NETGSM_ACCOUNT.password);
    await page.getByLabel(tr.sms.msgheader).fill('BASKASI');
    await page.getByRole('button', { name: tr.sms.save }).click();
    await expect.poll(() => page.getByText(tr.sms.headerRefused).isVisible()).toBe(true);
    const stored = await api.call('GET', `/businesses/${owner.tenantId}/sms`, { token: owner.accessToken });
    expect(stored.body.configured).toBe(false);
  });

  it('saves the working account and shows it connected, without the password in the page', async () => {
    await page.getByLabel(tr.sms.msgheader).fill('LALECICEK');
    await page.getByRole('button', { name: tr.sms.save }).click();
    await expect.poll(() => page.getByText(tr.sms.connected.replace('{{header}}', 'LALECICEK')).isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel(tr.sms.password).inputValue()).toBe('');
    expect(await page.content()).not.toContain(DEMO_NETGSM_ACCOUNT.password);
    const stored = await api.call('GET', `/businesses/${owner.tenantId}/sms`, { token: owner.accessToken });
    expect(stored.body).toMatchObject({ configured: true, msgheader: 'LALECICEK', passwordSet: true });
  });
});
