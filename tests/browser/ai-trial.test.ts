import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Trying the AI agent before switching it on, in a real browser against `npm start` (whose model
 * is the fake OpenAI, grounded by default): the merchant changes the prompt on the settings page,
 * tries the unsaved draft in the simulator, plays a customer, sees the AI reply with what it
 * answered from, then a question outside the data with the handoff's reason, and hands the
 * conversation back to keep trying.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const trial = tr.ai.trial;
const th = tr.ai.thread;
const base = () => `/businesses/${owner.tenantId}`;
const DRAFT_PROMPT = 'Taslak: Lale Butik adına kısa ve kibar cevap ver.';

/** The AI-written messages in the simulator's thread. */
const aiReplies = () =>
  page
    .getByTestId('customer-thread')
    .getByTestId('customer-message')
    .filter({ has: page.getByTestId('simulator-ai-note') });

async function writeAsCustomer(text: string) {
  await page.getByLabel(tr.simulator.message).fill(text);
  await page.getByRole('button', { name: tr.simulator.send }).click();
}

describe('trying the AI agent in the simulator', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Yapayzekadeneme'));
    expect((await api.call('POST', `${base()}/channels/sandbox`, { token: owner.accessToken })).status).toBe(201);
    const entry = await api.call('POST', `${base()}/ai/knowledge`, {
      token: owner.accessToken,
      body: { title: 'İade koşulları', body: 'Ürünü 14 gün içinde faturasıyla iade edebilirsiniz.' },
    });
    expect(entry.status, JSON.stringify(entry.body)).toBeLessThan(300);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('tries the unsaved draft from the settings page, landing in the simulator', async () => {
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/ai`);
    await page.getByTestId('ai-prompt').fill(DRAFT_PROMPT);
    await page.getByRole('button', { name: trial.tryDraft }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/inbox/simulator$`));
    const status = page.getByTestId('simulator-agent-status');
    await expect.poll(() => status.getAttribute('data-trial')).toBe('draft');
    expect(await status.textContent()).toContain('sandbox’ı cevaplıyor');
    // Nothing was saved: the agent has no version, and is off for real customers.
    const agent = await api.call('GET', `${base()}/ai/agent`, { token: owner.accessToken });
    expect(agent.body).toMatchObject({ current: null });
    await checkAccessibility(page, 'simulator with a draft trial');
    expect(a11y['simulator with a draft trial']).toEqual([]);
  });

  it('shows the AI reply to the customer with what it answered from', async () => {
    await writeAsCustomer('İade koşulları nedir?');
    await expect.poll(() => aiReplies().count(), { timeout: 30_000 }).toBe(1);
    const note = aiReplies().first().getByTestId('simulator-ai-note');
    expect(await note.textContent()).toContain(trial.answeredByDraft);
    expect(await note.getByTestId('ai-citations').textContent()).toContain(`${th.kind.knowledge}: İade koşulları`);
  });

  it('shows why a question outside the data went to a person, and hands the conversation back', async () => {
    await writeAsCustomer('Otoparkınız var mı?');
    await expect.poll(() => aiReplies().count(), { timeout: 30_000 }).toBe(2);
    const handoff = aiReplies().nth(1).getByTestId('simulator-ai-handoff');
    expect(await handoff.textContent()).toContain(th.reason['not-in-data']);
    const bar = page.getByTestId('ai-handed-off');
    await expect.poll(() => bar.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await bar.textContent()).toContain(th.reason['not-in-data']);
    await checkAccessibility(page, 'simulator after a handoff');
    expect(a11y['simulator after a handoff']).toEqual([]);
    await bar.getByRole('button', { name: th.resume }).click();
    await expect.poll(() => bar.count()).toBe(0);
    // Handed back: the draft answers again.
    await writeAsCustomer('İade koşulları nedir, tekrar soruyorum?');
    await expect.poll(() => aiReplies().count(), { timeout: 30_000 }).toBe(3);
  });

  it('stops trying, and the panel says the agent does not answer the sandbox', async () => {
    await page.getByRole('button', { name: trial.stop }).click();
    const status = page.getByTestId('simulator-agent-status');
    await expect.poll(() => status.getAttribute('data-trial')).toBe('none');
    expect(await status.textContent()).toBe(trial.off);
    const answer = await api.call('GET', `${base()}/ai/trial`, { token: owner.accessToken });
    expect(answer.body).toEqual({ trial: null });
  });
});
