import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/local-stack.js';

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

function run(command: string, args: string[]) {
  const out = spawnSync(bin(command), args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}

/** The whole repository type-checks (strict) and passes the linter, in every `npm test`. */
describe('static checks', () => {
  it('type-checks with TypeScript strict', () => {
    const { status, output } = run('tsc', ['-p', 'tsconfig.json', '--noEmit']);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('passes Biome lint and format checks', () => {
    const { status, output } = run('biome', ['check', '--diagnostic-level=error', '.']);
    expect(status, output).toBe(0);
  });
});
