import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COST_FIGURE_NAMES } from '../../bench/cost-figures.js';

/**
 * docs/cost.md prices what `npm run bench -- cost-inputs` measures, citing each figure by the
 * line name the benchmark prints: a figure renamed or dropped from the benchmark must not stay
 * cited, and the doc must price all three sizes. Reads files only (no emulator, no benchmark run).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = readFileSync(join(ROOT, 'docs/cost.md'), 'utf8');

/** Every `code span` naming a figure: the benchmark's figure names start with their path. */
const FIGURE = /^(inbound|reply|campaign|poll|cold start|warm container): /;
const cited = [...DOC.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] as string).filter((span) => FIGURE.test(span));

describe('docs/cost.md', () => {
  it('cites only figures the cost-inputs benchmark prints, and every one of them', () => {
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((name) => !COST_FIGURE_NAMES.includes(name))).toEqual([]);
    expect(COST_FIGURE_NAMES.filter((name) => !cited.includes(name))).toEqual([]);
  });

  it('cites only figures the latest benchmark run wrote, when it ran', () => {
    const results = join(ROOT, 'bench/results/latest.json');
    const written = existsSync(results)
      ? (JSON.parse(readFileSync(results, 'utf8')) as { figures?: { benchmark: string; name: string }[] }).figures
          ?.filter((figure) => figure.benchmark === 'cost-inputs')
          .map((figure) => figure.name)
      : undefined;
    if (!written || written.length === 0) return;
    expect(cited.filter((name) => !written.includes(name))).toEqual([]);
  });

  it('names the date the figures were measured and prices the three sizes', () => {
    expect(DOC).toMatch(/\*\*\d{4}-\d{2}-\d{2}\*\*/);
    for (const size of ['Small', 'Medium', 'Large']) {
      expect(DOC).toMatch(new RegExp(`^### ${size}$`, 'm'));
      expect(DOC).toMatch(new RegExp(`^\\| ${size} \\|.*\\*\\*\\$[\\d,.]+\\*\\*`, 'm'));
    }
  });
});
