import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, newMember, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { connectWhatsApp, fakeMetaClient } from '../e2e/fake-meta-client';
import { eventually, type RunningStack } from '../support/local-stack';
import { screenshot } from './browser';
import { shutDown, startWithOwner, stepsInOrder, watchPages } from './session';

/**
 * A customer's data rights from the contact's page, in a real browser against the real
 * `npm start` with the fake Meta: a WhatsApp customer writes (and sends DUR, so the consent
 * ledger has an entry); the owner opens them from the inbox thread, corrects their name,
 * restricts processing, downloads their data (the archive is unzipped here and its
 * `contact.json` holds the corrected name and the customer's message), then erases them by
 * typing ERASE and reads the receipt with its counts. The privacy page then lists the export and
 * the erasure with their deadlines and receipts, and the inbox no longer shows the conversation.
 * axe-core checks every screen; screenshots go to test-results/screenshots/contact-*.png.
 */

let stack: RunningStack;
let api: ApiClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let owner: SignedInPerson & { tenantId: string };
let phoneNumberId = '';
let contactId = '';
let conversationId = '';
const run = Date.now().toString(36);
const customer = { id: `90533${String(randomInt(1_000_000, 9_999_999))}`, name: `Ayla Yıldız ${run}` };
const correctedName = `Ayla Yıldırım ${run}`;
const question = `İade kargom ulaştı mı? (${run})`;
const { problems, a11y, openPage, checkAccessibility } = watchPages();
const meta = () => fakeMetaClient(stack.url);
const contactPath = () => `/businesses/${owner.tenantId}/contacts/${encodeURIComponent(contactId)}`;

interface Listed {
  id: string;
  contact: { id: string; name?: string };
}

async function listedConversations(): Promise<Listed[]> {
  const answer = await api.call<{ conversations: Listed[] }>('GET', `/businesses/${owner.tenantId}/conversations`, {
    token: owner.accessToken,
  });
  expect(answer.status).toBe(200);
  return answer.body.conversations;
}

/** The customer writes on WhatsApp: the fake Meta posts the signed webhook as Meta would. */
async function customerWrites(text: string) {
  await meta().dev('POST', '/customer/messages', { channel: 'whatsapp', businessId: phoneNumberId, customer, text });
}

/**
 * What makes the page scroll sideways: the elements that reach past the window while their
 * parent does not (tag, test id, start of the text); none when the page fits.
 */
function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return [];
    const past = (element: Element | null) =>
      Boolean(element && element.getBoundingClientRect().right > window.innerWidth + 1);
    return [...document.body.querySelectorAll('*')]
      .filter((element) => past(element) && !past(element.parentElement))
      .slice(0, 10)
      .map(
        (element) =>
          `${element.tagName}.${element.className} ${element.getAttribute('data-testid') ?? ''} ${Math.round(element.getBoundingClientRect().width)}px ${(element.textContent ?? '').slice(0, 60)}`,
      );
  });
}

/** A date as the page writes it in Turkish (components/format.ts). */
const shownDate = (iso: string) =>
  new Intl.DateTimeFormat('tr-TR', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

describe("a customer's data rights from the contact's page", () => {
  stepsInOrder();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Ece'));
    ({ phoneNumberId } = await connectWhatsApp(api, owner));
    await customerWrites(question);
    const listed = await eventually(async () =>
      (await listedConversations()).find((conversation) => conversation.contact.name === customer.name),
    );
    contactId = listed.contact.id;
    conversationId = listed.id;
    // Marketing consent withdrawn by the customer's own keyword: the ledger has an entry.
    await customerWrites('DUR');
    await eventually(async () => {
      const ledger = await api.call<{ history: unknown[] }>('GET', `${contactPath()}/consents`, {
        token: owner.accessToken,
      });
      return ledger.body.history?.length ? true : undefined;
    });
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'tr-TR',
      acceptDownloads: true,
    });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens the customer from the inbox thread: profile, consent ledger and conversations', async () => {
    await page.goto(`${stack.url}/login`);
    await page.getByLabel(/^E-posta/).fill(owner.email);
    await page.getByLabel(/^Parola/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Giriş yap' }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox`);
    await page.getByTestId('conversation-row').filter({ hasText: customer.name }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2, name: customer.name }).isVisible()).toBe(true);
    await page.getByRole('link', { name: tr.contacts.openContact }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/contacts/${encodeURIComponent(contactId)}$`));

    await expect.poll(() => page.getByRole('heading', { level: 1, name: customer.name }).isVisible()).toBe(true);
    const profile = page.getByTestId('contact-profile');
    await expect.poll(() => profile.textContent()).toContain(customer.id);
    const current = page.getByTestId('consent-current');
    await expect.poll(() => current.count()).toBe(1);
    expect(await current.getAttribute('data-state')).toBe('withdrawn');
    expect(await current.textContent()).toContain(`WhatsApp · ${tr.contacts.consents.purposes.marketing}`);
    expect(await page.getByTestId('consent-entry').first().textContent()).toContain('“DUR”');
    expect(await page.getByTestId('consent-entry').first().textContent()).toContain(tr.contacts.consents.customer);
    // The conversation links back to its thread.
    const thread = page.getByTestId('contact-conversation').getByRole('link');
    expect(await thread.getAttribute('href')).toBe(`/b/${owner.tenantId}/inbox/${encodeURIComponent(conversationId)}`);
    await checkAccessibility(page, 'contact page');
    await screenshot(page, 'contact-page-tr');
  });

  it('corrects the name (checked like the API checks it) and restricts processing', async () => {
    await page.getByRole('button', { name: tr.contacts.profile.edit }).click();
    const email = page.getByLabel(tr.contacts.profile.email, { exact: true });
    await email.fill('not-an-email');
    await page.getByRole('button', { name: tr.contacts.profile.save }).click();
    await expect.poll(() => page.getByText(tr.validation.email).isVisible()).toBe(true);
    await email.fill('');
    await page.getByLabel(tr.contacts.profile.name, { exact: true }).fill(correctedName);
    await checkAccessibility(page, 'contact correction form');
    const saved = page.waitForResponse(
      (response) => response.url().endsWith(contactPath()) && response.request().method() === 'PATCH',
    );
    await page.getByRole('button', { name: tr.contacts.profile.save }).click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: correctedName }).isVisible()).toBe(true);
    const stored = await api.call<{ name: string | null; email: string | null }>('GET', contactPath(), {
      token: owner.accessToken,
    });
    expect(stored.body).toMatchObject({ name: correctedName, email: null });

    await page.getByRole('switch', { name: tr.contacts.restriction.label }).click();
    await expect.poll(() => page.getByText(tr.contacts.restriction.on).isVisible()).toBe(true);
    await expect
      .poll(
        async () => (await api.call<{ restricted: boolean }>('GET', contactPath(), { token: owner.accessToken })).body,
      )
      .toMatchObject({ restricted: true });
    expect(await page.getByRole('switch', { name: tr.contacts.restriction.label }).isChecked()).toBe(true);
    await checkAccessibility(page, 'contact restricted');
    await screenshot(page, 'contact-corrected-restricted-tr');

    // On a phone: one column, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.getByRole('heading', { level: 1, name: correctedName }).isVisible()).toBe(true);
    // The layout settles after the resize (the navigation folds away with a transition).
    await expect.poll(() => sidewaysOverflow(page)).toEqual([]);
    await checkAccessibility(page, 'contact phone');
    await screenshot(page, 'contact-phone-tr');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('downloads the archive: contact.json holds the corrected name and the message; the link’s expiry is shown', async () => {
    const answered = page.waitForResponse(
      (response) => response.url().endsWith(`${contactPath()}/export`) && response.request().method() === 'POST',
    );
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: tr.contacts.export.button }).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    const archive = (await response.json()) as { url: string; expiresAt: string; fileName: string; requestId: string };
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe(archive.fileName);
    const path = await download.path();
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    const names = Object.keys(files);
    expect(names).toContain('contact.json');
    expect(names.some((name) => name.endsWith('.csv'))).toBe(true);
    const contactJson = strFromU8(files['contact.json'] as Uint8Array);
    const parsed = JSON.parse(contactJson) as unknown;
    expect(JSON.stringify(parsed)).toContain(correctedName);
    expect(JSON.stringify(parsed)).toContain(question);

    const ready = page.getByTestId('contact-export-ready');
    await expect.poll(() => ready.textContent()).toContain(shownDate(archive.expiresAt));
    expect(await ready.textContent()).toContain(archive.fileName);
    expect(new Date(archive.expiresAt).getTime()).toBeGreaterThan(Date.now());
    await checkAccessibility(page, 'contact exported');
    await screenshot(page, 'contact-exported-tr');
  });

  it('shows an agent the customer read only: no correction, export or erasure, and no request list', async () => {
    const agent = await newMember(api, owner, 'agent', 'Temsilci');
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR' });
    const agentPage = await openPage(agentContext);
    await agentPage.goto(`${stack.url}/login`);
    await agentPage.getByLabel(/^E-posta/).fill(agent.email);
    await agentPage.getByLabel(/^Parola/).fill(PASSWORD);
    await agentPage.getByRole('button', { name: 'Giriş yap' }).click();
    await agentPage.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
    await agentPage.goto(`${stack.url}/b/${owner.tenantId}/contacts/${encodeURIComponent(contactId)}`);
    await expect.poll(() => agentPage.getByRole('heading', { level: 1, name: correctedName }).isVisible()).toBe(true);
    expect(await agentPage.getByText(tr.contacts.managersOnly).isVisible()).toBe(true);
    expect(await agentPage.getByRole('switch', { name: tr.contacts.restriction.label }).isDisabled()).toBe(true);
    for (const name of [tr.contacts.profile.edit, tr.contacts.export.button, tr.contacts.erase.button]) {
      expect(await agentPage.getByRole('button', { name }).count()).toBe(0);
    }
    // The API refuses what the page does not offer.
    const refused = await api.call('POST', `${contactPath()}/erase`, {
      token: agent.accessToken,
      body: { confirm: 'ERASE' },
    });
    expect(refused.status).toBe(403);
    await checkAccessibility(agentPage, 'contact as agent');
    await screenshot(agentPage, 'contact-agent-tr');

    await agentPage.goto(`${stack.url}/b/${owner.tenantId}/privacy`);
    await expect.poll(() => agentPage.getByText(tr.privacyRequests.managersOnly).isVisible()).toBe(true);
    expect(await agentPage.getByTestId('privacy-requests-table').count()).toBe(0);
    await agentContext.close();
  });

  it('erases the customer once ERASE is typed, and shows the receipt with counts and no profile', async () => {
    await page.getByRole('button', { name: tr.contacts.erase.button }).click();
    const dialog = page.getByRole('dialog', { name: tr.contacts.erase.modalTitle });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const confirm = dialog.getByRole('button', { name: tr.contacts.erase.confirm });
    const word = dialog.getByLabel(tr.contacts.erase.typeLabel.replace('{{word}}', 'ERASE'));
    expect(await confirm.isDisabled()).toBe(true);
    await word.fill('ERAS');
    expect(await confirm.isDisabled()).toBe(true);
    await word.fill('ERASE');
    await checkAccessibility(page, 'contact erase dialog');
    await screenshot(page, 'contact-erase-dialog-tr');
    const answered = page.waitForResponse(
      (response) => response.url().endsWith(`${contactPath()}/erase`) && response.request().method() === 'POST',
    );
    await confirm.click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const receipt = (await response.json()) as {
      receiptId: string;
      erasedAt: string;
      removed: { dataClass: string; count: number }[];
    };
    expect(receipt.removed.reduce((sum, item) => sum + item.count, 0)).toBeGreaterThan(0);

    const shown = page.getByTestId('erasure-receipt');
    await expect.poll(() => shown.isVisible()).toBe(true);
    const text = (await shown.textContent()) ?? '';
    expect(text).toContain(receipt.receiptId);
    expect(text).toContain(shownDate(receipt.erasedAt));
    expect(text).toContain(tr.contacts.by.you);
    for (const item of receipt.removed) {
      const row = shown.locator(`tr[data-data-class="${item.dataClass}"]`);
      expect(await row.locator('td').textContent()).toBe(String(item.count));
    }
    // The messages are among what was removed.
    expect(receipt.removed.find((item) => item.dataClass === 'inbox.messages')?.count).toBeGreaterThanOrEqual(1);
    // No profile left on the page, and none behind it.
    expect(await page.getByTestId('contact-profile').count()).toBe(0);
    expect(await page.getByText(correctedName).count()).toBe(0);
    expect(await page.getByText(customer.id).count()).toBe(0);
    expect((await api.call('GET', contactPath(), { token: owner.accessToken })).status).toBe(404);
    await checkAccessibility(page, 'contact erasure receipt');
    await screenshot(page, 'contact-erased-receipt-tr');
  });

  it('lists the export and the erasure on the privacy page, with deadlines and receipts', async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/privacy`);
    const table = page.getByTestId('privacy-requests-table');
    const exportRow = table.locator('tr[data-kind="contact-export"]');
    const erasureRow = table.locator('tr[data-kind="contact-erasure"]');
    await expect.poll(() => erasureRow.count()).toBe(1);
    expect(await exportRow.count()).toBe(1);

    const listed = await api.call<{
      requests: { requestId: string; kind: string; status: string; requestedAt: string; dueAt: string }[];
    }>('GET', `/businesses/${owner.tenantId}/privacy/requests`, { token: owner.accessToken });
    expect(listed.status).toBe(200);
    for (const [kind, row] of [
      ['contact-export', exportRow],
      ['contact-erasure', erasureRow],
    ] as const) {
      const request = listed.body.requests.find((found) => found.kind === kind);
      expect(request?.status).toBe('done');
      if (!request) continue;
      // Thirty days from when it was received.
      expect(new Date(request.dueAt).getTime() - new Date(request.requestedAt).getTime()).toBe(30 * 86_400_000);
      expect(await row.getAttribute('data-status')).toBe('done');
      const rowText = (await row.textContent()) ?? '';
      expect(rowText).toContain(tr.privacyRequests.kinds[kind]);
      expect(rowText).toContain(tr.privacyRequests.sources.app);
      expect(rowText).toContain(shownDate(request.requestedAt));
      expect(rowText).toContain(shownDate(request.dueAt));
      expect(rowText).toContain(tr.privacyRequests.statuses.done);
      // Done in time: no warning.
      expect(await row.getByTestId('request-deadline').getAttribute('data-urgency')).toBe('none');
    }
    // The erasure's receipt: what was removed, by data class and count.
    const receiptItems = erasureRow.getByTestId('request-receipt');
    await expect.poll(() => receiptItems.textContent()).toContain(`${tr.contacts.dataClasses['inbox.messages']}: `);
    // No personal data on the page.
    expect(await page.getByText(correctedName).count()).toBe(0);
    await checkAccessibility(page, 'privacy requests');
    await screenshot(page, 'contact-privacy-requests-tr');

    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.getByTestId('privacy-requests-cards');
    await expect.poll(() => cards.isVisible()).toBe(true);
    await screenshot(page, 'contact-privacy-requests-phone-tr');
    // The layout settles after the resize (the navigation folds away with a transition).
    await expect.poll(() => sidewaysOverflow(page)).toEqual([]);
    await checkAccessibility(page, 'privacy requests phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('no longer shows the conversation in the inbox', async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: tr.areas.inbox.title }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(tr.inbox.empty).isVisible()).toBe(true);
    expect(await page.getByTestId('conversation-row').count()).toBe(0);
    expect((await listedConversations()).map((conversation) => conversation.id)).not.toContain(conversationId);
    // The erased conversation's own address finds nothing either.
    const gone = await api.call(
      'GET',
      `/businesses/${owner.tenantId}/conversations/${encodeURIComponent(conversationId)}`,
      {
        token: owner.accessToken,
      },
    );
    expect(gone.status).toBe(404);
    await screenshot(page, 'contact-inbox-after-erasure-tr');
  });

  it('left no page errors and no accessibility findings', () => {
    expect(problems.flat()).toEqual([]);
    expect(Object.keys(a11y).length).toBeGreaterThanOrEqual(8);
    expect(Object.entries(a11y).filter(([, found]) => found.length > 0)).toEqual([]);
  });
});
