import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningStack {
  url: string;
  dataDir: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  process: ChildProcess;
}

/**
 * Starts the product exactly as `npm start` does (the pinned node with tsx as its loader, no
 * launcher process in between, so signals reach it), on a free port with its own data folder,
 * and resolves once it prints its URLs.
 */
export async function startStack(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'asistone-test-'));
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'node'),
    ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(ROOT, 'packages', 'local', 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
        PORT: '0',
        ASISTONE_DATA_DIR: dataDir,
        LOG_LEVEL: 'DEBUG',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /web app\s+(http:\/\/localhost:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} before starting:\n${output}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => output,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Waits until the stack serves a finished web app: `npm start` rebuilds it when its sources
 * changed, while still serving the old build, whose files the rebuild deletes.
 */
export async function webAppReady(stack: RunningStack): Promise<void> {
  await eventually(async () => {
    const health = (await (await fetch(`${stack.url}/api/health`)).json()) as {
      components?: { web?: { detail?: { build?: string } } };
    };
    const build = health.components?.web?.detail?.build;
    if (build === 'failed') throw new Error(`web build failed:\n${stack.output().slice(-3000)}`);
    return build === 'ready' ? true : undefined;
  }, 90_000);
}

/** Runs a schedule once, as of `time`, with `npm run invoke` against the stack's data folder. */
export async function runSchedule(stack: RunningStack, name: string, time: string): Promise<void> {
  const event = join(mkdtempSync(join(tmpdir(), 'asistone-event-')), 'event.json');
  writeFileSync(event, JSON.stringify({ 'detail-type': 'Scheduled Event', source: 'aws.events', time, detail: {} }));
  await promisify(execFile)('npm', ['run', '--silent', 'invoke', '--', `schedule-${name}`, event], {
    cwd: ROOT,
    env: {
      ...process.env,
      ASISTONE_DATA_DIR: stack.dataDir,
      PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
    },
  });
}
