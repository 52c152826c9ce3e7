import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type FunctionKind, splitHandler } from '@asistone/core/platform/area';
import { PRODUCT } from '@asistone/core/product/areas';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '../stacks/bundling.js';
import { lambdaEnvironment } from './lib/lambda.js';
import { median } from './lib/measure.js';
import { NODE, REPO_ROOT } from './lib/paths.js';
import { check, type GoalCheck, ratioGoal, valueGoal } from './lib/report.js';

const run = promisify(execFile);

const PROBE = join(REPO_ROOT, 'bench/lib/init-probe.mjs');

/**
 * Cold init as a multiple of the empty handler's, by who waits for it: Meta expects a webhook's
 * answer within moments, a person waits for the API's first answer, nobody waits for a worker
 * or a schedule (their cold starts only cost time). A webhook carries a queue client and its
 * signature check, whose compiling alone is about twice an empty start: 3× is the goal the
 * inbox's acknowledgement benchmark (`inbox-ack`) holds it to as well.
 */
const INIT_GOALS: Record<FunctionKind, number> = { webhook: 3, api: 3, worker: 10, schedule: 10 };

/**
 * Bundle size, per function. Bundles carry the AWS SDK on purpose (stacks/bundling.ts): about
 * 1 MB each today. The goal guards against a dependency that drags in much more.
 */
const SIZE_GOAL_KB = 1536;

/**
 * Dependencies a function must carry and that are loaded on first use, not at init: the size
 * goal grows by their weight for the functions that bundle them. The AI agent's model calls go
 * through the official OpenAI SDK (about 410 KB: its client brings every resource of the API),
 * behind a dynamic import() in ai/model.ts. Invoice PDFs likewise (below).
 */
const REQUIRED_SDK_KB: Record<string, number> = {
  openai: 448,
  // The API draws invoice PDFs (billing/invoice-pdf.ts): pdfkit with fontkit (about 420 KB;
  // brotli, which fontkit loads for WOFF2 fonts, is left out at bundling: stacks/bundling.ts),
  // behind a dynamic import() that only an invoice download runs.
  pdfkit: 460,
  // X-Ray (platform/xray.ts): Powertools' Tracer and the X-Ray SDK (about 120 KB), behind a
  // dynamic import() that runs only in Lambda with active tracing.
  '@aws-lambda-powertools/tracer': 128,
};

/** The size goal of a bundle holding these parts. */
function sizeGoalKb(parts: ReadonlySet<string>): number {
  return Object.entries(REQUIRED_SDK_KB).reduce(
    (kb, [part, extra]) => (parts.has(part) ? kb + extra : kb),
    SIZE_GOAL_KB,
  );
}

export interface Bundle {
  name: string;
  kind: FunctionKind | 'floor';
  /** Entry source, relative to the repository root. */
  source: string;
  file: string;
  /** Every file written (entry and chunks): what ships. */
  bytes: number;
  /** What a cold start loads: the entry and its static imports. */
  initBytes: number;
  /** The biggest contributors to the bundle, by package or source folder. */
  largest: { part: string; bytes: number }[];
  /** Its size goal: the common one, plus the weight of any required SDK it carries. */
  sizeGoalKb: number;
}

export interface InitSample {
  /** `await import(bundle)` alone. */
  importMs: number;
  /** Process start to handler ready: Node's own bootstrap plus the import. */
  readyMs: number;
  /** `typeof handler` as exported by the bundle. */
  handler: string;
  node: string;
  /** Sockets the init tried to open (refused). */
  blocked: string[];
}

/** Groups a metafile input path by npm package, or by its first two folders for our code. */
function partOf(input: string): string {
  if (input.startsWith('../')) return 'entry';
  const inPackage = input.split('node_modules/').at(-1)!;
  if (inPackage !== input) {
    const segments = inPackage.split('/');
    return segments[0]!.startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0]!;
  }
  return input.split('/').slice(0, 2).join('/');
}

function largestParts(metafile: Metafile, count = 3): Bundle['largest'] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      totals.set(partOf(input), (totals.get(partOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([part, bytes]) => ({ part, bytes }));
}

/**
 * The bytes a cold start loads: the entry file and every chunk it imports statically, not the
 * chunks behind a dynamic `import()` (loaded on first use).
 */
function initBytes(metafile: Metafile, entryFile: string): number {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !metafile.outputs[path]) return;
    seen.add(path);
    for (const imported of metafile.outputs[path].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryFile);
  return [...seen].reduce((sum, path) => sum + (metafile.outputs[path]?.bytes ?? 0), 0);
}

/**
 * Bundles one entry with the stacks' esbuild settings (code splitting included) into
 * `outDir/<name>/`: the entry's `.mjs` and its chunks, as SST writes them.
 */
export async function bundle(name: string, kind: Bundle['kind'], entry: string, outDir: string): Promise<Bundle> {
  const dir = join(outDir, name);
  const result = await build({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    plugins: [...ESBUILD_OPTIONS.plugins],
    entryPoints: [entry],
    outdir: dir,
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  // Chunks behind a dynamic import() name their own module as entry point: match the function's.
  const [entryOutput] = Object.entries(result.metafile.outputs).filter(
    ([, output]) => output.entryPoint && resolve(REPO_ROOT, output.entryPoint) === resolve(REPO_ROOT, entry),
  );
  if (!entryOutput) throw new Error(`esbuild wrote no entry file for ${entry}`);
  const file = join(REPO_ROOT, entryOutput[0]);
  const source = entry.startsWith(REPO_ROOT) ? entry.slice(REPO_ROOT.length + 1) : entry;
  const outputs = Object.values(result.metafile.outputs);
  return {
    name,
    kind,
    source,
    file,
    bytes: outputs.reduce((sum, output) => sum + output.bytes, 0),
    initBytes: initBytes(result.metafile, entryOutput[0]),
    largest: largestParts(result.metafile),
    sizeGoalKb: sizeGoalKb(
      new Set(Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs).map(partOf))),
    ),
  };
}

/** The floor: a handler that does nothing, bundled the same way. */
export async function bundleEmptyHandler(outDir: string): Promise<Bundle> {
  const entry = join(outDir, 'empty-handler.ts');
  await writeFile(entry, 'export const handler = async () => ({});\n');
  return bundle('empty-handler', 'floor', entry, outDir);
}

/** Imports `file` in a fresh Node process, as at a Lambda cold start. */
export async function measureInit(file: string, env: Record<string, string>): Promise<InitSample> {
  const { stdout } = await run(NODE, [PROBE, file], { env, cwd: dirname(file), timeout: 30_000 });
  return JSON.parse(stdout) as InitSample;
}

export interface BundleRow extends Omit<Bundle, 'file'> {
  kb: number;
  importMs: number;
  initMs: number;
  /** Median cold init ÷ the empty handler's. */
  ratio: number;
  /** Median import time minus the empty handler's: what the function's own code costs. */
  addedMs: number;
  handler: string;
  node: string;
  blocked: string[];
}

/** A function's row: its size and its cold init, each against its goal. */
export interface FunctionRow extends BundleRow {
  sizeCheck: GoalCheck;
  initCheck: GoalCheck;
}

export interface BundleFailure {
  name: string;
  /** First line of what esbuild or the cold start threw. */
  error: string;
}

const firstLine = (error: unknown) => String(error instanceof Error ? error.message : error).split('\n')[0]!;

/**
 * Bundles the empty floor and every function, then measures each cold init `runs` times in a
 * round-robin (so load spikes spread over all of them) and reports medians. A function that
 * fails to bundle or to start is reported as a failure; the others are still measured.
 */
export async function benchBundles(
  outDir: string,
  runs: number,
): Promise<{ floor: BundleRow; functions: FunctionRow[]; failures: BundleFailure[] }> {
  await mkdir(outDir, { recursive: true });
  const env = { PATH: process.env.PATH ?? '', ...lambdaEnvironment(join(outDir, 'keys')) };
  const bundles = [await bundleEmptyHandler(outDir)];
  const failures: BundleFailure[] = [];
  for (const { name, handler, kind } of PRODUCT.functions) {
    try {
      const bundled = await bundle(name, kind, `${splitHandler(handler).file}.ts`, outDir);
      // One unmeasured start each: proves the bundle loads and warms the file cache for all alike.
      await measureInit(bundled.file, env);
      bundles.push(bundled);
    } catch (error) {
      failures.push({ name, error: firstLine(error) });
    }
  }
  await measureInit(bundles[0]!.file, env);

  const samples = bundles.map((): InitSample[] => []);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < bundles.length; j++) {
      const k = (i + j) % bundles.length;
      samples[k]!.push(await measureInit(bundles[k]!.file, env));
    }
  }
  const summaries = bundles.map(({ file: _file, ...bundled }, k) => ({
    ...bundled,
    kb: bundled.bytes / 1024,
    importMs: median(samples[k]!.map((s) => s.importMs)),
    initMs: median(samples[k]!.map((s) => s.readyMs)),
    handler: samples[k]![0]!.handler,
    node: samples[k]![0]!.node,
    blocked: [...new Set(samples[k]!.flatMap((s) => s.blocked))],
  }));
  const [floor, ...functions] = summaries.map((row) => ({
    ...row,
    ratio: row.initMs / summaries[0]!.initMs,
    addedMs: row.importMs - summaries[0]!.importMs,
  }));
  return {
    floor: floor!,
    functions: functions.map((row) => ({
      ...row,
      sizeCheck: check(valueGoal('≤', row.sizeGoalKb, 'KB'), { value: row.kb }),
      // The floor row has no kind of function: the goals only apply to functions.
      initCheck: check(ratioGoal('≤', INIT_GOALS[row.kind as FunctionKind], 'empty init'), { ratio: row.ratio }),
    })),
    failures,
  };
}
