import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * The campaigns page as a merchant meets it, in a real browser against `npm start`, in Turkish:
 * a customer CSV with bad rows is uploaded through the page (columns guessed from its header),
 * the import runs to the end on the list's page, the counts and the reasons are shown in plain
 * words, the report of rejected rows downloads (row, reason, column; no value), and the members
 * are listed with masked numbers.
 */

const FILE = [
  'Telefon;Ad Soyad;İzin',
  '0532 222 00 01;Elif Şahin;evet',
  '0532 222 00 02;Mert Can;hayır',
  '0532-222-00-01;Elif Ş.;evet',
  '0212 555 12 34;Ofis Hattı;evet',
  '0532 222 00 03;Deniz Ay;belki',
  ';Boş Satır;evet',
].join('\r\n');

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const t = tr.campaignLists;

describe('campaign lists in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Listetarayici'));
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'tr-TR',
      acceptDownloads: true,
    });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens the campaigns area with no lists yet', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/campaigns`);
    await expect.poll(() => page.getByRole('heading', { name: t.title, level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(t.lists.empty).isVisible()).toBe(true);
    await checkAccessibility(page, 'campaigns');
    expect(a11y.campaigns).toEqual([]);
  });

  it('uploads a CSV with its columns guessed from the header, and watches it import', async () => {
    const form = page.getByRole('region', { name: t.upload.title });
    await form.locator('input[type="file"]').setInputFiles({
      name: 'yaz-kampanyasi.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(FILE, 'utf8'),
    });
    await expect.poll(() => form.getByLabel(t.upload.name).inputValue()).toBe('yaz-kampanyasi');
    await expect.poll(() => form.getByLabel(t.upload.phoneColumn).inputValue()).toBe('Telefon');
    await expect.poll(() => form.getByLabel(t.upload.consentColumn).inputValue()).toBe('İzin');
    await form.getByLabel(t.upload.name).fill('Yaz kampanyası');
    await form.getByLabel(t.upload.wording).fill('Kampanyalardan WhatsApp ile haberdar olmak istiyorum.');
    await form.getByRole('button', { name: t.upload.submit }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/campaigns/lists/cl_`));
    await expect.poll(() => page.getByTestId('campaign-list-state').textContent()).toBe(t.state.ready);
    await expect.poll(() => page.getByRole('heading', { name: 'Yaz kampanyası', level: 1 }).isVisible()).toBe(true);
    const count = (name: string) => page.getByTestId(`count-${name}`).textContent();
    expect(await count('rows')).toBe('6');
    expect(await count('accepted')).toBe('2');
    expect(await count('merged')).toBe('1');
    expect(await count('rejected')).toBe('3');
    const reasons = page.getByTestId('campaign-list-reasons');
    for (const [reason, n] of [
      ['not-mobile', 1],
      ['bad-consent-value', 1],
      ['missing-phone', 1],
    ] as const) {
      expect(await reasons.getByText(t.reasons[reason].replace('{{count}}', String(n))).isVisible()).toBe(true);
    }
    await checkAccessibility(page, 'campaign list');
    expect(a11y['campaign list']).toEqual([]);
  });

  it('downloads the report of rejected rows: row, reason and column, never a value', async () => {
    await page.getByRole('button', { name: t.report.button }).click();
    const link = page.getByRole('link', { name: t.report.download });
    await expect.poll(() => link.isVisible()).toBe(true);
    const downloaded = page.waitForEvent('download');
    await link.click();
    const download = await downloaded;
    const report = readFileSync((await download.path()) as string, 'utf8');
    expect(report.trim().split('\r\n')).toEqual([
      'row,reason,column',
      '5,not-mobile,Telefon',
      '6,bad-consent-value,İzin',
      '7,missing-phone,Telefon',
    ]);
    expect(report).not.toMatch(/555|Ofis|belki|Deniz/);
  });

  it('lists the members with masked numbers and what the file said', async () => {
    const members = page.getByTestId('campaign-list-members');
    await expect.poll(() => members.getByText('+90 532 *** ** 01').isVisible()).toBe(true);
    expect(await members.getByText('Elif Şahin').isVisible()).toBe(true);
    expect(await members.getByText('+90 532 *** ** 02').isVisible()).toBe(true);
    expect(await members.getByText(t.members.fileConsent.withdrawn).isVisible()).toBe(true);
    expect(await page.content()).not.toMatch(/5322220001|222 00 01/);
    // The list is on the area's page too.
    const lists = await api.call<{ lists: { name: string }[] }>('GET', `/businesses/${owner.tenantId}/campaign-lists`, {
      token: owner.accessToken,
    });
    expect(lists.body.lists.map((l) => l.name)).toEqual(['Yaz kampanyası']);
  });
});
