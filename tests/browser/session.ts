import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { type ApiClient, apiClient, newOwner, type SignedInPerson } from '../e2e/accounts-client';
import { type RunningStack, startStack, webAppReady } from '../support/local-stack';
import { accessibilityProblems, axeViolations, launchBrowser, watchProblems } from './browser';

/**
 * What the browser tests share around their steps: the stack and browser they start, patient
 * polling, skipping the rest after a failed step, the pages' problems and accessibility gaps,
 * and a clean shutdown.
 */

/**
 * Inside a describe whose steps build on each other: polls patiently (pages take a moment to load
 * and re-render: up to 15 s instead of vitest's 1 s), and after a failed step skips the rest,
 * which would only repeat it.
 */
export function stepsInOrder(
  /** A failure the step's own result does not show yet (e.g. page problems another hook asserts). */
  alsoFailed: () => boolean = () => false,
) {
  vi.setConfig({ expect: { poll: { timeout: 15_000, interval: 100 } } });
  let failed = false;
  beforeEach((context) => {
    // Only ever after a failed step, which already fails the run: a green run skips nothing.
    if (failed) context.skip();
  });
  afterEach((context) => {
    if (context.task.result?.state === 'fail' || alsoFailed()) failed = true;
  });
}

/** The real `npm start` with its web app served, and a headless browser to drive it. */
export async function startWithBrowser(): Promise<{ stack: RunningStack; browser: Browser }> {
  const stack = await startStack();
  await webAppReady(stack);
  return { stack, browser: await launchBrowser() };
}

/** The same, with a new owner of a new business signed up through the API (in Turkish). */
export async function startWithOwner(label: string): Promise<{
  stack: RunningStack;
  browser: Browser;
  api: ApiClient;
  owner: SignedInPerson & { tenantId: string };
}> {
  const { stack, browser } = await startWithBrowser();
  const api = apiClient(stack.url);
  return { stack, browser, api, owner: await newOwner(api, label) };
}

/** Signs the owner in through the login page (in Turkish) and waits for their business's home. */
export async function signInOwner(
  page: Page,
  stack: RunningStack,
  owner: { email: string; password: string; tenantId: string },
) {
  await page.goto(`${stack.url}/login`);
  await page.getByLabel(/^E-posta/).fill(owner.email);
  await page.getByLabel(/^Parola/).fill(owner.password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
  await page.waitForURL(new RegExp(`/b/${owner.tenantId}$`));
}

/**
 * What the pages of a test reported: page errors and CSP violations per page opened through
 * `openPage`, accessibility gaps per screen checked (the basic checks and axe-core's).
 */
export function watchPages() {
  const problems: string[][] = [];
  const a11y: Record<string, string[]> = {};
  return {
    problems,
    a11y,
    async openPage(context: BrowserContext): Promise<Page> {
      const page = await context.newPage();
      problems.push(watchProblems(page));
      return page;
    },
    async checkAccessibility(page: Page, screen: string) {
      a11y[screen] = [...(await accessibilityProblems(page)), ...(await axeViolations(page))];
    },
    /** Inside a describe: {@link stepsInOrder}, where a page error or CSP violation also fails the step. */
    stepsInOrderWithoutProblems() {
      stepsInOrder(() => problems.some((list) => list.length > 0));
      afterEach(() => {
        expect(problems.flat()).toEqual([]);
      });
    },
  };
}

/** Closes the browser and stops the stack, showing the stack's last output when it did not stop cleanly. */
export async function shutDown(browser: Browser | undefined, stack: RunningStack | undefined) {
  await browser?.close();
  const code = await stack?.stop();
  if (code !== 0) console.error(stack?.output().slice(-4000));
}
