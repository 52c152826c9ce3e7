import { readFileSync } from 'node:fs';
import { totpCode, totpStep } from '@asistone/core/accounts/totp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, signUpConfirmed } from '../e2e/accounts-client';
import { type RunningStack, startStack, webAppReady } from '../support/local-stack';
import { axeViolations, launchBrowser, watchProblems } from './browser';
import { stepsInOrder } from './session';

/**
 * Two-step verification as a merchant meets it, in a real browser against the real
 * `npm start`: turning it on takes the password and a code from the app (scanned from a QR
 * code drawn in the page), the recovery codes are shown once and downloaded, a recovery code
 * signs in when the phone is lost, each works once, and codes used up are warned about and
 * replaced. Asserts on what a person sees, in Turkish.
 */

const run = Date.now().toString(36);
const owner = {
  businessName: `Defne Çiçekçilik ${run}`,
  name: 'Defne Arslan',
  email: `defne.${run}@example.com`,
  password: 'defne-cicek-parola-7',
};

let stack: RunningStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[] = [];
let tenantId = '';
let secret = '';
/** The step of the app code that turned the factor on: a code is never accepted twice. */
let enabledAt = 0;
let recoveryCodes: string[] = [];

const signUpThroughApi = () => signUpConfirmed(apiClient(stack.url), owner);

/** Signs in from Node with a recovery code, as someone would from another device. */
function signInWithCodeFromApi(recoveryCode: string) {
  return fetch(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password: owner.password, recoveryCode }),
  });
}

async function signIn(email: string, password: string) {
  await page.getByLabel(/^E-posta/).fill(email);
  await page.getByLabel(/^Parola/).fill(password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
}

async function signOut() {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Çıkış yap' }).click();
  await page.waitForURL(/\/login$/);
}

/** From the password step to the recovery-code step of the sign-in page. */
async function toRecoveryCodeStep() {
  await signIn(owner.email, owner.password);
  await expect.poll(() => page.getByRole('heading', { name: 'İki adımlı doğrulama' }).isVisible()).toBe(true);
  await page.getByRole('button', { name: 'Kurtarma kodu kullan' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Kurtarma kodu' }).isVisible()).toBe(true);
}

async function submitRecoveryCode(code: string) {
  await page.getByLabel('Kurtarma kodu').fill(code);
  await page.getByRole('button', { name: 'Doğrula ve giriş yap' }).click();
}

async function openSecurityPage() {
  await page.goto(`${stack.url}/b/${tenantId}/settings/security`);
  await expect.poll(() => page.getByRole('heading', { name: 'İki adımlı doğrulama (TOTP)' }).isVisible()).toBe(true);
}

describe('two-step verification and recovery codes in the browser', () => {
  // The steps build on each other: after a failure the rest would only repeat it.
  stepsInOrder(() => problems.length > 0);
  afterEach(() => {
    // Neither an uncaught error nor a Content Security Policy refusal (the QR code is drawn in
    // the page, the download is a blob) on any step.
    expect(problems).toEqual([]);
  });

  beforeAll(async () => {
    stack = await startStack();
    await webAppReady(stack);
    await signUpThroughApi();
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'tr-TR',
      acceptDownloads: true,
    });
    page = await context.newPage();
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await browser?.close();
    const code = await stack?.stop();
    if (code !== 0) console.error(stack?.output().slice(-4000));
  });

  it('turns it on only with the password and a code from the app, shown a QR code beside the secret', async () => {
    await page.goto(`${stack.url}/login`);
    await signIn(owner.email, owner.password);
    await page.waitForURL(/\/b\/[^/]+$/);
    tenantId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await openSecurityPage();
    await page.getByRole('button', { name: 'İki adımlı doğrulamayı aç' }).click();

    const qr = page.getByRole('img', { name: 'Doğrulama uygulamanızla taratacağınız QR kod' });
    await expect.poll(() => qr.isVisible()).toBe(true);
    expect((await qr.locator('path').getAttribute('d'))?.length).toBeGreaterThan(1000);
    secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await axeViolations(page)).toEqual([]);

    // A session alone is not enough: the password is asked for, and a wrong one is refused.
    enabledAt = totpStep(Date.now());
    await page.getByLabel('Doğrulama kodu').fill(totpCode(secret, enabledAt));
    await page.getByRole('button', { name: 'Doğrula ve aç' }).click();
    await expect.poll(() => page.getByText('Bu alan zorunludur.').isVisible()).toBe(true);
    await page.getByLabel('Parolanız').fill('bu benim parolam değil');
    await page.getByRole('button', { name: 'Doğrula ve aç' }).click();
    await expect.poll(() => page.getByTestId('error-alert').textContent()).toBe('Parola hatalı.');
    await expect.poll(() => page.getByText('Kapalı', { exact: true }).isVisible()).toBe(true);

    await page.getByLabel('Parolanız').fill(owner.password);
    await page.getByRole('button', { name: 'Doğrula ve aç' }).click();
    await expect.poll(() => page.getByText('İki adımlı doğrulama açıldı.').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Açık', { exact: true }).isVisible()).toBe(true);
  });

  it('shows the ten recovery codes once and downloads them as a text file', async () => {
    const panel = page.getByTestId('recovery-codes');
    await expect.poll(() => panel.getByText('Kurtarma kodlarınızı şimdi kaydedin').isVisible()).toBe(true);
    recoveryCodes = (await panel.getByTestId('recovery-code').allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await axeViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'İndir (.txt)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('asistone-kurtarma-kodlari.txt');
    const file = readFileSync(await download.path(), 'utf8');
    expect(file).toContain('Asistone kurtarma kodları');
    expect(file).toContain(owner.email);
    expect(file.split('\n').filter((line) => /^[a-z2-7]{5}-[a-z2-7]{5}$/.test(line))).toEqual(recoveryCodes);

    // Once put away they are not shown again, only counted.
    await panel.getByRole('button', { name: 'Kaydettim' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('recovery-codes-left').textContent())
      .toBe('10 kullanılmamış kurtarma kodunuz var.');
    await page.reload();
    await expect.poll(() => page.getByTestId('recovery-codes-left').isVisible()).toBe(true);
    expect(await page.getByTestId('recovery-codes').count()).toBe(0);
  });

  it('signs in with a recovery code in place of the app code; a used code is refused', async () => {
    await signOut();
    await toRecoveryCodeStep();
    expect(await axeViolations(page)).toEqual([]);
    await submitRecoveryCode(recoveryCodes[0] as string);
    await page.waitForURL(new RegExp(`/b/${tenantId}$`));

    await signOut();
    await toRecoveryCodeStep();
    await submitRecoveryCode(recoveryCodes[0] as string);
    await expect
      .poll(() => page.getByTestId('error-alert').textContent())
      .toBe('Kurtarma kodu hatalı veya daha önce kullanılmış.');
    // Typed the way people copy from paper: capitals, no hyphen.
    await submitRecoveryCode((recoveryCodes[1] as string).replace('-', '').toUpperCase());
    await page.waitForURL(new RegExp(`/b/${tenantId}$`));
  });

  it('warns when the codes are used up, refuses them all, and makes a new set with the password and a code', async () => {
    // The rest are spent elsewhere (from Node, as from another device).
    for (const code of recoveryCodes.slice(2)) expect((await signInWithCodeFromApi(code)).status).toBe(200);
    await openSecurityPage();
    await expect
      .poll(() => page.getByTestId('recovery-codes-left').textContent())
      .toContain('Kullanılmamış kurtarma kodunuz kalmadı.');

    const regenerate = page.getByTestId('regenerate-recovery-codes');
    await regenerate.getByLabel('Parolanız').fill(owner.password);
    await regenerate
      .getByLabel('Doğrulama kodu veya kurtarma kodu')
      .fill(totpCode(secret, Math.max(enabledAt, totpStep(Date.now())) + 1));
    await regenerate.getByRole('button', { name: 'Yeni kodlar oluştur' }).click();
    await expect.poll(() => page.getByText('Yeni kurtarma kodları oluşturuldu.').isVisible()).toBe(true);
    const renewed = (await page.getByTestId('recovery-code').allTextContents()).map((code) => code.trim());
    expect(renewed).toHaveLength(10);
    expect(renewed.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    await page.getByRole('button', { name: 'Kaydettim' }).click();
    await expect
      .poll(() => page.getByTestId('recovery-codes-left').textContent())
      .toBe('10 kullanılmamış kurtarma kodunuz var.');

    await signOut();
    await toRecoveryCodeStep();
    await submitRecoveryCode(recoveryCodes[9] as string);
    await expect
      .poll(() => page.getByTestId('error-alert').textContent())
      .toBe('Kurtarma kodu hatalı veya daha önce kullanılmış.');
    await submitRecoveryCode(renewed[0] as string);
    await page.waitForURL(new RegExp(`/b/${tenantId}$`));
  });
});
