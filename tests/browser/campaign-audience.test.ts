import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectWhatsApp, fakeMetaClient } from '../e2e/fake-meta-client';
import { eventually, type RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * The audience check as a merchant meets it, in a real browser against `npm start`: three
 * WhatsApp customers (one consented and registered in İYS, one who wrote STOP, one never asked)
 * on a list of the inbox's customers; the merchant sets the price per marketing message, picks
 * the list, and reads who would receive a campaign, why the others would not in plain words,
 * and the cost. In Turkish.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const LIST_NAME = 'Sadık müşteriler';
const fill = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((out, [key, value]) => out.replace(`{{${key}}}`, String(value)), text);

describe('the audience check page', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Audiencebrowser'));
    const { phoneNumberId } = await connectWhatsApp(api, owner);
    const writes = (id: string, name: string, text: string) =>
      fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
        channel: 'whatsapp',
        businessId: phoneNumberId,
        customer: { id, name },
        text,
      });
    await writes('905320000021', 'Ayşe Onaylı', 'Merhaba');
    await writes('905320000022', 'Burak Vazgeçti', 'Merhaba');
    await writes('905320000023', 'Cem Sorulmadı', 'Merhaba');
    const contacts = await eventually(async () => {
      const list = await api.call<{ conversations: { contact: { id: string; name?: string } }[] }>(
        'GET',
        `/businesses/${owner.tenantId}/conversations`,
        { token: owner.accessToken },
      );
      return list.body.conversations?.length === 3 ? list.body.conversations.map((c) => c.contact) : undefined;
    }, 30_000);
    const idOf = (name: string) => contacts.find((contact) => contact.name === name)?.id as string;
    for (const name of ['Ayşe Onaylı', 'Burak Vazgeçti']) {
      const granted = await api.call('POST', `/businesses/${owner.tenantId}/contacts/${idOf(name)}/consents`, {
        token: owner.accessToken,
        body: { channel: 'whatsapp', purpose: 'marketing', state: 'granted', wording: 'Kampanyalar', iys: true },
      });
      expect(granted.status).toBe(201);
    }
    // Meta's timestamps are whole seconds: the STOP comes a second after the grant.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await writes('905320000022', 'Burak Vazgeçti', 'STOP');
    await eventually(async () => {
      const ledger = await api.call<{ current: { channel: string; state: string }[] }>(
        'GET',
        `/businesses/${owner.tenantId}/contacts/${idOf('Burak Vazgeçti')}/consents`,
        { token: owner.accessToken },
      );
      return ledger.body.current.find((c) => c.channel === 'whatsapp')?.state === 'withdrawn' ? true : undefined;
    });
    const made = await api.call<{ listId: string }>('POST', `/businesses/${owner.tenantId}/campaign-lists/selection`, {
      token: owner.accessToken,
      body: { name: LIST_NAME, filter: { channels: ['whatsapp'] } },
    });
    expect(made.status).toBe(202);
    await eventually(async () => {
      const list = await api.call<{ state: string }>(
        'GET',
        `/businesses/${owner.tenantId}/campaign-lists/${made.body.listId}`,
        { token: owner.accessToken },
      );
      return list.body.state === 'ready' ? true : undefined;
    }, 30_000);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens with the check and the settings, accessible', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/campaigns/audience`);
    await expect.poll(() => page.getByRole('heading', { name: tr.campaignAudience.title }).isVisible()).toBe(true);
    await expect.poll(() => page.getByLabel(tr.campaignAudience.settings.price).isVisible()).toBe(true);
    await checkAccessibility(page, 'campaigns/audience');
    expect(a11y['campaigns/audience']).toEqual([]);
  });

  it('saves the price per marketing message', async () => {
    await page.getByLabel(tr.campaignAudience.settings.price).fill('0.85');
    await page.getByRole('button', { name: tr.campaignAudience.settings.save }).click();
    await expect.poll(() => page.getByText(tr.campaignAudience.settings.saved).isVisible()).toBe(true);
    const stored = await api.call('GET', `/businesses/${owner.tenantId}/campaign-settings`, {
      token: owner.accessToken,
    });
    expect(stored.body).toMatchObject({ settings: { marketingPrice: { amount: '0.85', currency: 'TRY' } } });
  });

  it('picks the list and shows who would receive it, why not the others, and the cost', async () => {
    await page.getByRole('combobox', { name: tr.campaignAudience.check.lists }).click();
    await page
      .getByRole('option', { name: fill(tr.campaignAudience.check.listOption, { name: LIST_NAME, count: 3 }) })
      .click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: tr.campaignAudience.check.run }).click();
    const result = page.getByTestId('audience-result');
    await expect
      .poll(() =>
        result.getByText(fill(tr.campaignAudience.check.summary, { eligible: 1, excluded: 2, total: 3 })).isVisible(),
      )
      .toBe(true);
    for (const reason of ['consent-withdrawn', 'no-consent'] as const) {
      const row = result.locator(`[data-reason="${reason}"]`);
      expect(await row.getByText(tr.campaignAudience.reasons[reason]).isVisible()).toBe(true);
      expect(await row.getByText(tr.campaignAudience.explanations[reason]).isVisible()).toBe(true);
      expect(await row.locator('td').last().textContent()).toBe('1');
    }
    expect(await result.locator('[data-reason="restricted"]').count()).toBe(0);
    const cost = await page.getByTestId('audience-cost').textContent();
    expect(cost).toContain('0,85');
    expect(cost).toContain('₺');
    await checkAccessibility(page, 'campaigns/audience result');
    expect(a11y['campaigns/audience result']).toEqual([]);
  });
});
