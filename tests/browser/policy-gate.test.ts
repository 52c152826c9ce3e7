import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { currentPolicyVersion } from '@asistone/contract/policies';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_RECORDS, ACCOUNTS_TENANT } from '../../packages/core/src/accounts/records.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { localAws } from '../support/local-aws';
import { eventually, type RunningStack } from '../support/local-stack';
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
  const signup = await fetch(`${stack.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      businessName: `İrem Butik ${run}`,
      name: person.name,
      email: person.email,
      password: person.password,
      ageConfirmed: true,
      acceptTerms: true,
      termsVersion: CURRENT_TERMS_VERSION,
    }),
  });
  expect(signup.status).toBe(202);
  const link = await eventually(async () => {
    const { mails } = (await (await fetch(`${stack.url}/api/dev/outbox`)).json()) as {
      mails: { to: string; links: string[] }[];
    };
    return mails
      .filter((mail) => mail.to === person.email)
      .flatMap((mail) => mail.links.filter((candidate) => candidate.includes('/verify-email')))[0];
  });
  const verified = await fetch(`${stack.url}/api/auth/verify-email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: new URL(link).searchParams.get('token') }),
  });
  expect(verified.status).toBe(200);
  const login = await fetch(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  userId = ((await login.json()) as { user: { id: string } }).user.id;
}

async function signedUpEarlier() {
  const core = createPlatform(readConfig(localAws(stack.dataDir).env));
  await core
    .storeOf(ACCOUNT_RECORDS)
    .entities.user.patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ termsVersion: '2025-06-01' })
    .go();
}

describe('accepting a new version of the terms at sign-in', () => {
  stepsInOrder(() => problems.length > 0);
  afterEach(() => expect(problems).toEqual([]));

  beforeAll(async () => {
    ({ stack, browser } = await startWithBrowser());
    await signUpThroughApi();
    await signedUpEarlier();
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
