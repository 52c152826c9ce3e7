import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './lambda.js';

export const WEB_ROOT = join(ROOT, 'packages', 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');
const NEXT_DIST = join(WEB_ROOT, 'dist.next');

/** Everything the built app is made from, the API contract it imports included. */
const SOURCES = [
  join(WEB_ROOT, 'src'),
  join(WEB_ROOT, 'public'),
  join(WEB_ROOT, 'index.html'),
  join(WEB_ROOT, 'vite.config.ts'),
  join(WEB_ROOT, 'package.json'),
  join(ROOT, 'packages', 'contract', 'src'),
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when the built app is missing or older than its sources. */
export function webBuildIsStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((path) => newestChange(path) > built);
}

export type WebBuildState = 'ready' | 'building' | 'failed';

/**
 * Builds the web app with Vite in a child process when stale. The new build is written
 * beside the old one and swapped in when complete, so the old app is served until then.
 */
export function ensureWebBuild(onDone: (state: WebBuildState, output: string) => void): WebBuildState {
  if (!webBuildIsStale()) return 'ready';
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const child = spawn(vite, ['build', '--logLevel', 'warn', '--outDir', NEXT_DIST], {
    cwd: WEB_ROOT,
    // Always the production build, as CloudFront serves it, even when started from a test run
    // (vitest sets NODE_ENV=test, which would give React's development build).
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('close', async (code) => {
    if (code !== 0) return onDone('failed', output);
    const old = `${WEB_DIST}.old`;
    await rm(old, { recursive: true, force: true });
    if (existsSync(WEB_DIST)) await rename(WEB_DIST, old);
    await rename(NEXT_DIST, WEB_DIST);
    await rm(old, { recursive: true, force: true });
    onDone('ready', output);
  });
  return 'building';
}
