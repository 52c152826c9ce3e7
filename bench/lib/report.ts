/**
 * What every benchmark reports, in one shape: figures with a goal and a verdict, printed as
 * tables whose lines each end in `met` or `MISSED`, and kept in `bench/results/latest.json`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { num, table } from './table.js';

/**
 * What a figure should be. Ratio goals compare with a floor measured in the same run (absolute
 * timings on a shared machine say little); absolute goals suit sizes, which do not vary by run.
 */
export interface Goal {
  /** `ratio`: the figure's ratio to its floor; `value`: the figure itself, in its unit. */
  of: 'ratio' | 'value';
  comparison: '≤' | '≥';
  limit: number;
  /** As printed, e.g. `≤ 2× floor time` or `≤ 200 KB gzip`. */
  text: string;
}

/** A goal and whether the measurement meets it. */
export interface GoalCheck {
  goal: Goal;
  met: boolean;
}

/**
 * A goal on the ratio to the floor.
 *
 * @example
 * ratioGoal('≥', 0.5, 'floor ops/s') // "≥ 0.5× floor ops/s"
 */
export const ratioGoal = (comparison: Goal['comparison'], limit: number, what: string): Goal => ({
  of: 'ratio',
  comparison,
  limit,
  text: `${comparison} ${limit}× ${what}`,
});

/**
 * A goal on the value itself.
 *
 * @example
 * valueGoal('≤', 200, 'KB gzip') // "≤ 200 KB gzip"
 */
export const valueGoal = (comparison: Goal['comparison'], limit: number, unit: string): Goal => ({
  of: 'value',
  comparison,
  limit,
  text: `${comparison} ${num(limit, Number.isInteger(limit) ? 0 : 1)} ${unit}`,
});

/** Checks `goal` against a measured value and its ratio to the floor. */
export function check(goal: Goal, measured: { value?: number; ratio?: number | null }): GoalCheck {
  const compared = goal.of === 'ratio' ? measured.ratio : measured.value;
  if (compared === null || compared === undefined) throw new Error(`"${goal.text}" needs a ratio to a floor`);
  return { goal, met: goal.comparison === '≤' ? compared <= goal.limit : compared >= goal.limit };
}

/** One number a benchmark produced, as written to `bench/results/latest.json`. */
export interface Figure {
  /** The benchmark's name, as given to `npm run bench -- <name>`. */
  benchmark: string;
  name: string;
  value: number;
  unit: string;
  /** What the value was measured against in the same run; null for absolute figures. */
  floor: { name: string; value: number; unit: string } | null;
  /** The figure's ratio to the floor (1 = as good as the floor); null for absolute figures. */
  ratio: number | null;
  goal: Goal;
  met: boolean;
}

/** Builds a figure, its verdict computed from its goal. */
export function figure(fields: Omit<Figure, 'met'>): Figure {
  return { ...fields, met: check(fields.goal, fields).met };
}

export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/**
 * A table of figures: the given columns, then the goal and the verdict, so that every line
 * ends in `met` or `MISSED`.
 */
export function figureTable(headers: string[], rows: { cells: string[]; check: GoalCheck }[]): string {
  return table(
    [...headers, 'goal', ''],
    rows.map(({ cells, check }) => [...cells, check.goal.text, verdict(check.met)]),
  );
}

/**
 * Which benchmarks to run: all of them when no name is given, else the named ones (in the
 * order they are declared). Unknown names are returned, not run.
 */
export function selectBenchmarks(
  names: readonly string[],
  args: readonly string[],
): { selected: string[]; unknown: string[] } {
  const unknown = args.filter((arg) => !names.includes(arg));
  return { selected: args.length === 0 ? [...names] : names.filter((name) => args.includes(name)), unknown };
}

/** How one benchmark's last run went. */
export interface RunRecord {
  startedAt: string;
  seconds: number;
  node: string;
  cpus: number;
  /** Why (part of) the benchmark could not be measured. */
  errors: string[];
}

/** `bench/results/latest.json`: the latest figures of every benchmark, each from its latest run. */
export interface Results {
  updatedAt: string;
  figures: Figure[];
  runs: Record<string, RunRecord>;
  /** Each benchmark's raw measurements (rounds, samples, parts), for a closer look. */
  details: Record<string, unknown>;
}

/** The results file as it stands, or an empty one (missing, unreadable or from an older format). */
export async function readResults(file: string): Promise<Results> {
  const empty: Results = { updatedAt: new Date(0).toISOString(), figures: [], runs: {}, details: {} };
  if (!existsSync(file)) return empty;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Results>;
    if (!Array.isArray(parsed.figures) || typeof parsed.runs !== 'object' || parsed.runs === null) return empty;
    return { ...empty, ...parsed } as Results;
  } catch {
    return empty;
  }
}

/**
 * The previous results with the benchmarks just run replaced: running one benchmark keeps the
 * others' latest figures (each with its own run's date in `runs`).
 */
export function mergeResults(
  previous: Results,
  run: { figures: Figure[]; runs: Record<string, RunRecord>; details: Record<string, unknown> },
  now: Date,
): Results {
  const replaced = new Set(Object.keys(run.runs));
  const keep = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).filter(([name]) => !replaced.has(name)));
  return {
    updatedAt: now.toISOString(),
    figures: [...previous.figures.filter((old) => !replaced.has(old.benchmark)), ...run.figures],
    runs: { ...keep(previous.runs), ...run.runs },
    details: { ...keep(previous.details), ...run.details },
  };
}

export async function writeResults(file: string, results: Results): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
