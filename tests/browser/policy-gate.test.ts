import { currentPolicyVersion } from '@asistone/contract/policies';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, logIn, signUpConfirmed } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { signedUpEarlier } from '../support/policy-acceptance';
import { accessibilityProblems, axeViolations, watchProblems } from './browser';
import { shutDown, startWithBrowser, stepsInOrder } from './session';

/**
 * A person who accepted an older version of the terms and privacy policy signs in: the app
 * shows what changed and asks for acceptance before anything else, and opens once accepted.
 * Their account's recorded sign-up version is set to an earlier date, as for someone who signed
 * up before the current versions (the API takes only the current one); the declaration is the
 * published one. In Turkish, as the person sees it.
 */
const run = Date.now().toString(36);
const person = { email: `irem.${run}@example.com`, password: 'irem-kosullar-parola-3', name: 'İrem Şahin' };

let stack: RunningStack;
let browser: Browser;
let page: Page;
let problems: string[] = [];
let userId = '';

async function signUpThroughApi() {
  const api = apiClient(stack.url);
  await signUpConfirmed(api, { businessName: `İrem Butik ${run}`, ...person });
  userId = (await logIn(api, person.email, person.password)).userId;
}

describe('accepting a new version of the terms at sign-in', () => {
  stepsInOrder(() => problems.length > 0);
  afterEach(() => expect(problems).toEqual([]));

  beforeAll(async () => {
    ({ stack, browser } = await startWithBrowser());
    await signUpThroughApi();
    await signedUpEarlier(stack.dataDir, userId);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await context.newPage();
    problems = watchProblems(page);
  });
  afterAll(() => shutDown(browser, stack));

  it('shows what changed, with links to read each document, before the app', async () => {
    await page.goto(`${stack.url}/login`);
    await page.getByLabel(/^E-posta/).fill(person.email);
    await page.getByLabel(/^Parola/).fill(person.password);
    await page.getByRole('button', { name: 'Giriş yap' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading', { name: 'Koşullarımız değişti' }).isVisible()).toBe(true);
    await expect
      .poll(() => dialog.getByText(currentPolicyVersion('terms').changes.tr[0] as string).isVisible())
      .toBe(true);
    await expect
      .poll(() => dialog.getByText(currentPolicyVersion('privacy').changes.tr[0] as string).isVisible())
      .toBe(true);
    expect(await dialog.getByRole('link', { name: 'Kullanım Koşulları metnini oku' }).getAttribute('href')).toBe(
      '/terms',
    );
    expect(await dialog.getByRole('link', { name: 'Gizlilik Politikası metnini oku' }).getAttribute('href')).toBe(
      '/privacy',
    );
    // Nothing of the app behind it: the business menu is not there to use.
    expect(await page.getByTestId('user-menu').count()).toBe(0);
    expect([...(await accessibilityProblems(page)), ...(await axeViolations(page))]).toEqual([]);
  });

  it('opens the app once accepted, and asks no more', async () => {
    await page.getByRole('dialog').getByRole('button', { name: 'Kabul ediyorum' }).click();
    await expect.poll(() => page.getByTestId('user-menu').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('user-menu').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Koşullarımız değişti' }).count()).toBe(0);
  });
});
