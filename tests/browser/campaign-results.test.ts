import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_RECORDS } from '../../packages/core/src/campaigns/campaign-records';
import { contactIdOf } from '../../packages/core/src/inbox/inbound';
import { readConfig } from '../../packages/core/src/platform/config';
import { createPlatform } from '../../packages/core/src/platform/context';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectWhatsApp, fakeMetaClient } from '../e2e/fake-meta-client';
import { localAws } from '../support/local-aws';
import { eventually, type RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * A campaign's results page in a real browser against `npm start`, in Turkish: the progress bar
 * and the funnel follow a WhatsApp status webhook while the campaign sends (the page polls), the
 * failure reason shows in WhatsApp's words, the recipients filter by state, the merchant pauses
 * the campaign, and the export downloads a CSV. The campaign is written to the records as the
 * send step writes it.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
let waba: { wabaId: string; phoneNumberId: string };
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const t = tr.campaignResults;
const CAMPAIGN = 'cmp_sonbaharindirimi000001';
const CUSTOMERS = [
  { id: '905320000031', name: 'Ayşe Yılmaz' },
  { id: '905320000032', name: 'Burak Demir' },
  { id: '905320000033', name: 'Cem Kaya' },
];
const contacts: string[] = [];

function statuses(list: Record<string, unknown>[]) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: waba.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550001122', phone_number_id: waba.phoneNumberId },
              statuses: list,
            },
          },
        ],
      },
    ],
  };
}

describe('the campaign results page', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Resultsbrowser'));
    waba = await connectWhatsApp(api, owner);
    const core = createPlatform(readConfig(localAws(stack.dataDir).env));
    const keys = await core.keyring.forTenant(owner.tenantId);
    for (const customer of CUSTOMERS) {
      await fakeMetaClient(stack.url).dev('POST', '/customer/messages', {
        channel: 'whatsapp',
        businessId: waba.phoneNumberId,
        customer,
        text: 'Merhaba',
      });
      contacts.push(contactIdOf(keys, 'whatsapp', customer.id));
    }
    await eventually(async () => {
      const list = await api.call<{ conversations: unknown[] }>('GET', `/businesses/${owner.tenantId}/conversations`, {
        token: owner.accessToken,
      });
      return list.body.conversations?.length === CUSTOMERS.length ? true : undefined;
    }, 30_000);
    const store = core.storeOf(CAMPAIGN_RECORDS);
    const tenantId = owner.tenantId;
    await store.entities.campaign
      .put({
        tenantId,
        campaignId: CAMPAIGN,
        name: 'Sonbahar indirimi',
        state: 'sending',
        channelId: 'whatsapp',
        audience: { kind: 'lists', listIds: ['cl_sonbahar'] },
        holdoutPercent: 0,
        attributionDays: 7,
        startedAt: Date.now() - 60_000,
        fanout: 'done',
        audienceCount: 3,
        createdBy: 'u_owner',
      })
      .go();
    for (const [index, contactId] of contacts.entries()) {
      const state = index === 2 ? 'queued' : 'sent';
      await store.entities.campaignRecipient
        .put({ tenantId, campaignId: CAMPAIGN, contactId, state, batch: 0, sentAt: Date.now() - 30_000 })
        .go();
      // The counts the send step keeps beside the recipients.
      await store.entities.campaignCounter
        .update({ tenantId, campaignId: CAMPAIGN, shard: index })
        .add({ [state]: 1 })
        .go();
    }
    context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'tr-TR',
      acceptDownloads: true,
    });
    page = await openPage(context);
  }, 240_000);

  afterAll(() => shutDown(browser, stack));

  it('shows the progress while it sends, accessible', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/campaigns/${CAMPAIGN}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Sonbahar indirimi' }).isVisible()).toBe(true);
    const bar = page.getByRole('progressbar', { name: t.progress.bar });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('66.7');
    expect(await page.getByTestId('campaign-state').textContent()).toBe(tr.campaigns.states.sending);
    expect(await page.getByTestId('funnel-sent').textContent()).toBe('2');
    await checkAccessibility(page, 'campaign results');
    expect(a11y['campaign results']).toEqual([]);
  });

  it('follows WhatsApp statuses: delivered, read, and a failure with its reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const status = (index: number, state: string, extra: Record<string, unknown> = {}) => ({
      id: `wamid.${index}`,
      status: state,
      timestamp: String(now),
      recipient_id: CUSTOMERS[index]?.id,
      biz_opaque_callback_data: `cmp1:${CAMPAIGN}:${contacts[index]}`,
      ...extra,
    });
    expect(
      await fakeMetaClient(stack.url).deliver(
        statuses([
          status(0, 'read'),
          status(1, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
        ]),
      ),
    ).toBe(200);
    await expect.poll(() => page.getByTestId('funnel-read').textContent(), { timeout: 30_000 }).toBe('1');
    expect(await page.getByTestId('funnel-delivered').textContent()).toBe('0');
    expect(await page.getByTestId('funnel-failed').textContent()).toBe('1');
    const failures = page.getByTestId('campaign-failures');
    await expect.poll(() => failures.getByText('Message undeliverable').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await failures.getByText('131026').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('campaign-funnel-chart').isVisible()).toBe(true);
  });

  it('filters the recipients by state, numbers masked', async () => {
    const recipients = page.getByTestId('campaign-recipients');
    await page.getByTestId('campaign-recipients-filter').click();
    await page.getByRole('option', { name: t.states.failed, exact: true }).click();
    await expect.poll(() => recipients.getByText('Burak Demir').isVisible()).toBe(true);
    expect(await recipients.getByText('+90 532 *** ** 32').isVisible()).toBe(true);
    expect(await recipients.getByText('Ayşe Yılmaz').count()).toBe(0);
  });

  it('exports the results as CSV', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: t.export.button }).click();
    const download = await downloaded;
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]?.startsWith('contact_id,name,phone,state')).toBe(true);
    expect(lines).toHaveLength(4);
    expect(csv).toContain('Burak Demir');
    expect(csv).not.toContain('905320000032');
  });

  it('pauses the campaign', async () => {
    await page.getByRole('button', { name: t.actions.pause }).click();
    await expect
      .poll(() => page.getByTestId('campaign-state').textContent(), { timeout: 15_000 })
      .toBe(tr.campaigns.states.paused);
    expect(await page.getByRole('button', { name: t.actions.resume }).isVisible()).toBe(true);
  });
});
