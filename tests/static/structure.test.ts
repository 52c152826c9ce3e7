import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/local-stack.js';

/**
 * The direction of the code, checked on every `npm test` from the imports themselves:
 * - `platform/` imports no area: areas build on the platform, never the other way;
 * - areas do not import each other in a loop;
 * - only the composition module (`product/`) gathers every area, and of the handlers only the
 *   API (which serves every area) imports it, so a worker's bundle carries its own area only;
 * - the web app imports the shared contract, never server code.
 */
const CORE = join(ROOT, 'packages', 'core', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file imports (static and dynamic), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((match) => (match[1] ?? match[2]) as string);
}

/** The core folder a module lives in (`platform`, `accounts`, `product`, ...), or undefined outside core. */
function coreArea(from: string, specifier: string): string | undefined {
  let path: string | undefined;
  if (specifier.startsWith('@asistone/core/')) path = join(CORE, specifier.slice('@asistone/core/'.length));
  else if (specifier.startsWith('.')) path = resolve(dirname(from), specifier);
  if (!path) return undefined;
  const inside = relative(CORE, path);
  if (inside.startsWith('..')) return undefined;
  return inside.split(/[\\/]/)[0];
}

const coreFiles = sourceFiles(CORE);
const areaOf = (file: string) => relative(CORE, file).split(/[\\/]/)[0] as string;

/** Area → the other areas it imports. */
function areaGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of coreFiles) {
    const area = areaOf(file);
    const edges = graph.get(area) ?? new Set<string>();
    graph.set(area, edges);
    for (const specifier of importsOf(file)) {
      const target = coreArea(file, specifier);
      if (target && target !== area && target !== 'platform') edges.add(target);
    }
  }
  return graph;
}

/** A cycle in the graph as a path `a → b → a`, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the direction of the code', () => {
  it('finds the core folders it checks', () => {
    expect(new Set(coreFiles.map(areaOf))).toEqual(expect.objectContaining(new Set(['platform', 'product'])));
    expect(coreFiles.length).toBeGreaterThan(40);
  });

  it('platform/ imports no area and not the composition', () => {
    const offending = coreFiles
      .filter((file) => areaOf(file) === 'platform')
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => {
            const target = coreArea(file, specifier);
            return target !== undefined && target !== 'platform';
          })
          .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });

  it('no two areas import each other, directly or around a loop', () => {
    expect(findCycle(areaGraph())).toBeUndefined();
  });

  it('only the composition module imports it, and no area imports the composition', () => {
    const offending = coreFiles
      .filter((file) => areaOf(file) !== 'product')
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => coreArea(file, specifier) === 'product')
          .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
      );
    expect(offending).toEqual([]);
  });

  it('of the function entry points, only the API imports the whole product', () => {
    const functions = sourceFiles(join(ROOT, 'functions')).filter((file) => !file.endsWith('.test.ts'));
    const offending = functions
      .filter((file) => !relative(join(ROOT, 'functions'), file).startsWith('api'))
      .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('@asistone/core/product/')))
      .map((file) => relative(ROOT, file));
    expect(offending).toEqual([]);
  });

  it('the web app imports no server code', () => {
    const offending = sourceFiles(join(ROOT, 'packages', 'web', 'src')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => /^@asistone\/(core|local)\b|functions\//.test(specifier))
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('the structure checks themselves', () => {
  it('see a loop when there is one', () => {
    const graph = new Map([
      ['accounts', new Set(['notify'])],
      ['notify', new Set(['accounts'])],
    ]);
    expect(findCycle(graph)).toEqual(['accounts', 'notify', 'accounts']);
  });

  it('read static, re-exported and dynamic imports', () => {
    const file = join(CORE, 'product', 'areas.ts');
    expect(importsOf(file)).toContain('../accounts/area.js');
    expect(coreArea(file, '../platform/area.js')).toBe('platform');
    expect(coreArea(file, '@asistone/core/notify/queue')).toBe('notify');
    expect(coreArea(file, 'zod')).toBeUndefined();
  });
});
