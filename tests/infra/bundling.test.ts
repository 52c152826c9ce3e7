import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { useRuntimeHandlers } from 'sst/runtime/handlers.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../stacks/bundling.js';
import { removeOutput, synthesize } from './app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

/**
 * Runs the build `sst deploy` runs for every function (SST's own esbuild call with our
 * options, then its `npm install` step, kept offline), and loads each bundle on Node 22:
 * what ships is what was tested.
 */
describe('SST deploy build', () => {
  afterAll(removeOutput);
  it('bundles every function into one minified ESM file that loads on Node 22', async () => {
    const { stacks } = await synthesize();
    // SST runs `npm install` in each artifact folder even with nothing to install; keep it offline.
    process.env.npm_config_offline = 'true';
    process.env.npm_config_audit = 'false';
    process.env.npm_config_fund = 'false';
    const functions = Object.values(stacks).flatMap((stack) => stack.getAllFunctions());
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      const result = await useRuntimeHandlers().build(fn.node.addr, 'deploy');
      expect(result.type, fn.node.id).toBe('success');
      if (result.type !== 'success') continue;
      const file = join(result.out, `${result.handler.slice(0, result.handler.lastIndexOf('.'))}.mjs`);
      const code = readFileSync(file, 'utf8');
      expect(code.startsWith(ESBUILD_OPTIONS.banner.js)).toBe(true);
      // Minified: a handful of very long lines, not one statement per line.
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(code).not.toContain('sourceMappingURL');
      expect(statSync(file).size).toBeGreaterThan(0);
      const exported = execFileSync(
        NODE,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        ],
        { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'eu-central-1' } },
      );
      expect(exported.trim(), fn.node.id).toBe('function');
    }
  }, 300_000);
});
