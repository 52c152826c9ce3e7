import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, matchesGlob } from 'node:path';
import { SUBPROCESSORS, type SubprocessorId } from '@asistone/contract/privacy';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';
import { ROOT } from '../support/local-stack.js';

/**
 * Policy as tests. `docs/privacy-controls.md` maps each promise of the privacy policy to the
 * code that keeps it and the tests that prove it. This reads that table and fails when a test
 * it names does not exist, would never run (outside every vitest project's `include`, skipped,
 * or with no test in it), when a promise of the policy has no row, or when a row is left
 * *not built yet* instead of naming what keeps it or which area to come will.
 */

const CONTROLS_DOC = 'docs/privacy-controls.md';

/**
 * The promises the policy makes (the privacy policy's list), each found in the table's first column by
 * its words, so a row can be reworded without this list changing.
 */
const PROMISES: ReadonlyArray<{ promise: string; words: RegExp }> = [
  { promise: 'Sensitive data encrypted at rest', words: /stored encrypted|encrypted at rest/i },
  { promise: 'Sensitive fields masked in logs', words: /masked in logs/i },
  { promise: 'Access, correction, restriction, erasure and portability', words: /portab/i },
  { promise: 'Consent withdrawn at any time', words: /consent/i },
  { promise: 'Account deletion: everything deleted within 30 days', words: /deletion within 30 days/i },
  { promise: 'Campaign contact lists deleted on request or account deletion', words: /contact lists/i },
  { promise: 'Billing records kept for the legal period (up to 10 years)', words: /billing records/i },
  { promise: 'System and security logs kept up to 3 years', words: /logs kept up to 3 years/i },
  { promise: 'Removing an integration keeps synced data until deletion', words: /uninstall|integration/i },
  { promise: 'Role-based access control and audit logging', words: /role-based access control/i },
  { promise: 'Policy versions mailed and acknowledged', words: /policy version/i },
  { promise: 'Sub-processors and transfers', words: /sub-processors/i },
  { promise: 'Requests by email recorded with the same deadline', words: /by email/i },
  { promise: 'Meta data deletion callback', words: /data deletion callback/i },
  { promise: 'AI only when enabled', words: /^AI only when enabled/i },
  { promise: 'No customer data uploaded to Meta', words: /no customer data uploaded to meta/i },
];

interface Row {
  promise: string;
  control: string;
  tests: string;
}

/** The rows of the first table in the document (header and separator left out). */
function parseControls(markdown: string): Row[] {
  const lines = markdown.split('\n').filter((line) => line.trim().startsWith('|'));
  return lines.slice(2).map((line) => {
    // Cells are split on pipes outside backticks (none of the cells uses a pipe today).
    const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
    const [promise = '', control = '', ...tests] = cells.map((cell) => cell.trim());
    return { promise, control, tests: tests.join('|').trim() };
  });
}

/** Every `*.test.ts` a cell names in backticks, in order. */
function testNames(cell: string): string[] {
  return [...cell.matchAll(/`([^`\s]+\.test\.ts)`/g)].map(([, name]) => name as string);
}

/** Every test file of the repository, relative to the root (dependencies and outputs left out). */
function repositoryTestFiles(root: string): string[] {
  const found: string[] = [];
  const skip = new Set(['node_modules', '.git', '.asistone', '.sst', 'dist', 'test-results', 'cdk.out']);
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !skip.has(entry.name) && !entry.name.startsWith('.')) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path);
    }
  };
  walk('');
  return found;
}

/** The `include` globs of every vitest project (`vitest.config.ts`). */
function includeGlobs(): string[] {
  const projects = (config.test?.projects ?? []) as Array<{ test?: { include?: string[] } }>;
  return projects.flatMap((project) => project.test?.include ?? []);
}

/**
 * Where a named test is: a path from the root as written; a bare file name next to the path
 * named before it in the same cell (the table's shorthand: "`packages/core/tests/a.test.ts`,
 * `b.test.ts`"), else the one file of that name in the repository. Undefined when there is
 * none, or more than one and the cell does not say which.
 */
function resolveTest(name: string, previous: string | undefined, files: readonly string[]): string | undefined {
  if (name.includes('/')) return files.includes(name) ? name : undefined;
  if (previous) {
    const sibling = `${dirname(previous)}/${name}`;
    if (files.includes(sibling)) return sibling;
  }
  const sameName = files.filter((file) => basename(file) === name);
  return sameName.length === 1 ? sameName[0] : undefined;
}

/** Why a test file would never run, if it would not: no project includes it, or no test in it runs. */
function whyNeverRuns(file: string, text: string, globs: readonly string[]): string | undefined {
  if (!globs.some((glob) => matchesGlob(file, glob))) return 'no vitest project includes it';
  if (!/\b(it|test)\s*\(/.test(text)) return 'it declares no test';
  // Calls only (a statement's start), not the words in a string or a comment.
  if (/^\s*(it|test|describe)\.(skip|todo)\s*\(/m.test(text)) return 'it skips tests';
  if (/^\s*(it|test|describe)\.only\s*\(/m.test(text)) return 'it runs only some tests (.only)';
  return undefined;
}

interface Checked {
  problems: string[];
  /** Each row's tests, resolved. */
  resolved: Map<string, string[]>;
}

/** Every problem of the table, described; empty when the policy is kept by tests that run. */
function checkControls(
  markdown: string,
  files: readonly string[],
  read: (file: string) => string,
  globs: readonly string[],
): Checked {
  const rows = parseControls(markdown);
  const problems: string[] = [];
  const resolved = new Map<string, string[]>();
  for (const row of rows) {
    let previous: string | undefined;
    const found: string[] = [];
    for (const name of testNames(row.tests)) {
      const file = resolveTest(name, previous, files);
      if (!file) {
        problems.push(`"${row.promise}": ${name} does not exist (or its name is ambiguous: write its path)`);
        continue;
      }
      previous = file;
      found.push(file);
      const never = whyNeverRuns(file, read(file), globs);
      if (never) problems.push(`"${row.promise}": ${file} would never run: ${never}`);
    }
    resolved.set(row.promise, found);
    if (/not built yet/i.test(`${row.control} ${row.tests}`)) {
      problems.push(`"${row.promise}": left *not built yet*; name the control, or the area to come that keeps it`);
    }
    const toCome = /\*to come:?\*/i.test(row.control);
    if (found.length === 0 && !toCome) {
      problems.push(`"${row.promise}": names no test file, and no area to come (*to come:* …) that will keep it`);
    }
  }
  for (const { promise, words } of PROMISES) {
    const matching = rows.filter((row) => words.test(row.promise));
    if (matching.length === 0) problems.push(`no row for the promise "${promise}"`);
  }
  return { problems, resolved };
}

const files = repositoryTestFiles(ROOT);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const globs = includeGlobs();
const document = readFileSync(join(ROOT, CONTROLS_DOC), 'utf8');

describe(`${CONTROLS_DOC}: every promise, its control and a test that runs`, () => {
  it('reads vitest’s projects and finds the repository’s tests (so the checks below can fail)', () => {
    expect(globs).toContain('tests/e2e/**/*.test.ts');
    expect(files).toContain('tests/static/privacy-controls.test.ts');
    expect(parseControls(document).length).toBeGreaterThanOrEqual(PROMISES.length);
  });

  it('names only tests that exist and run, and keeps a row for every promise of the policy', () => {
    const { problems } = checkControls(document, files, read, globs);
    expect(problems).toEqual([]);
  });

  it('fails when a listed test is renamed, moved out of every project, or skipped', () => {
    const { resolved, problems: before } = checkControls(document, files, read, globs);
    // What each change adds to the problems (the test above reports any there already are).
    const added = (markdown: string, list: readonly string[], reader: (file: string) => string) =>
      checkControls(markdown, list, reader, globs).problems.filter((problem) => !before.includes(problem));
    const subprocessorsRow = [...resolved.entries()].find(([promise]) => /sub-processors/i.test(promise));
    expect(subprocessorsRow?.[1]).toContain('tests/e2e/privacy-page.test.ts');

    // Renamed: the table still names the old file.
    const renamed = files.map((file) =>
      file === 'tests/e2e/privacy-page.test.ts' ? 'tests/e2e/privacy-page-renamed.test.ts' : file,
    );
    expect(added(document, renamed, read)).toEqual([
      expect.stringContaining('tests/e2e/privacy-page.test.ts does not exist'),
    ]);

    // Outside every project: exists, but vitest would never pick it up.
    const moved = document.replace('`tests/e2e/privacy-page.test.ts`', '`docs/privacy-page.test.ts`');
    const withMoved = [...files, 'docs/privacy-page.test.ts'];
    const readMoved = (file: string) =>
      read(file === 'docs/privacy-page.test.ts' ? 'tests/e2e/privacy-page.test.ts' : file);
    expect(added(moved, withMoved, readMoved)).toEqual([
      expect.stringContaining('docs/privacy-page.test.ts would never run: no vitest project includes it'),
    ]);

    // Skipped: exists and is included, but runs nothing.
    const readSkipped = (file: string) =>
      file === 'tests/e2e/privacy-page.test.ts' ? read(file).replace(/\bit\(/, 'it.skip(') : read(file);
    expect(added(document, files, readSkipped)).toEqual([expect.stringContaining('would never run: it skips tests')]);
  });

  it('fails when a promise loses its row, or a row is left not built yet', () => {
    const before = checkControls(document, files, read, globs).problems;
    const added = (markdown: string) =>
      checkControls(markdown, files, read, globs).problems.filter((problem) => !before.includes(problem));
    const lines = document.split('\n');
    const withoutMeta = lines.filter((line) => !/No customer data uploaded to Meta/i.test(line)).join('\n');
    expect(added(withoutMeta)).toEqual(['no row for the promise "No customer data uploaded to Meta"']);
    const notBuilt = `${document.trimEnd()}\n| Something promised | *not built yet* | |\n`;
    expect(added(notBuilt)).toEqual([
      expect.stringContaining('"Something promised": left *not built yet*'),
      expect.stringContaining('"Something promised": names no test file'),
    ]);
  });
});

/**
 * Controls that are a fact about the code itself, kept by reading it: a sub-processor the
 * declaration says is not in use has no client in the product, and nothing calls a Meta edge
 * that takes customer lists.
 */
describe('sub-processors: the declaration matches the code', () => {
  /** Source of the product (not tests, not the local fakes of providers). */
  const sources = (() => {
    const found: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
        const path = `${folder}/${entry.name}`;
        if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'tests') walk(path);
        else if (entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')) found.push(path);
      }
    };
    for (const root of ['packages/core/src', 'packages/contract/src', 'packages/web/src', 'functions', 'stacks']) {
      if (existsSync(join(ROOT, root))) walk(root);
    }
    return found.map((file) => ({ file, text: read(file) }));
  })();

  /** The hosts each provider's API answers on: code naming one calls it. */
  const API_HOSTS: Record<SubprocessorId, RegExp> = {
    aws: /amazonaws\.com/,
    meta: /graph\.facebook\.com|graph\.instagram\.com/,
    openai: /api\.openai\.com|from ['"]openai['"]/,
    resend: /api\.resend\.com/,
    netgsm: /netgsm\.com\.tr/,
    iyzico: /iyzipay\.com|from ['"]iyzipay['"]/,
  };

  it('has no client for a sub-processor it declares not in use', () => {
    expect(sources.length).toBeGreaterThan(50);
    const inactive = SUBPROCESSORS.filter((processor) => !processor.active);
    // Every declared sub-processor is in use today (iyzico since billing landed); one declared
    // ahead of its feature must have no client until then.
    expect(inactive.map((processor) => processor.id)).toEqual([]);
    const calling = inactive.flatMap((processor) =>
      sources.filter(({ text }) => API_HOSTS[processor.id].test(text)).map(({ file }) => `${processor.id}: ${file}`),
    );
    expect(calling).toEqual([]);
    // …and the check finds the clients of those in use.
    expect(sources.some(({ text }) => API_HOSTS.iyzico.test(text))).toBe(true);
    expect(sources.some(({ text }) => API_HOSTS.resend.test(text))).toBe(true);
    expect(sources.some(({ text }) => API_HOSTS.meta.test(text))).toBe(true);
  });

  it('uploads no customer data to Meta: the Graph client calls messaging and connection edges only', () => {
    const graph = read('packages/core/src/channels/meta/graph.ts');
    const edges = [...graph.matchAll(/[`'"](\/[^`'"\s]*)[`'"]/g)]
      .map(([, path]) => (path as string).split('/').filter((part) => part && !part.startsWith('${')))
      .map((parts) => parts.join('/'))
      .filter((edge) => edge && !/^v\d+\.\d+/.test(edge));
    const MESSAGING_EDGES = [
      'oauth/access_token',
      'debug_token',
      'subscribed_apps',
      'register',
      'phone_numbers',
      'messages',
      'message_templates',
      'me/accounts',
      'access_token',
      'refresh_access_token',
      'me',
    ];
    expect(edges.length).toBeGreaterThan(10);
    expect(edges.filter((edge) => !MESSAGING_EDGES.includes(edge))).toEqual([]);
    // Custom audiences, offline conversions and the Conversions API take customer lists.
    const uploading = sources.filter(({ text }) =>
      /customaudiences|custom_audiences|offline_conversion|usersofanyaudience/i.test(text),
    );
    expect(uploading.map(({ file }) => file)).toEqual([]);
  });
});
