import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lambda.js';

export const WEB_ROOT = join(ROOT, 'packages', 'web');
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when the built app is missing or older than its sources. */
export function webBuildIsStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [join(WEB_ROOT, 'src'), join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'vite.config.ts')];
  return sources.some(
    (path) => existsSync(path) && (statSync(path).isDirectory() ? newestChange(path) : statSync(path).mtimeMs) > built,
  );
}

export type WebBuildState = 'ready' | 'building' | 'failed';

/** Builds the web app with Vite in a child process when stale; the gateway serves it when done. */
export function ensureWebBuild(onDone: (state: WebBuildState, output: string) => void): WebBuildState {
  if (!webBuildIsStale()) return 'ready';
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const child = spawn(vite, ['build', '--logLevel', 'warn'], { cwd: WEB_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('close', (code) => onDone(code === 0 ? 'ready' : 'failed', output));
  return 'building';
}
