import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ApiClient,
  apiClient,
  logIn,
  newEmail,
  newMember,
  newOwner,
  PASSWORD,
  type SignedInPerson,
  tokenFromOutbox,
} from '../e2e/accounts-client';
import { type RunningStack, startStack, webAppReady } from '../support/local-stack';
import { accessibilityProblems, axeViolations, launchBrowser, screenshot, watchProblems } from './browser';

/**
 * What a merchant expects on day one, in a real browser against the real `npm start`: the
 * getting-started checklist ticks its steps, an invitation opened while signed in as someone
 * else offers to switch accounts, a person starts a first or a second business and switches
 * between them, and on a phone the team and session actions stay on screen. axe-core checks
 * every page visited. People are made through the API (their mails read from the dev outbox);
 * each scenario stands on its own.
 */

let stack: RunningStack;
let api: ApiClient;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Page errors and CSP violations, per page opened. */
const problems: string[][] = [];
/** Accessibility findings (the basic checks and axe-core's serious and critical ones), by screen. */
const a11y: Record<string, string[]> = {};

type Owner = SignedInPerson & { tenantId: string };

async function checkAccessibility(page: Page, screen: string) {
  a11y[screen] = [...(await accessibilityProblems(page)), ...(await axeViolations(page))];
}

/** A fresh browser (its own cookies) with one page, in Turkish. */
async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'tr-TR' });
  contexts.push(context);
  const page = await context.newPage();
  problems.push(watchProblems(page));
  return page;
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await expect.poll(() => page.getByRole('heading', { name: 'Giriş yap' }).isVisible()).toBe(true);
  await page.getByLabel(/^E-posta/).fill(email);
  await page.getByLabel(/^Parola/).fill(password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
}

/** Signs in on the login page and waits for the business's home page (owners and admins land there). */
async function signInToHome(page: Page, person: Owner) {
  await page.goto(`${stack.url}/login`);
  await signIn(page, person.email);
  await page.waitForURL(new RegExp(`/b/${person.tenantId}$`));
  await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Başlarken' }).isVisible()).toBe(true);
}

async function invite(inviter: Owner, email: string, role: 'admin' | 'agent' | 'analyst') {
  const invited = await api.call('POST', `/businesses/${inviter.tenantId}/invites`, {
    token: inviter.accessToken,
    body: { email, role },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  return tokenFromOutbox(api, 'invite', email);
}

/** True when the whole element is inside the window, without scrolling sideways. */
async function fullyOnScreen(page: Page, element: Locator): Promise<boolean> {
  const box = await element.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width;
}

async function noSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

// Pages take a moment to load and re-render: poll for up to 15 s instead of vitest's 1 s.
vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } });

describe("a merchant's first day, in the browser", () => {
  beforeAll(async () => {
    stack = await startStack();
    await webAppReady(stack);
    api = apiClient(stack.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    const code = await stack?.stop();
    if (code !== 0) console.error(stack?.output().slice(-4000));
  });

  it('shows an owner the getting-started checklist, and ticks "invite the team" after inviting', async () => {
    const owner = await newOwner(api, 'Ayse');
    const page = await openBrowser();
    await signInToHome(page, owner);
    const team = page.getByTestId('getting-started-team');
    const progress = page.getByTestId('getting-started-progress');
    await expect.poll(() => progress.textContent()).toBe('4 adımdan 0 tanesi tamamlandı');
    for (const step of ['channel', 'team', 'store', 'ai']) {
      expect(await page.getByTestId(`getting-started-${step}`).getAttribute('data-done')).toBe('false');
    }
    // The AI agent is not built yet, and the page says so rather than pretending; the store is.
    expect(await page.getByTestId('getting-started-store').textContent()).not.toContain('Yakında');
    expect(await page.getByTestId('getting-started-ai').textContent()).toContain('Yakında');
    await checkAccessibility(page, 'home checklist');
    await screenshot(page, 'day-one-home-tr');

    // The step's link leads to the team page; an invitation there ticks the step.
    await team.getByRole('link', { name: 'Ekip ayarlarını aç' }).click();
    await page.waitForURL(/\/settings\/team$/);
    await page.getByLabel('Davet edilecek e-posta adresi').fill(newEmail('mehmet'));
    await page.getByRole('combobox', { name: 'Rol' }).click();
    await page.getByRole('option', { name: 'Temsilci' }).click();
    await page.getByRole('button', { name: 'Davet gönder' }).click();
    await expect.poll(() => page.getByText(/adresine davet gönderildi\.$/).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Asistone' }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    await expect.poll(() => team.getAttribute('data-done')).toBe('true');
    await expect.poll(() => progress.textContent()).toBe('4 adımdan 1 tanesi tamamlandı');
    expect(await page.getByTestId('getting-started-channel').getAttribute('data-done')).toBe('false');

    // The store step links to the store's page, where the store is connected.
    await page.getByRole('link', { name: 'Mağaza sayfasını aç' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Mağaza' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('store-connection').textContent()).toContain('Shopify’a bağlan');
  });

  it('opens an invitation while signed in as someone else: says so, switches accounts, then accepts', async () => {
    const owner = await newOwner(api, 'Selin');
    const invited = await newOwner(api, 'Mehmet');
    const someoneElse = await newOwner(api, 'Burak');
    const token = await invite(owner, invited.email, 'agent');

    const page = await openBrowser();
    await signInToHome(page, someoneElse);
    await page.goto(`${stack.url}/invite/${token}`);
    await expect.poll(() => page.getByTestId('invite-summary').textContent()).toContain('Selin Butik');
    const notYours = page.getByTestId('invite-other-account');
    await expect
      .poll(() => notYours.textContent())
      .toContain(`${someoneElse.email.toLowerCase()} hesabıyla giriş yapmış durumdasınız`);
    // The invited address is shown masked, as to anyone holding the link; no Accept button that can only fail.
    expect(await notYours.textContent()).toContain('bu davet ise m***@e***.com adresine gönderilmiş');
    expect(await notYours.textContent()).not.toContain(invited.email);
    expect(await page.getByRole('button', { name: 'Daveti kabul et' }).count()).toBe(0);
    await checkAccessibility(page, 'invitation for someone else');
    await screenshot(page, 'day-one-invite-other-account-tr');

    // Switching signs out and stays on the same invitation, which now asks the invited person to sign in.
    await page.getByRole('button', { name: 'Çıkış yap ve davete devam et' }).click();
    await page.getByRole('link', { name: 'Giriş yap ve kabul et' }).click();
    await page.waitForURL(/\/login\?next=/);
    await signIn(page, invited.email);
    await page.waitForURL(new RegExp(`/invite/${token.replaceAll('.', '\\.')}$`));
    await expect
      .poll(() => page.getByText(`Daveti ${invited.email.toLowerCase()} hesabıyla kabul edin.`).isVisible())
      .toBe(true);
    await page.getByRole('button', { name: 'Daveti kabul et' }).click();
    await expect.poll(() => page.getByTestId('invite-accepted').textContent()).toContain('Selin Butik');
    await page.getByRole('link', { name: 'İşletmeye git' }).click();
    // An agent does not set the business up: it opens on the inbox.
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/inbox$`));
    expect(
      await api.call('GET', `/businesses/${owner.tenantId}/members`, { token: invited.accessToken }),
    ).toMatchObject({
      status: 200,
    });
  });

  it('lets an owner create a second business and switch between the two', async () => {
    const owner = await newOwner(api, 'Zeynep');
    const page = await openBrowser();
    await signInToHome(page, owner);
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    await nav.getByRole('link', { name: 'Yeni işletme oluştur' }).click();
    await page.waitForURL(/\/new-business$/);
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Yeni işletme oluştur' }).isVisible())
      .toBe(true);
    // The contract's name rule, checked before anything is sent.
    await page.getByRole('button', { name: 'İşletmeyi oluştur' }).click();
    await expect.poll(() => page.getByText('Bu alan zorunludur.').isVisible()).toBe(true);
    await checkAccessibility(page, 'new business');

    await page.getByLabel('İşletme adı').fill('Nar Kozmetik');
    await page.getByRole('button', { name: 'İşletmeyi oluştur' }).click();
    await page.waitForURL((url) => /^\/b\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith(owner.tenantId));
    const second = new URL(page.url()).pathname.split('/')[2] ?? '';
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Başlarken' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Nar Kozmetik oluşturuldu.').isVisible()).toBe(true);

    // The switcher lists both; switching from one home page opens the other's.
    const switcher = page.getByRole('combobox', { name: 'İşletme değiştir' });
    await expect.poll(() => switcher.inputValue()).toBe('Nar Kozmetik');
    await switcher.click();
    await page.getByRole('option', { name: 'Zeynep Butik' }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    await expect.poll(() => switcher.inputValue()).toBe('Zeynep Butik');
    await switcher.click();
    await page.getByRole('option', { name: 'Nar Kozmetik' }).click();
    await page.waitForURL(new RegExp(`/b/${second}$`));
    await checkAccessibility(page, 'second business home');
    await screenshot(page, 'day-one-second-business-tr');
  });

  it('lets a person left without any business create one from the start page', async () => {
    const owner = await newOwner(api, 'Kerem');
    const member = await newMember(api, owner, 'analyst', 'Derya');
    const removed = await api.call('DELETE', `/businesses/${owner.tenantId}/members/${member.userId}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);

    const page = await openBrowser();
    await page.goto(`${stack.url}/login`);
    await signIn(page, member.email);
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Henüz bir işletmeye üye değilsiniz' }).isVisible())
      .toBe(true);
    await checkAccessibility(page, 'no business yet');
    await page.getByRole('link', { name: 'İşletmenizi oluşturun' }).click();
    await page.getByLabel('İşletme adı').fill('Derya Çiçek');
    await page.getByRole('button', { name: 'İşletmeyi oluştur' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Başlarken' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('business-name').textContent()).toBe('Derya Çiçek');
  });

  it('keeps the team and session actions on a phone screen, in reach and working', async () => {
    const owner = await newOwner(api, 'Elif');
    const member = await newMember(api, owner, 'agent', 'Can');
    const invitedEmail = newEmail('deniz');
    await invite(owner, invitedEmail, 'analyst');
    // A second session of the owner's (another device), to sign out from the phone.
    await logIn(api, owner.email);

    const page = await openBrowser({ width: 390, height: 844 });
    await signInToHome(page, owner);
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/team`);
    const removeMember = page.getByRole('button', { name: 'Can adlı üyeyi kaldır' });
    await expect.poll(() => removeMember.isVisible()).toBe(true);
    expect(await fullyOnScreen(page, removeMember)).toBe(true);
    const removeInvite = page.getByRole('button', { name: `${invitedEmail} davetini kaldır` });
    await expect.poll(() => removeInvite.isVisible()).toBe(true);
    expect(await fullyOnScreen(page, removeInvite)).toBe(true);
    expect(await noSidewaysScroll(page)).toBe(true);
    await checkAccessibility(page, 'phone settings/team');
    await screenshot(page, 'day-one-team-phone-tr');

    await removeInvite.click();
    await expect.poll(() => page.getByText('Davet iptal edildi.').isVisible()).toBe(true);
    await expect.poll(() => removeInvite.count()).toBe(0);
    await removeMember.click();
    const dialog = page.getByRole('dialog', { name: 'Üyeyi kaldır' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await checkAccessibility(page, 'phone remove member dialog');
    await dialog.getByRole('button', { name: 'Kaldır' }).click();
    await expect.poll(() => page.getByText('Üye kaldırıldı.').isVisible()).toBe(true);
    await expect.poll(() => removeMember.count()).toBe(0);
    const members = await api.call<{ members: { userId: string }[] }>('GET', `/businesses/${owner.tenantId}/members`, {
      token: owner.accessToken,
    });
    expect(members.body.members.map((m) => m.userId)).not.toContain(member.userId);

    await page.getByRole('tab', { name: 'Oturumlar' }).click();
    const signOuts = page.getByRole('button', { name: /^Oturumu kapat: / });
    await expect.poll(() => signOuts.count()).toBeGreaterThan(1);
    const cards = page.getByTestId('session-cards').getByRole('listitem');
    const other = cards.filter({ hasNotText: 'Bu cihaz' }).first();
    const signOut = other.getByRole('button', { name: /^Oturumu kapat: / });
    expect(await fullyOnScreen(page, signOut)).toBe(true);
    expect(await noSidewaysScroll(page)).toBe(true);
    await checkAccessibility(page, 'phone settings/sessions');
    await screenshot(page, 'day-one-sessions-phone-tr');
    const before = await cards.count();
    await signOut.click();
    await expect.poll(() => page.getByText('Oturum kapatıldı.').isVisible()).toBe(true);
    await expect.poll(() => cards.count()).toBe(before - 1);
  });

  it('had no page errors or CSP violations, and no accessibility gaps on any page it visited', () => {
    expect(problems.flat()).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    expect(Object.entries(a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
