import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignCounts } from '../../packages/contract/src/campaigns';
import { DEMO_CAMPAIGN } from '../../packages/local/src/demo-campaigns';
import { DEMO_OWNER } from '../../packages/local/src/demo-owner';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, apiClient, logIn, type SignedInPerson } from '../e2e/accounts-client';
import { ROOT, type RunningStack, runSchedule } from '../support/local-stack';
import { shutDown, signInOwner, startWithBrowser, watchPages } from './session';

/**
 * A campaign from the demo business, as a newcomer tries it after `npm start`, in a real browser
 * in Turkish: the demo CSV (with bad rows) is uploaded and its report read; a campaign is composed
 * from the demo's approved MARKETING template, its variables mapped to the customer's first name
 * and a column of the file, previewed per recipient and scheduled a minute ahead; the
 * campaign-scheduler schedule starts it; the results page's progress bar reaches the end; and the
 * results export downloads. Only the customers who agreed receive it: the seeded DUR and the
 * customer who never said are left out, as are the file's refusals.
 */

const DEMO_CSV = join(ROOT, 'docs', 'demo', 'kampanya-listesi.csv');
const tenantId = 'demo';

let stack: RunningStack;
let browser: Browser;
let api: ApiClient;
let owner: SignedInPerson;
let context: BrowserContext;
let page: Page;
let listId = '';
let campaignId = '';
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const t = tr.campaignLists;
const e = tr.campaignEditor;
const r = tr.campaignResults;
const TEMPLATE = DEMO_CAMPAIGN.template.name;
const LIST = 'Kış indirimi listesi';

describe('a campaign sent from the demo business in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser } = await startWithBrowser());
    api = apiClient(stack.url);
    owner = await logIn(api, DEMO_OWNER.email, DEMO_OWNER.password);
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'tr-TR',
      // A Turkish merchant's clock: the schedule's time is typed in it.
      timezoneId: 'Europe/Istanbul',
      acceptDownloads: true,
    });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('uploads the demo CSV, and the list shows its counts and the reasons rows were rejected', async () => {
    await signInOwner(page, stack, { email: DEMO_OWNER.email, password: DEMO_OWNER.password, tenantId });
    await page.goto(`${stack.url}/b/${tenantId}/campaigns`);
    const form = page.getByRole('region', { name: t.upload.title });
    await form.locator('input[type="file"]').setInputFiles({
      name: 'kampanya-listesi.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(DEMO_CSV),
    });
    await expect.poll(() => form.getByLabel(t.upload.phoneColumn).inputValue()).toBe('Telefon');
    await expect.poll(() => form.getByLabel(t.upload.consentColumn).inputValue()).toBe('İzin');
    await form.getByLabel(t.upload.name).fill(LIST);
    await form.getByLabel(t.upload.wording).fill('Kampanya ve indirimlerden WhatsApp ile haberdar olmak istiyorum.');
    await form.getByLabel(t.upload.iys).check();
    await form.getByRole('button', { name: t.upload.submit }).click();
    await page.waitForURL(new RegExp(`/b/${tenantId}/campaigns/lists/cl_`));
    listId = /\/lists\/(cl_[^/?#]+)/.exec(page.url())?.[1] ?? '';
    await expect.poll(() => page.getByTestId('campaign-list-state').textContent()).toBe(t.state.ready);
    const count = (name: string) => page.getByTestId(`count-${name}`).textContent();
    expect(await count('rows')).toBe('12');
    expect(await count('accepted')).toBe('7');
    expect(await count('merged')).toBe('1');
    expect(await count('rejected')).toBe('4');
    // Can Yıldız wrote DUR after agreeing in the shop: the file's "evet" does not undo it.
    expect(await count('keptWithdrawn')).toBe('1');
    const reasons = page.getByTestId('campaign-list-reasons');
    for (const reason of ['not-mobile', 'invalid-phone', 'missing-phone', 'bad-consent-value'] as const) {
      expect(await reasons.getByText(t.reasons[reason].replace('{{count}}', '1')).isVisible()).toBe(true);
    }
  });

  it('downloads the report of rejected rows: row, reason and column, never a value', async () => {
    await page.getByRole('button', { name: t.report.button }).click();
    const link = page.getByRole('link', { name: t.report.download });
    await expect.poll(() => link.isVisible()).toBe(true);
    const downloaded = page.waitForEvent('download');
    await link.click();
    const report = readFileSync((await (await downloaded).path()) as string, 'utf8');
    expect(report.trim().split('\r\n')).toEqual([
      'row,reason,column',
      '10,not-mobile,Telefon',
      '11,invalid-phone,Telefon',
      '12,missing-phone,Telefon',
      '13,bad-consent-value,İzin',
    ]);
    expect(report).not.toMatch(/Sabit|12345|İsimsiz|belki|Kerem/);
    await checkAccessibility(page, 'campaign list');
    expect(a11y['campaign list']).toEqual([]);
  });

  it('composes a campaign: the list, the demo template, its variables mapped, a preview per customer', async () => {
    await page.goto(`${stack.url}/b/${tenantId}/campaigns/new`);
    await expect.poll(() => page.getByRole('heading', { name: e.title, level: 1 }).isVisible()).toBe(true);
    await page.getByRole('textbox', { name: e.name }).fill('Kış indirimi');
    // The demo business has one WhatsApp number: chosen for the merchant.
    await expect.poll(() => page.getByRole('combobox', { name: e.number }).inputValue()).toContain('Demo WhatsApp');
    await page.getByRole('combobox', { name: e.audience.lists }).click();
    await page
      .getByRole('option', { name: fill(tr.campaignAudience.check.listOption, { name: LIST, count: 7 }) })
      .click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: e.audience.check }).click();
    // Four agreed (registered in İYS); Can's DUR and Ece's "hayır" withdraw, Selin never said.
    await expect
      .poll(() =>
        page
          .getByTestId('audience-result')
          .getByText(fill(tr.campaignAudience.check.summary, { eligible: 4, excluded: 3, total: 7 }))
          .isVisible(),
      )
      .toBe(true);

    await page.getByRole('combobox', { name: e.template.label }).click();
    await page.getByRole('option', { name: `${DEMO_CAMPAIGN.template.name} (tr)` }).click();
    await expect.poll(() => page.getByTestId('template-body').inputValue()).toContain('{{2}} koduyla');
    const first = page.getByTestId('variable-row-1');
    await first.getByLabel(fill(e.template.fallback, { variable: '{{1}}' })).fill('değerli müşterimiz');
    const second = page.getByTestId('variable-row-2');
    await second.getByRole('combobox', { name: fill(e.template.source, { variable: '{{2}}' }) }).click();
    await page.getByRole('option', { name: e.template.column }).click();
    await second.getByLabel(fill(e.template.columnName, { variable: '{{2}}' })).fill('İndirim kodu');
    await second.getByLabel(fill(e.template.fallback, { variable: '{{2}}' })).fill('KIS20');

    await page.getByRole('button', { name: e.preview.run }).click();
    const preview = page.getByTestId('campaign-preview');
    await expect.poll(() => preview.getByTestId('preview-recipient').count()).toBe(4);
    const ayse = preview.getByTestId('preview-recipient').filter({ hasText: 'Ayşe Demir' });
    expect(await ayse.textContent()).toContain('+90 532 *** ** 67');
    expect(await ayse.textContent()).toContain('Merhaba Ayşe, kış indirimi başladı! AYSE20 koduyla');
    expect(await preview.textContent()).not.toMatch(/Can Yıldız|Selin|Ece Kaya|5321234567/);
    await checkAccessibility(page, 'campaign editor');
    expect(a11y['campaign editor']).toEqual([]);
  });

  it('schedules it a minute ahead, and the campaign-scheduler schedule starts it when due', async () => {
    // The merchant's clock: Istanbul's, one to two minutes from now, to the minute.
    const at = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Istanbul',
      dateStyle: 'short',
      timeStyle: 'short',
    })
      .format(at)
      .replace(' ', 'T');
    await page.getByLabel(e.send.at).fill(local);
    await page.getByRole('button', { name: e.send.schedule }).click();
    await page.waitForURL(new RegExp(`/b/${tenantId}/campaigns/cmp_[^/]+$`));
    campaignId = /\/campaigns\/(cmp_[^/?#]+)/.exec(page.url())?.[1] ?? '';
    const scheduled = await api.call<{ state: string; scheduledAt: string; audience: unknown }>(
      'GET',
      `/businesses/${tenantId}/campaigns/${campaignId}`,
      { token: owner.accessToken },
    );
    expect(scheduled.body).toMatchObject({
      state: 'scheduled',
      scheduledAt: at.toISOString(),
      audience: { kind: 'lists', listIds: [listId] },
    });

    // A run before it is due leaves it waiting; the run at its minute starts it.
    await runSchedule(stack, 'campaign-scheduler', new Date(at.getTime() - 30_000).toISOString());
    expect((await progress()).state).toBe('scheduled');
    await runSchedule(stack, 'campaign-scheduler', at.toISOString());
    expect(['sending', 'completed']).toContain((await progress()).state);
  });

  it('shows the progress bar reaching the end on the results page, and only the four who agreed got it', async () => {
    const bar = page.getByRole('progressbar', { name: r.progress.bar });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    expect(await page.getByTestId('campaign-funnel').isVisible()).toBe(true);
    // The next run completes it and recounts exactly; the page follows without a reload.
    await runSchedule(stack, 'campaign-scheduler', new Date().toISOString());
    await expect
      .poll(() => page.getByTestId('campaign-state').textContent(), { timeout: 30_000 })
      .toBe(tr.campaigns.states.completed);
    const done = await progress();
    expect(done.counts).toMatchObject({ audience: 7, skipped: 3, queued: 0, sending: 0, failed: 0 });
    expect(done.counts.sent + done.counts.delivered + done.counts.read + done.counts.replied).toBe(4);
    // What WhatsApp (the fake) was asked to send: one message each to the four, nobody else.
    const meta = (await (await fetch(`${stack.url}/dev/meta/state`)).json()) as {
      messages: { customerId: string; direction: string; text?: string }[];
    };
    const sent = meta.messages
      .filter((message) => message.direction === 'to-customer' && message.text === `[template ${TEMPLATE}]`)
      .map((message) => message.customerId)
      .sort();
    expect(sent).toEqual(['905321234567', '905334445566', '905551007919', '905551015838']);
    await checkAccessibility(page, 'campaign results');
    expect(a11y['campaign results']).toEqual([]);
  });

  it('exports the results: one row per recipient, numbers masked, no formula', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: r.export.button }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe(`${campaignId}-results.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('contact_id');
    expect(lines).toHaveLength(1 + 7);
    const ayse = lines.find((line) => line.includes('Ayşe Demir')) ?? '';
    expect(ayse).toContain('+90 532 *** ** 67');
    expect(ayse).toMatch(/,(sent|delivered|read),/);
    expect(lines.filter((line) => line.includes(',skipped,'))).toHaveLength(3);
    expect(csv).not.toMatch(/5321234567|5551007919/);
  });
});

/** The campaign's progress as the API answers it (what the results page polls). */
async function progress() {
  const answer = await api.call<{ state: string; percentDone: number; counts: CampaignCounts }>(
    'GET',
    `/businesses/${tenantId}/campaigns/${campaignId}/progress`,
    { token: owner.accessToken },
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

/** A translation with its `{{placeholders}}` filled, as i18next shows it. */
function fill(text: string, values: Record<string, string | number>) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key]));
}
