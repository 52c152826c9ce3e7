import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { allFunctions, type FunctionKind, splitHandler } from '@asistone/core/platform/functions';
import { build, type Metafile } from 'esbuild';
import { ESBUILD_OPTIONS } from '../stacks/bundling.js';
import { lambdaEnvironment } from './lib/lambda.js';
import { median } from './lib/measure.js';

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROBE = join(REPO_ROOT, 'bench/lib/init-probe.mjs');
/** The project's pinned Node 22, as in every npm script; the running Node if it is missing. */
const NODE = existsSync(join(REPO_ROOT, 'node_modules/.bin/node'))
  ? join(REPO_ROOT, 'node_modules/.bin/node')
  : process.execPath;

export interface Bundle {
  name: string;
  kind: FunctionKind | 'floor';
  /** Entry source, relative to the repository root. */
  source: string;
  file: string;
  bytes: number;
  /** The biggest contributors to the bundle, by package or source folder. */
  largest: { part: string; bytes: number }[];
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

/** Bundles one entry with the stacks' esbuild settings into `outDir/<name>.mjs`. */
export async function bundle(name: string, kind: Bundle['kind'], entry: string, outDir: string): Promise<Bundle> {
  const file = join(outDir, `${name}.mjs`);
  const result = await build({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    plugins: [...ESBUILD_OPTIONS.plugins],
    entryPoints: [entry],
    outfile: file,
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  const source = entry.startsWith(REPO_ROOT) ? entry.slice(REPO_ROOT.length + 1) : entry;
  return { name, kind, source, file, bytes: (await stat(file)).size, largest: largestParts(result.metafile) };
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
  goal?: string;
  met?: boolean;
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
): Promise<{ floor: BundleRow; functions: BundleRow[]; failures: BundleFailure[] }> {
  await mkdir(outDir, { recursive: true });
  const env = { PATH: process.env.PATH ?? '', ...lambdaEnvironment(join(outDir, 'keys')) };
  const bundles = [await bundleEmptyHandler(outDir)];
  const failures: BundleFailure[] = [];
  for (const [name, { handler, kind }] of Object.entries(allFunctions())) {
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
    functions: functions.map((row) =>
      row.kind === 'webhook' ? { ...row, goal: '≤ 1.5× empty init', met: row.ratio <= 1.5 } : row,
    ),
    failures,
  };
}
