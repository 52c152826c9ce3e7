import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../packages/web/src/i18n/en';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import { eventually, type RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * The AI agent in the inbox thread, in a real browser against `npm start` (whose model is the
 * fake OpenAI, grounded by default): a reply the agent wrote carries the AI badge and the records
 * it answered from; a conversation it handed to people says why, and a person hands it back.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const th = tr.ai.thread;
const base = () => `/businesses/${owner.tenantId}`;

async function customerWrites(customerName: string, text: string) {
  const wrote = await api.call<{ conversationId: string }>('POST', `${base()}/channels/sandbox/customer-messages`, {
    token: owner.accessToken,
    body: { customerName, text },
  });
  expect(wrote.status, JSON.stringify(wrote.body)).toBe(201);
  return wrote.body.conversationId;
}

async function aiMessage(conversationId: string) {
  return eventually(async () => {
    const { body } = await api.call<{ messages: { authorId?: string }[] }>(
      'GET',
      `${base()}/conversations/${conversationId}/messages`,
      { token: owner.accessToken },
    );
    return body.messages.find((m) => m.authorId === 'ai');
  }, 30_000);
}

describe('the AI agent in the inbox thread', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Yapayzekathread'));
    expect((await api.call('POST', `${base()}/channels/sandbox`, { token: owner.accessToken })).status).toBe(201);
    await api.call('POST', `${base()}/ai/knowledge`, {
      token: owner.accessToken,
      body: { title: 'Kargo süresi', body: 'Siparişler 2 iş gününde kargoya verilir.' },
    });
    const saved = await api.call('PUT', `${base()}/ai/agent`, {
      token: owner.accessToken,
      body: { enabled: true, channels: ['sandbox'], prompt: 'Kısa cevap ver.', guardrails: {}, model: 'gpt-4.1-mini' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('marks the reply the agent wrote and shows what it answered from', async () => {
    const conversationId = await customerWrites('Berk Deneme', 'Kargo süresi ne kadar?');
    await aiMessage(conversationId);
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox/${conversationId}`);
    const reply = page
      .getByTestId('thread')
      .getByTestId('message')
      .filter({ has: page.getByTestId('ai-badge') });
    await expect.poll(() => reply.count()).toBe(1);
    expect(await reply.getByTestId('ai-badge').textContent()).toBe(th.badge);
    expect(await reply.getByTestId('ai-citations').textContent()).toContain(`${th.kind.knowledge}: Kargo süresi`);
    expect(await page.getByTestId('ai-handed-off').count()).toBe(0);
    await checkAccessibility(page, 'thread with an AI reply');
    expect(a11y['thread with an AI reply']).toEqual([]);
  });

  it('says why a conversation went to people, and hands it back', async () => {
    const conversationId = await customerWrites('Cem Deneme', 'Mağazanızda otopark var mı?');
    await aiMessage(conversationId);
    await page.goto(`${stack.url}/b/${owner.tenantId}/inbox/${conversationId}`);
    const bar = page.getByTestId('ai-handed-off');
    await expect.poll(() => bar.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await bar.textContent()).toContain(th.reason['not-in-data']);
    await checkAccessibility(page, 'thread handed to people');
    expect(a11y['thread handed to people']).toEqual([]);
    await bar.getByRole('button', { name: th.resume }).click();
    await expect.poll(() => bar.count()).toBe(0);
    const state = await api.call('GET', `${base()}/conversations/${conversationId}/ai`, { token: owner.accessToken });
    expect(state.body).toMatchObject({ responder: 'agent' });
    // The English texts exist for every Turkish one (the same keys).
    expect(Object.keys(en.ai.thread.reason).sort()).toEqual(Object.keys(th.reason).sort());
  });
});
