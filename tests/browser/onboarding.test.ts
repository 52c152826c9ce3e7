import { existsSync, statSync } from 'node:fs';
import {
  PASSWORD_MESSAGES,
  PASSWORD_MIN_LENGTH,
  CURRENT_TERMS_VERSION as TERMS_VERSION,
} from '@asistone/contract/accounts';
import { totpCode, totpStep } from '@asistone/core/accounts/totp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../packages/web/src/i18n/en';
import { tr } from '../../packages/web/src/i18n/tr';
import { roleCan } from '../../packages/web/src/session/permissions';
import { homeArea } from '../../packages/web/src/shell/areas';
import { eventually, type RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, startWithBrowser, stepsInOrder, watchPages } from './session';

/**
 * A merchant's first day, in a real browser against the real `npm start`: sign up, verify the
 * email from the dev outbox, sign in, invite a teammate, the teammate joins and is refused the
 * owner-only billing page, the language switch is remembered, and the audit log shows it all.
 * Each step asserts on what a person sees (in Turkish, the default language).
 */

const run = Date.now().toString(36);
const owner = {
  business: `Lale Butik ${run}`,
  name: 'Ayşe Yılmaz',
  email: `ayse.${run}@example.com`,
  password: 'lale-butik-parola-1',
};
const teammate = { name: 'Mehmet Demir', email: `mehmet.${run}@example.com`, password: 'mehmet-temsilci-2' };
/** Signs up with a password of exactly the API's minimum length, after one a character short. */
const minimal = {
  business: `Ayva Atölye ${run}`,
  name: 'Elif Şahin',
  email: `elif.${run}@example.com`,
  password: 'ayva-parola1',
};

let stack: RunningStack;
let browser: Browser;
let ownerContext: BrowserContext;
let ownerPage: Page;
let teammateContext: BrowserContext;
let teammatePage: Page;
let tenantId = '';
const screenshots: string[] = [];
/** Page errors and CSP violations per page opened, accessibility gaps by screen visited. */
const { problems, a11y, openPage, checkAccessibility } = watchPages();

/** The newest link containing `path` in the mails to `to`, read from the outbox API. */
async function mailLink(to: string, path: string): Promise<string> {
  return eventually(async () => {
    const { mails } = (await (await fetch(`${stack.url}/api/dev/outbox`)).json()) as {
      mails: { to: string; links: string[] }[];
    };
    return mails
      .filter((mail) => mail.to === to)
      .flatMap((mail) => mail.links.filter((link) => link.includes(path)))[0];
  });
}

/** Opens the dev outbox and returns the link of the newest mail to `to` whose link contains `path`. */
async function linkFromOutbox(page: Page, to: string, path: string): Promise<string> {
  await page.goto(`${stack.url}/dev/outbox`);
  await expect.poll(() => page.getByRole('heading', { name: 'Geliştirici posta kutusu' }).isVisible()).toBe(true);
  const mail = page.getByTestId('outbox-mail').filter({ hasText: to }).first();
  const link = mail.locator(`a[href*="${path}"]`).first();
  // The outbox refreshes itself every few seconds; the mail may still be on its way.
  await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1);
  const href = await link.getAttribute('href');
  if (!href) throw new Error(`no ${path} link in the mail to ${to}`);
  return href;
}

function language(page: Page) {
  return page.locator('html').getAttribute('lang');
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel(/^E-posta/).fill(email);
  await page.getByLabel(/^Parola/).fill(password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
}

async function chooseLanguage(page: Page, language: 'Türkçe' | 'English') {
  await page.getByTestId('language-menu').click();
  await page.getByRole('menuitem', { name: language }).click();
}

/** Calls the API from the test process as `email` (a sign-in of its own, from Node). */
async function apiAs(email: string, password: string) {
  const login = await fetch(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${stack.url}/api${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: response.status, body: (await response.json()) as T };
  };
}

describe('merchant onboarding in the browser', () => {
  stepsInOrder();

  beforeAll(async () => {
    ({ stack, browser } = await startWithBrowser());
    ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    ownerPage = await openPage(ownerContext);
  });

  afterAll(() => shutDown(browser, stack));

  it("refuses a password shorter than the API's minimum in the sign-up form, in the reader's language", async () => {
    // The rule the API enforces: at least 12 characters, refused with this message.
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    const elevenCharacters = minimal.password.slice(0, PASSWORD_MIN_LENGTH - 1);
    const refused = await fetch(`${stack.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        businessName: minimal.business,
        name: minimal.name,
        email: minimal.email,
        password: elevenCharacters,
        ageConfirmed: true,
        acceptTerms: true,
        termsVersion: TERMS_VERSION,
      }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).issues).toEqual([{ path: 'password', message: PASSWORD_MESSAGES.tooShort }]);

    const page = await openPage(ownerContext);
    const signUps: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/auth/signup')) signUps.push(request.postData() ?? '');
    });
    await page.goto(`${stack.url}/signup`);
    await expect.poll(() => language(page)).toBe('tr');
    await page.getByLabel('İşletme adı').fill(minimal.business);
    await page.getByLabel('Adınız ve soyadınız').fill(minimal.name);
    await page.getByLabel(/^E-posta/).fill(minimal.email);
    await page.getByRole('checkbox', { name: '18 yaşından büyüğüm' }).check();
    await page.getByRole('checkbox', { name: /gizlilik politikasını okudum, kabul ediyorum/ }).check();
    const password = page.getByLabel(/^Parola/);
    await password.fill(elevenCharacters);
    await page.getByRole('button', { name: 'Hesap oluştur' }).click();
    // The form words the contract's rule in Turkish, with the contract's number; nothing is sent.
    const turkish = tr.validation.password.tooShort.replace('{{minLength}}', String(PASSWORD_MIN_LENGTH));
    expect(turkish).toBe('Parola en az 12 karakter olmalıdır.');
    await expect.poll(() => page.getByText(turkish).isVisible()).toBe(true);
    // It is the password field's own error, announced with it.
    const errorId = (await page.getByText(turkish).getAttribute('id')) ?? 'no id';
    expect(await password.getAttribute('aria-describedby')).toContain(errorId);
    // In English it reads as the API's own message.
    await chooseLanguage(page, 'English');
    await page.getByRole('button', { name: 'Create account' }).click();
    const english = en.validation.password.tooShort.replace('{{minLength}}', String(PASSWORD_MIN_LENGTH));
    expect(english).toBe(`${PASSWORD_MESSAGES.tooShort}.`);
    await expect.poll(() => page.getByText(english).isVisible()).toBe(true);
    await chooseLanguage(page, 'Türkçe');
    await expect.poll(() => language(page)).toBe('tr');
    expect(signUps).toEqual([]);

    // Twelve characters pass the form's check, and the API takes them.
    expect(minimal.password).toHaveLength(PASSWORD_MIN_LENGTH);
    await password.fill(minimal.password);
    const answer = page.waitForResponse((response) => response.url().endsWith('/api/auth/signup'));
    await page.getByRole('button', { name: 'Hesap oluştur' }).click();
    expect((await answer).status()).toBe(202);
    await expect.poll(() => page.getByRole('heading', { name: 'E-postanızı kontrol edin' }).isVisible()).toBe(true);
    expect(signUps).toHaveLength(1);
    expect(JSON.parse(signUps[0] ?? '{}').password).toBe(minimal.password);
    await page.close();
  });

  it('signs up a business', async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/signup`);
    await expect.poll(() => language(page)).toBe('tr');
    await page.getByLabel('İşletme adı').fill(owner.business);
    await page.getByLabel('Adınız ve soyadınız').fill(owner.name);
    await page.getByLabel(/^E-posta/).fill(owner.email);
    await page.getByLabel(/^Parola/).fill(owner.password);
    await page.getByRole('checkbox', { name: '18 yaşından büyüğüm' }).check();
    await page.getByRole('checkbox', { name: /gizlilik politikasını okudum, kabul ediyorum/ }).check();
    await checkAccessibility(page, 'signup');
    await page.getByRole('button', { name: 'Hesap oluştur' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'E-postanızı kontrol edin' }).isVisible()).toBe(true);
  });

  it('verifies the email address from the dev outbox', async () => {
    const page = ownerPage;
    const href = await linkFromOutbox(page, owner.email, '/verify-email');
    await page.goto(new URL(href, stack.url).toString());
    await expect.poll(() => page.getByTestId('email-verified').textContent()).toContain('E-posta adresiniz doğrulandı');
  });

  it('signs in, lands on the getting-started page of the new business, and opens the inbox', async () => {
    const page = ownerPage;
    await page.getByRole('link', { name: 'Giriş yapın' }).click();
    await checkAccessibility(page, 'login');
    await signIn(page, owner.email, 'not-the-password');
    await expect.poll(() => page.getByTestId('error-alert').textContent()).toBe('E-posta adresi veya parola hatalı.');
    await signIn(page, owner.email, owner.password);
    // The owner lands on the business's home: its getting-started checklist.
    await page.waitForURL(/\/b\/[^/]+$/);
    tenantId = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect(tenantId).not.toBe('');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Başlarken' }).isVisible()).toBe(true);
    await expect
      .poll(() => page.getByTestId('getting-started-progress').textContent())
      .toBe('4 adımdan 0 tanesi tamamlandı');
    await checkAccessibility(page, 'home');
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Gelen kutusu' }).click();
    await page.waitForURL(/\/b\/[^/]+\/inbox$/);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('business-name').textContent()).toBe(owner.business);
    // Every area is in the navigation; the not-yet-built ones say so.
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    for (const area of [
      'Gelen kutusu',
      'Kişiler',
      'Kampanyalar',
      'Yapay zekâ asistanı',
      'Mağaza',
      'Stok',
      'Reklamlar',
    ]) {
      await expect.poll(() => nav.getByRole('link', { name: area }).isVisible()).toBe(true);
    }
    await expect.poll(() => nav.getByRole('link', { name: 'Ayarlar' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Henüz bağlı bir kanalınız yok.').isVisible()).toBe(true);
    await checkAccessibility(page, 'inbox');
    screenshots.push(await screenshot(page, 'inbox-tr'));
  });

  it('invites a teammate as agent from Settings › Team', async () => {
    const page = ownerPage;
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Ayarlar' }).click();
    await page.waitForURL(/\/settings\/team$/);
    const members = page.getByTestId('members-table');
    await expect.poll(() => members.textContent()).toContain(owner.email);
    await expect.poll(() => members.textContent()).toContain('Sahip');
    // The owner sees the owner-only sections.
    await expect.poll(() => page.getByRole('tab', { name: 'Faturalandırma' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('tab', { name: 'Denetim kaydı' }).isVisible()).toBe(true);

    await page.getByLabel('Davet edilecek e-posta adresi').fill(teammate.email);
    await page.getByRole('combobox', { name: 'Rol' }).click();
    await page.getByRole('option', { name: 'Temsilci' }).click();
    await page.getByRole('button', { name: 'Davet gönder' }).click();
    await expect.poll(() => page.getByText(`${teammate.email} adresine davet gönderildi.`).isVisible()).toBe(true);
    const pending = page.getByTestId('pending-invites');
    await expect.poll(() => pending.textContent()).toContain(teammate.email);
    await expect.poll(() => pending.textContent()).toContain('Temsilci');
    await checkAccessibility(page, 'settings/team');
    screenshots.push(await screenshot(page, 'settings-team-tr'));
  });

  it('lets the teammate create an account from the invitation link and sign in', async () => {
    teammateContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    teammatePage = await openPage(teammateContext);
    const page = teammatePage;
    const href = await linkFromOutbox(page, teammate.email, '/invite/');
    await page.goto(new URL(href, stack.url).toString());
    const summary = page.getByTestId('invite-summary');
    await expect.poll(() => summary.textContent()).toContain(owner.business);
    await expect.poll(() => summary.textContent()).toContain('Temsilci');

    await checkAccessibility(page, 'invite');
    await page.getByLabel('Adınız ve soyadınız').fill(teammate.name);
    await page.getByLabel(/^Parola/).fill(teammate.password);
    await page.getByRole('checkbox', { name: '18 yaşından büyüğüm' }).check();
    await page.getByRole('checkbox', { name: /gizlilik politikasını okudum, kabul ediyorum/ }).check();
    await page.getByRole('button', { name: 'Hesabı oluştur ve daveti kabul et' }).click();
    await expect.poll(() => page.getByTestId('invite-accepted').textContent()).toContain('Hesabınız oluşturuldu');

    await page.getByRole('link', { name: 'Giriş yapın' }).click();
    await signIn(page, teammate.email, teammate.password);
    await page.waitForURL(new RegExp(`/b/${tenantId}/inbox$`));
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);
    // An agent's navigation leaves out what the role cannot use (campaigns, AI, ads); every member
    // sees the privacy page, which lists who processes the business's data.
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    await expect.poll(() => nav.getByRole('link', { name: 'Kişiler' }).isVisible()).toBe(true);
    expect(await nav.getByRole('link', { name: 'Kampanyalar' }).count()).toBe(0);
    screenshots.push(await screenshot(page, 'inbox-agent-tr'));
  });

  it('refuses the teammate the owner-only Billing page', async () => {
    const page = teammatePage;
    // An agent is not offered Billing or the audit log…
    await page.getByRole('navigation', { name: 'Ana menü' }).getByRole('link', { name: 'Ayarlar' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Ekip' }).isVisible()).toBe(true);
    expect(await page.getByRole('tab', { name: 'Faturalandırma' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Denetim kaydı' }).count()).toBe(0);
    // …and typing the address anyway gets the API's 403, shown as a no-access state.
    const billingAnswer = page.waitForResponse((response) =>
      response.url().endsWith(`/api/businesses/${tenantId}/billing`),
    );
    await page.goto(`${stack.url}/b/${tenantId}/settings/billing`);
    expect((await billingAnswer).status()).toBe(403);
    const noAccess = page.getByTestId('no-access');
    await expect.poll(() => noAccess.textContent()).toContain('Bu sayfaya erişiminiz yok');
    screenshots.push(await screenshot(page, 'billing-no-access-tr'));
  });

  it('renews an expired access token once, and asks to sign in again when the session is gone', async () => {
    const page = teammatePage;
    await page.goto(`${stack.url}/b/${tenantId}/settings/team`);
    const members = page.getByTestId('members-table');
    await expect.poll(() => members.textContent()).toContain(teammate.email);
    // Away and back, until the members list is asked for again (a click landing while the tab
    // is still being drawn can leave the list as it was). What follows the request (the list, or
    // the way to sign-in) is for the caller to see.
    const reopenTeam = async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const sessions = page.getByRole('tab', { name: 'Oturumlar' });
        await sessions.click();
        await expect.poll(() => sessions.getAttribute('aria-selected')).toBe('true');
        const asked = page
          .waitForRequest((request) => request.url().endsWith('/members'), { timeout: 5_000 })
          .then(() => true)
          .catch(() => false);
        await page.getByRole('tab', { name: 'Ekip' }).click();
        if (await asked) return;
      }
      throw new Error('the members list was never asked for again');
    };

    // The next members call is refused as an expired token would be: the app refreshes and retries.
    let refusals = 1;
    await page.route('**/api/businesses/*/members', (route) =>
      refusals-- > 0
        ? route.fulfill({
            status: 401,
            json: { error: 'unauthenticated', message: 'Your session timed out: refresh it' },
          })
        : route.continue(),
    );
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/auth/refresh'));
    await reopenTeam();
    expect((await refreshed).status()).toBe(200);
    await expect.poll(() => members.textContent()).toContain(teammate.email);
    await page.unrouteAll();

    // Without the refresh cookie the session cannot be renewed: back to sign-in, told why.
    await teammateContext.clearCookies();
    await page.route('**/api/businesses/*/members', (route) =>
      route.fulfill({ status: 401, json: { error: 'unauthenticated', message: 'Sign in to continue' } }),
    );
    await reopenTeam();
    await page.waitForURL(/\/login\?next=/);
    await expect
      .poll(() => page.getByText('Oturumunuzun süresi doldu. Lütfen yeniden giriş yapın.').isVisible())
      .toBe(true);
    await page.unrouteAll();
  });

  it('resets a forgotten password from the mailed link', async () => {
    const page = teammatePage;
    await page.goto(`${stack.url}/login`);
    await page.getByRole('link', { name: 'Parolanızı mı unuttunuz?' }).click();
    // The page is loaded on demand: until it shows, the sign-in form (with its own E-posta) stays.
    await expect.poll(() => page.getByRole('heading', { name: 'Parola sıfırlama' }).isVisible()).toBe(true);
    await page.getByLabel(/^E-posta/).fill(teammate.email);
    await page.getByRole('button', { name: 'Bağlantı gönder' }).click();
    await expect.poll(() => page.getByText(/parola sıfırlama bağlantısı gönderdik/).isVisible()).toBe(true);

    await page.goto(new URL(await mailLink(teammate.email, '/reset-password'), stack.url).toString());
    await expect.poll(() => page.getByRole('heading', { name: 'Yeni parola belirleyin' }).isVisible()).toBe(true);
    await checkAccessibility(page, 'reset password');
    teammate.password = 'mehmet-yeni-parola-4';
    await page.getByLabel(/^Yeni parola\s*\*?$/).fill(teammate.password);
    await page.getByLabel(/^Yeni parola \(tekrar\)/).fill('does-not-match-1');
    await page.getByRole('button', { name: 'Parolayı değiştir' }).click();
    await expect.poll(() => page.getByText('Parolalar birbiriyle eşleşmiyor.').isVisible()).toBe(true);
    await page.getByLabel(/^Yeni parola \(tekrar\)/).fill(teammate.password);
    await page.getByRole('button', { name: 'Parolayı değiştir' }).click();
    await expect.poll(() => page.getByText(/Parolanız değiştirildi/).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Giriş yapın' }).click();
    await signIn(page, teammate.email, teammate.password);
    await page.waitForURL(new RegExp(`/b/${tenantId}/inbox$`));

    // A used or made-up link says so instead of failing silently.
    await page.goto(`${stack.url}/verify-email?token=${'x'.repeat(40)}`);
    await expect
      .poll(() => page.getByTestId('error-alert').textContent())
      .toBe('Bu bağlantı geçersiz ya da süresi dolmuş.');
  });

  it('switches to English and back to Turkish, and remembers the choice', async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/b/${tenantId}/inbox`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);

    await chooseLanguage(page, 'English');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Inbox' }).isVisible()).toBe(true);
    await expect.poll(() => language(page)).toBe('en');
    await expect.poll(() => page.getByText('No channel is connected yet.').isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Inbox' }).isVisible()).toBe(true);
    await expect.poll(() => language(page)).toBe('en');
    await expect
      .poll(() =>
        page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Settings' }).isVisible(),
      )
      .toBe(true);
    screenshots.push(await screenshot(page, 'inbox-en'));

    await chooseLanguage(page, 'Türkçe');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);
    await expect.poll(() => language(page)).toBe('tr');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);
    await expect.poll(() => language(page)).toBe('tr');
  });

  it('fits a phone screen, with the navigation behind the burger', async () => {
    const page = ownerPage;
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${stack.url}/b/${tenantId}/inbox`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Gelen kutusu' }).isVisible()).toBe(true);
    const noHorizontalScroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(noHorizontalScroll).toBe(true);
    screenshots.push(await screenshot(page, 'inbox-phone-tr'));

    await page.getByRole('button', { name: 'Menüyü aç' }).click();
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    await expect.poll(() => nav.getByRole('link', { name: 'Ayarlar' }).isVisible()).toBe(true);
    await checkAccessibility(page, 'phone navigation');
    screenshots.push(await screenshot(page, 'inbox-phone-nav-tr'));
    await nav.getByRole('link', { name: 'Kişiler' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Kişiler' }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the steps in the audit log (page and API)', async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/b/${tenantId}/settings/audit`);
    const table = page.getByTestId('audit-table');
    await expect.poll(() => table.isVisible()).toBe(true);
    const rows = table.locator('tbody tr');
    const actions = async () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    await expect
      .poll(actions)
      .toEqual(expect.arrayContaining(['auth.sign_in', 'team.invite_sent', 'team.invite_accepted']));
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('Oturum açıldı');
    expect(text).toContain('Davet gönderildi');
    expect(text).toContain('Davet kabul edildi');
    expect(text).toContain(teammate.name);
    await checkAccessibility(page, 'settings/audit');
    screenshots.push(await screenshot(page, 'audit-tr'));

    // Filter by action: only invitations sent remain.
    await page.getByRole('combobox', { name: 'İşlem' }).click();
    await page.getByRole('option', { name: 'Davet gönderildi' }).click();
    await page.getByRole('button', { name: 'Filtrele' }).click();
    await expect.poll(actions).toEqual(['team.invite_sent']);

    // The same entries through the API, with source addresses masked to their network part.
    const api = await apiAs(owner.email, owner.password);
    const audit = await api<{ entries: { action: string; actorId: string; sourceAddress: string | null }[] }>(
      `/businesses/${tenantId}/audit`,
    );
    expect(audit.status).toBe(200);
    const seen = audit.body.entries.map((entry) => entry.action);
    expect(seen).toEqual(expect.arrayContaining(['auth.sign_in', 'team.invite_sent', 'team.invite_accepted']));
    for (const entry of audit.body.entries) {
      if (entry.sourceAddress) expect(entry.sourceAddress).toMatch(/x/);
    }
    // The teammate's own API answer for billing is the same refusal the page showed.
    const asTeammate = await apiAs(teammate.email, teammate.password);
    expect((await asTeammate(`/businesses/${tenantId}/billing`)).status).toBe(403);
  });

  it('lists the sessions, signs out another one, and shows the owner the subscription', async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/b/${tenantId}/settings/sessions`);
    const table = page.getByTestId('sessions-table');
    await expect.poll(() => table.textContent()).toContain('Bu cihaz');
    expect(await table.textContent()).toMatch(/\.x\.x|:x:x/);
    await checkAccessibility(page, 'settings/sessions');
    // The audit step signed in from Node too: that session can be signed out from here.
    const rows = table.locator('tbody tr');
    const before = await rows.count();
    expect(before).toBeGreaterThan(1);
    const other = rows.filter({ hasNotText: 'Bu cihaz' }).first();
    await other.getByRole('button', { name: /^Oturumu kapat: / }).click();
    await expect.poll(() => page.getByText('Oturum kapatıldı.').isVisible()).toBe(true);
    await expect.poll(() => rows.count()).toBe(before - 1);

    await page.getByRole('tab', { name: 'Faturalandırma' }).click();
    await expect.poll(() => page.getByTestId('billing-none').textContent()).toContain('Henüz bir aboneliğiniz yok.');
    await checkAccessibility(page, 'settings/billing');
  });

  it('turns on two-step verification, after which sign-in asks for the code', async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/b/${tenantId}/settings/security`);
    await page.getByRole('button', { name: 'İki adımlı doğrulamayı aç' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await checkAccessibility(page, 'settings/security');
    const enabledAt = totpStep(Date.now());
    await page.getByLabel('Parolanız').fill(owner.password);
    await page.getByLabel('Doğrulama kodu').fill(totpCode(secret, enabledAt));
    await page.getByRole('button', { name: 'Doğrula ve aç' }).click();
    await expect.poll(() => page.getByText('İki adımlı doğrulama açıldı.').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Açık', { exact: true }).isVisible()).toBe(true);

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Çıkış yap' }).click();
    await page.waitForURL(/\/login$/);
    await signIn(page, owner.email, owner.password);
    await expect.poll(() => page.getByRole('heading', { name: 'İki adımlı doğrulama' }).isVisible()).toBe(true);
    await page.getByLabel('Doğrulama kodu').fill('000000');
    await page.getByRole('button', { name: 'Doğrula ve giriş yap' }).click();
    await expect
      .poll(() => page.getByTestId('error-alert').textContent())
      .toBe('Doğrulama kodu hatalı veya süresi dolmuş.');
    // The code used to turn it on is spent; the next time step's code is accepted (clock drift).
    await page.getByLabel('Doğrulama kodu').fill(totpCode(secret, Math.max(enabledAt, totpStep(Date.now())) + 1));
    await page.getByRole('button', { name: 'Doğrula ve giriş yap' }).click();
    await page.waitForURL(new RegExp(`/b/${tenantId}$`));
  });

  it('joins a second business as the signed-in user and switches between the two', async () => {
    // Another merchant signs up through the API and invites the owner as analyst.
    const other = { business: `Nar Kozmetik ${run}`, email: `zeynep.${run}@example.com`, password: 'nar-kozmetik-3' };
    const signup = await fetch(`${stack.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        businessName: other.business,
        name: 'Zeynep Kaya',
        email: other.email,
        password: other.password,
        ageConfirmed: true,
        acceptTerms: true,
        termsVersion: TERMS_VERSION,
      }),
    });
    expect(signup.status).toBe(202);
    const verifyLink = await mailLink(other.email, '/verify-email');
    const token = new URL(verifyLink).searchParams.get('token');
    const verified = await fetch(`${stack.url}/api/auth/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(verified.status).toBe(200);
    const login = (await (
      await fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: other.email, password: other.password }),
      })
    ).json()) as { accessToken: string; businesses: { tenantId: string }[] };
    const otherTenant = login.businesses[0]?.tenantId ?? '';
    const invited = await fetch(`${stack.url}/api/businesses/${otherTenant}/invites`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
      body: JSON.stringify({ email: owner.email, role: 'analyst' }),
    });
    expect(invited.status).toBe(201);

    // The owner, signed in, accepts in the browser without creating anything.
    const page = ownerPage;
    await page.goto(new URL(await mailLink(owner.email, '/invite/'), stack.url).toString());
    await expect.poll(() => page.getByTestId('invite-summary').textContent()).toContain(other.business);
    await expect.poll(() => page.getByText(`Daveti ${owner.email} hesabıyla kabul edin.`).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Daveti kabul et' }).click();
    await expect.poll(() => page.getByTestId('invite-accepted').textContent()).toContain(other.business);
    await page.getByRole('link', { name: 'İşletmeye git' }).click();

    // An analyst does not read conversations (nor the store's orders): the business opens on the
    // first area the role may use (the navigation's order, shell/areas.ts).
    const analystHome = homeArea((permission) => roleCan('analyst', permission)).path;
    expect(['inbox', 'contacts', 'store']).not.toContain(analystHome);
    await page.waitForURL(new RegExp(`/b/${otherTenant}/${analystHome}$`));
    const nav = page.getByRole('navigation', { name: 'Ana menü' });
    expect(await nav.getByRole('link', { name: 'Gelen kutusu' }).count()).toBe(0);
    await expect.poll(() => nav.getByRole('link', { name: 'Reklamlar' }).isVisible()).toBe(true);

    // The switcher lists both businesses and keeps the area when switching.
    await page.getByRole('combobox', { name: 'İşletme değiştir' }).click();
    await page.getByRole('option', { name: owner.business }).click();
    await page.waitForURL(new RegExp(`/b/${tenantId}/${analystHome}$`));
    await expect.poll(() => nav.getByRole('link', { name: 'Gelen kutusu' }).isVisible()).toBe(true);
    await checkAccessibility(page, 'business switcher');
    screenshots.push(await screenshot(page, 'business-switcher-tr'));
  });

  it("changes a member's role and removes the member, both audited", async () => {
    const page = ownerPage;
    await page.goto(`${stack.url}/b/${tenantId}/settings/team`);
    const members = page.getByTestId('members-table');
    await expect.poll(() => members.textContent()).toContain(teammate.email);
    await page.getByRole('combobox', { name: `${teammate.name} için rol` }).click();
    await page.getByRole('option', { name: 'Analist' }).click();
    await expect.poll(() => page.getByText('Rol güncellendi.').isVisible()).toBe(true);

    await page.getByRole('button', { name: `${teammate.name} adlı üyeyi kaldır` }).click();
    const dialog = page.getByRole('dialog', { name: 'Üyeyi kaldır' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await checkAccessibility(page, 'remove member dialog');
    await dialog.getByRole('button', { name: 'Kaldır' }).click();
    await expect.poll(() => page.getByText('Üye kaldırıldı.').isVisible()).toBe(true);
    await expect.poll(() => members.textContent()).not.toContain(teammate.email);

    // The owner now signs in with a second factor: read the log on its page.
    await page.getByRole('tab', { name: 'Denetim kaydı' }).click();
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))))
      .toEqual(expect.arrayContaining(['team.role_changed', 'team.member_removed']));
    expect(await page.getByTestId('audit-table').textContent()).toContain('Temsilci → Analist');
  });

  it('left no password, name or email address of the run in the product’s logs', () => {
    const logs = stack.output();
    expect(logs).toContain('signed in');
    const secrets = [owner.email, teammate.email, owner.password, 'mehmet-temsilci-2', teammate.password];
    secrets.push(minimal.email, minimal.password);
    for (const secret of [...secrets, owner.name, teammate.name, minimal.name]) expect(logs).not.toContain(secret);
  });

  it('produced readable screenshots, no page errors or CSP violations, and no accessibility gaps', () => {
    for (const path of screenshots) expect(existsSync(path) && statSync(path).size > 5_000).toBe(true);
    expect(problems.flat()).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThan(5);
    expect(Object.entries(a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
