import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs vitest on fixture files in a temporary folder with the summary reporter, and reads the
 * closing line: a suite whose setup failed, a file that does not load, a suite whose teardown
 * failed, a suite with a failing test, and a healthy file with tests skipped on purpose.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const REPORTER = join(ROOT, 'tests', 'support', 'summary-reporter.ts');

const FIXTURES: Record<string, string> = {
  'vitest.config.mjs': `export default {
  test: { globals: true, include: ['*.test.js'], reporters: ['default', ${JSON.stringify(REPORTER)}] },
};\n`,
  'setup-fails.test.js': `describe('a suite whose setup throws', () => {
  beforeAll(() => { throw new Error('setup failed'); });
  it('would pass', () => {});
  it('would pass too', () => {});
});\n`,
  'does-not-load.test.js': `throw new Error('cannot load');\n`,
  'teardown-fails.test.js': `describe('a suite whose teardown throws', () => {
  afterAll(() => { throw new Error('teardown failed'); });
  it('passes', () => {});
});\n`,
  'one-test-fails.test.js': `describe('a suite with a failing test', () => {
  it('fails', () => { throw new Error('wrong'); });
  it.skip('is skipped on purpose', () => {});
});\n`,
  'healthy.test.js': `it('passes', () => {});
it.skip('is skipped on purpose', () => {});
it.todo('is still to write');\n`,
};

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'summary-reporter-'));
  for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(folder, name), text);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs vitest in the fixture folder, with none of this run's VITEST_* variables. */
function runVitest(): Promise<{ code: number; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.config.mjs', '--root', folder],
      { cwd: folder, env: { ...env, NO_COLOR: '1', CI: '1' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

describe('the summary line', () => {
  it('counts the tests of a broken suite, and a file that did not load, as failed', async () => {
    const { code, output } = await runVitest();
    const line = output.match(/^\d+ passed, \d+ failed, \d+ skipped$/m)?.[0];
    // setup-fails: its 2 tests failed; does-not-load: 1 failure; teardown-fails: 1 passed and
    // the suite 1 failure; one-test-fails: 1 failed, 1 skipped; healthy: 1 passed, 2 skipped.
    expect(line, output).toBe('2 passed, 5 failed, 3 skipped');
    expect(code, output).toBe(1);
  });
});
