import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { en } from '../../packages/web/src/i18n/en';
import { tr } from '../../packages/web/src/i18n/tr';
import { type RunningStack, startStack, webAppReady } from '../support/local-stack';
import { launchBrowser, watchProblems } from './browser';

/**
 * A merchant signs up in the web app and opens the verification mail in the dev outbox page:
 * the mail is in the language the app was in (Turkish by default, English when chosen), in a
 * real browser against the real `npm start`.
 */
const run = Date.now().toString(36);

let stack: RunningStack;
let browser: Browser;

vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } });

beforeAll(async () => {
  stack = await startStack();
  await webAppReady(stack);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  const code = await stack?.stop();
  if (code !== 0) console.error(stack?.output().slice(-4000));
});

const messages = { tr, en } as const;

/** Fills and sends the sign-up form in the language on screen, and waits for its answer. */
async function signUp(page: Page, language: 'tr' | 'en', person: { business: string; name: string; email: string }) {
  const t = messages[language];
  await page.getByLabel(t.auth.businessName).fill(person.business);
  await page.getByLabel(t.auth.yourName).fill(person.name);
  await page.getByLabel(new RegExp(`^${t.common.email}`)).fill(person.email);
  await page.getByLabel(new RegExp(`^${t.common.password}`)).fill('lale-butik-parola-1');
  for (const checkbox of await page.getByRole('checkbox').all()) await checkbox.check();
  await page.getByRole('button', { name: t.auth.signupSubmit }).click();
  await expect.poll(() => page.getByRole('heading', { name: t.auth.signupDoneTitle }).isVisible()).toBe(true);
}

/** Opens the dev outbox page and returns the card of the mail to `to` once it is there. */
async function openMail(page: Page, language: 'tr' | 'en', to: string) {
  await page.goto(`${stack.url}/dev/outbox`);
  await expect.poll(() => page.getByRole('heading', { name: messages[language].outbox.title }).isVisible()).toBe(true);
  const mail = page.getByTestId('outbox-mail').filter({ hasText: to }).first();
  // The outbox refreshes itself every few seconds; the mail may still be on its way.
  await expect.poll(() => mail.count(), { timeout: 20_000 }).toBe(1);
  return mail;
}

describe('the verification mail, in the language of the app', () => {
  it('is Turkish for a sign-up from the Turkish app', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const person = { business: `Lale Butik ${run}`, name: 'Ayşe Yılmaz', email: `ayse.dil.${run}@example.com` };
    await page.goto(`${stack.url}/signup`);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('tr');

    await signUp(page, 'tr', person);
    const mail = await openMail(page, 'tr', person.email);

    await expect
      .poll(() => mail.getByText('Asistone hesabınız için e-posta adresinizi doğrulayın').isVisible())
      .toBe(true);
    await expect.poll(() => mail.textContent()).toContain(`Merhaba ${person.name},`);
    await expect.poll(() => mail.textContent()).toContain('E-posta adresimi doğrula');
    expect(await mail.textContent()).not.toContain('Confirm');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is English for a sign-up from the app switched to English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const person = { business: `Rose Shop ${run}`, name: 'Elif Şahin', email: `elif.dil.${run}@example.com` };
    await page.goto(`${stack.url}/signup`);
    await page.getByTestId('language-menu').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.getByRole('heading', { name: en.auth.signupTitle }).isVisible()).toBe(true);

    await signUp(page, 'en', person);
    const mail = await openMail(page, 'en', person.email);

    await expect.poll(() => mail.getByText('Confirm your email address for Asistone').isVisible()).toBe(true);
    await expect.poll(() => mail.textContent()).toContain(`Hello ${person.name},`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
