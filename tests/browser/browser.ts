import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from '../support/local-stack';

/** Debian's chromium, headless; on a fresh machine: `apt-get install -y --no-install-recommends chromium`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** Saves a full-page PNG under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let transitions (navbar, notifications) settle so the picture shows the resting state.
  await page.waitForTimeout(300);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects what the page reports as broken: uncaught errors and CSP violations. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
  });
  return problems;
}

/**
 * Basic accessibility checks on what is on screen now: landmarks, a name for every form
 * control and every button, and the page language. Returns what is missing, described.
 */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (element: Element) => {
      const box = (element as HTMLElement).getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
    };
    const nameOf = (element: Element): string => {
      const labelledBy = element.getAttribute('aria-labelledby');
      const byIds = labelledBy
        ? labelledBy
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
        : '';
      const labels = (element as HTMLInputElement).labels
        ? Array.from((element as HTMLInputElement).labels ?? []).map((label) => label.textContent ?? '')
        : [];
      return [element.getAttribute('aria-label') ?? '', byIds, ...labels, element.getAttribute('title') ?? '']
        .join(' ')
        .trim();
    };
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    if (!document.querySelector('main')) problems.push('no <main> landmark');
    if (!document.querySelector('header')) problems.push('no <header> landmark');
    for (const control of document.querySelectorAll('input, select, textarea')) {
      if ((control as HTMLInputElement).type === 'hidden' || !visible(control)) continue;
      if (!nameOf(control)) problems.push(`unnamed control: ${control.outerHTML.slice(0, 120)}`);
    }
    for (const button of document.querySelectorAll('button, [role="button"], a[href]')) {
      if (!visible(button)) continue;
      if (!nameOf(button) && !(button.textContent ?? '').trim()) {
        problems.push(`unnamed ${button.tagName.toLowerCase()}: ${button.outerHTML.slice(0, 120)}`);
      }
    }
    return problems;
  });
}
