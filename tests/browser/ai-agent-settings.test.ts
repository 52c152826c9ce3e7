import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tr } from '../../packages/web/src/i18n/tr';
import { type ApiClient, newMember, PASSWORD, type SignedInPerson } from '../e2e/accounts-client';
import type { RunningStack } from '../support/local-stack';
import { shutDown, signInOwner, startWithOwner, watchPages } from './session';

/**
 * Settings › AI agent in a real browser against `npm start`, in Turkish: off until configured;
 * the owner turns it on for WhatsApp with a prompt and saves version 1; adds a knowledge entry;
 * switches it off (version 2) and restores version 1, which becomes version 3, on again. An
 * agent (the role) then sees it all read-only. Accessibility is checked at each state.
 */

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startWithOwner>>['browser'];
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let context: BrowserContext;
let page: Page;
const { openPage, checkAccessibility, a11y, stepsInOrderWithoutProblems } = watchPages();
const s = tr.ai.settings;

const PROMPT = 'Lale Çiçekçilik’in asistanısın. Kısa ve nazik yanıt ver.';

async function current() {
  return (
    await api.call<{ current: { version: number; enabled: boolean; channels: string[]; prompt: string } | null }>(
      'GET',
      `/businesses/${owner.tenantId}/ai/agent`,
      { token: owner.accessToken },
    )
  ).body.current;
}

describe('the AI agent settings in the app', () => {
  stepsInOrderWithoutProblems();

  beforeAll(async () => {
    ({ stack, browser, api, owner } = await startWithOwner('Yapayzekatarayici'));
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    page = await openPage(context);
  }, 180_000);

  afterAll(() => shutDown(browser, stack));

  it('opens from the settings tabs, off until configured', async () => {
    await signInOwner(page, stack, { ...owner, password: PASSWORD });
    await page.goto(`${stack.url}/b/${owner.tenantId}/settings/team`);
    await page.getByRole('tab', { name: tr.settings.ai }).click();
    await page.waitForURL(new RegExp(`/b/${owner.tenantId}/settings/ai$`));
    await expect.poll(() => page.getByTestId('ai-state').textContent()).toBe(s.never);
    expect(await page.getByTestId('ai-versions').getByText(s.versionsEmpty).isVisible()).toBe(true);
    expect(await page.getByTestId('ai-knowledge').getByText(s.knowledgeEmpty).isVisible()).toBe(true);
    await checkAccessibility(page, 'settings/ai');
    expect(a11y['settings/ai']).toEqual([]);
  });

  it('saves it on for WhatsApp as version 1', async () => {
    await page.getByLabel(s.enabled).check();
    await page.getByTestId('ai-agent-settings').getByLabel(s.channel.whatsapp, { exact: true }).check();
    await page.getByTestId('ai-prompt').fill(PROMPT);
    await page.getByTestId('ai-note').fill('ilk sürüm');
    await page.getByRole('button', { name: s.save }).click();
    await expect.poll(() => page.getByTestId('ai-state').textContent()).toBe(s.on);
    await expect.poll(() => page.getByTestId('ai-version-1').isVisible()).toBe(true);
    expect(await page.getByTestId('ai-version-1').textContent()).toContain('ilk sürüm');
    expect(await current()).toMatchObject({ version: 1, enabled: true, channels: ['whatsapp'], prompt: PROMPT });
    await checkAccessibility(page, 'settings/ai-on');
    expect(a11y['settings/ai-on']).toEqual([]);
  });

  it('adds a knowledge entry', async () => {
    const form = page.getByTestId('ai-knowledge-add');
    await form.getByLabel(s.entryTitle).fill('İade koşulları');
    await form.getByLabel(s.entryBody).fill('Ürünleri 14 gün içinde faturasıyla iade edebilirsiniz.');
    await form.getByRole('button', { name: s.addEntry }).click();
    const entry = page.getByTestId('ai-knowledge-entry');
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toContain('Ürünleri 14 gün içinde');
    expect(await form.getByLabel(s.entryTitle).inputValue()).toBe('');
    await checkAccessibility(page, 'settings/ai-knowledge');
    expect(a11y['settings/ai-knowledge']).toEqual([]);
  });

  it('switches it off, then restores version 1 as version 3', async () => {
    await page.getByLabel(s.enabled).uncheck();
    await page.getByRole('button', { name: s.save }).click();
    await expect.poll(() => page.getByTestId('ai-state').textContent()).toBe(s.off);
    await expect.poll(() => page.getByTestId('ai-version-2').isVisible()).toBe(true);
    await page.getByRole('button', { name: tr.ai.settings.restoreLabel.replace('{{version}}', '1') }).click();
    await expect.poll(() => page.getByTestId('ai-version-3').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('ai-state').textContent()).toBe(s.on);
    expect(await page.getByTestId('ai-version-3').textContent()).toContain(s.restoredFrom.replace('{{version}}', '1'));
    expect(await current()).toMatchObject({ version: 3, enabled: true, prompt: PROMPT });
    await checkAccessibility(page, 'settings/ai-restored');
    expect(a11y['settings/ai-restored']).toEqual([]);
  });

  it('shows an agent the settings and knowledge read-only', async () => {
    const agent = await newMember(api, owner, 'agent', 'yapayzeka-temsilci');
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
    const agentPage = await openPage(agentContext);
    await signInOwner(agentPage, stack, { email: agent.email, password: PASSWORD, tenantId: owner.tenantId });
    await agentPage.goto(`${stack.url}/b/${owner.tenantId}/settings/ai`);
    await expect.poll(() => agentPage.getByTestId('ai-state').textContent()).toBe(s.on);
    expect(await agentPage.getByText(s.readOnly).isVisible()).toBe(true);
    expect(await agentPage.getByLabel(s.enabled).isDisabled()).toBe(true);
    expect(await agentPage.getByTestId('ai-prompt').inputValue()).toBe(PROMPT);
    expect(await agentPage.getByRole('button', { name: s.save }).count()).toBe(0);
    expect(await agentPage.getByRole('button', { name: s.restore }).count()).toBe(0);
    expect(await agentPage.getByTestId('ai-knowledge-entry').textContent()).toContain('Ürünleri 14 gün içinde');
    expect(await agentPage.getByTestId('ai-knowledge-add').count()).toBe(0);
    await checkAccessibility(agentPage, 'settings/ai-agent-role');
    expect(a11y['settings/ai-agent-role']).toEqual([]);
    await agentContext.close();
  });
});
