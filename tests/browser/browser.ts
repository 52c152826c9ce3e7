import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from '../support/local-stack';

/** Where a system Chrome or Chromium is looked for, first found wins. */
const SYSTEM_BROWSERS: ReadonlyArray<readonly [source: string, path: string | undefined]> = [
  ['CHROME_PATH', process.env.CHROME_PATH],
  ['CHROMIUM_PATH', process.env.CHROMIUM_PATH],
  ['system', '/usr/bin/chromium'],
  ['system', '/usr/bin/chromium-browser'],
  ['system', '/usr/bin/google-chrome'],
  ['system', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
];

/** The browser launchBrowser() drives: its path, extra environment, and a line saying why it was chosen. */
interface Choice {
  executablePath: string;
  env?: Record<string, string>;
  description: string;
}

let choice: Promise<Choice> | undefined;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function versionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
}

/**
 * The Chromium inside the npm package `@sparticuz/chromium` (Linux x64 only): unpacked on first
 * use to the temp folder (`/tmp/chromium`, fonts in `/tmp/fonts`) and reused afterwards.
 */
async function bundledChromium(skipped: string[]): Promise<Choice> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `no Chrome or Chromium found (${skipped.join('; ') || 'looked in CHROME_PATH, CHROMIUM_PATH and the usual places'}), ` +
        `and @sparticuz/chromium only runs on Linux x64: install Chrome or set CHROME_PATH`,
    );
  }
  const { default: Chromium } = await import('@sparticuz/chromium');
  const unpacked = existsSync(join(tmpdir(), 'chromium'));
  const started = performance.now();
  let executablePath = await Chromium.executablePath();
  let version: string;
  try {
    version = versionOf(executablePath);
  } catch {
    // A previous unpack was interrupted and left a partial binary behind: unpack again.
    rmSync(executablePath, { force: true });
    executablePath = await Chromium.executablePath();
    version = versionOf(executablePath);
  }
  const ready = unpacked ? 'already unpacked' : `unpacked in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  // Its fonts (Open Sans) are used alongside the system's, so text renders even where the
  // machine has no fonts at all.
  const fontsConf = join(tmpdir(), 'asistone-chromium-fonts.conf');
  writeFileSync(
    fontsConf,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
      `  <dir>${join(tmpdir(), 'fonts')}</dir>`,
      `  <cachedir>${join(tmpdir(), 'fonts-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  return {
    executablePath,
    env: { FONTCONFIG_FILE: fontsConf },
    description:
      `${version} from @sparticuz/chromium at ${executablePath} (${ready})` +
      (skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : ''),
  };
}

async function chooseBrowser(): Promise<Choice> {
  const skipped: string[] = [];
  for (const [source, path] of SYSTEM_BROWSERS) {
    if (!path) continue;
    if (isExecutable(path)) {
      return { executablePath: path, description: `${source === 'system' ? 'the system browser' : source} ${path}` };
    }
    if (source !== 'system') skipped.push(`${source}=${path} (not an executable file)`);
  }
  return bundledChromium(skipped);
}

/**
 * Headless Chromium for the browser tests: a system Chrome or Chromium when one is present
 * (CHROME_PATH, CHROMIUM_PATH, then the usual paths), otherwise the one shipped in the npm
 * package `@sparticuz/chromium`. Which one is logged once per process.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!choice) {
    choice = chooseBrowser();
    choice.then(
      (chosen) => console.info(`browser tests use ${chosen.description}`),
      () => {},
    );
  }
  const { executablePath, env } = await choice;
  return chromium.launch({
    executablePath,
    ...(env ? { env: { ...process.env, ...env } } : {}),
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

/** The levels the web app is held to: WCAG 2.0 and 2.1, A and AA. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** What fails a page: a person relying on assistive technology cannot get through. */
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Runs axe-core, the accessibility engine made for this, on what is on screen now, against
 * WCAG 2.1 A and AA, and returns its serious and critical violations, one line each naming the
 * rule and the elements. Moderate and minor findings are left to review.
 *
 * @example
 * expect(await axeViolations(page)).toEqual([]);
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol rather than added as a <script>, so the page keeps
  // the same strict Content Security Policy as in production. A navigation drops it: inject again.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  // A dialog or menu still fading in has its colours half-mixed with the page behind: judge
  // contrast on what a person sees once it has settled (endless spinners excepted; at most 2 s).
  await page.evaluate(() => {
    const settling = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
      .map((animation) => animation.finished.catch(() => undefined));
    return Promise.race([Promise.all(settling), new Promise((resolve) => setTimeout(resolve, 2_000))]);
  });
  const violations = await page.evaluate(async (tags) => {
    const engine = (window as unknown as { axe: typeof axe }).axe;
    const results = await engine.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
      // What axe measured on the first element, e.g. the two colours and their contrast.
      why: violation.nodes[0]?.any[0]?.message ?? '',
    }));
  }, AXE_TAGS);
  return violations
    .filter((violation) => violation.impact !== null && BLOCKING_IMPACTS.has(violation.impact))
    .map(
      (violation) =>
        `${violation.impact} ${violation.id} (${violation.help}): ${violation.targets.slice(0, 5).join(', ')}` +
        (violation.targets.length > 5 ? ` and ${violation.targets.length - 5} more` : '') +
        (violation.why ? ` — ${violation.why}` : ''),
    );
}
