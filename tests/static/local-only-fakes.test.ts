import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/local-stack.js';

/** Every TypeScript file under `dir`, skipping dependencies and build output. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * The fake Meta answers with whatever the local stack seeded: deployed code must never reach it.
 * Only the local runtime (packages/local) and tests may import it (the API may name the dialog
 * paths the local gateway forwards, behind its local-stack check).
 */
describe('fakes stay on the local stack', () => {
  it('no file under stacks/, functions/ or packages/core/src names a fake', () => {
    const offenders = ['stacks', 'functions', join('packages', 'core', 'src')]
      .flatMap((dir) => sources(join(ROOT, dir)))
      .filter((file) => !file.endsWith('.test.ts'))
      .filter((file) => /fakes\/|startFakeMeta|FAKE_META_/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(offenders).toEqual([]);
  });
});
