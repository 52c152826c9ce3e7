import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * `npm start` exactly as a merchant runs it, stopped the way a process manager, a container
 * runtime or a terminal stops it: the signal goes to npm, and npm's answer is what the caller
 * sees. The runtime must get the signal itself, finish the queued work, and npm must exit 0.
 */
const APP_SECRET = 'asistone-demo-app-secret';
const sample = readFileSync(join(ROOT, 'events/meta/whatsapp-text.json'), 'utf8');
const sign = (body: string) =>
  `sha256=${createHmac('sha256', APP_SECRET).update(Buffer.from(body, 'utf8')).digest('hex')}`;

/** Deliveries queued before the signal, each carrying several customers' messages. */
const DELIVERIES = 20;
const MESSAGES_PER_DELIVERY = 10;

/** One Cloud API delivery with `count` text messages from different customers, all new. */
function delivery(index: number, count: number): string {
  const envelope = JSON.parse(sample);
  const value = envelope.entry[0].changes[0].value;
  const template = value.messages[0];
  value.contacts = [];
  value.messages = [];
  for (let n = 0; n < count; n++) {
    const waId = `90555${String(index).padStart(3, '0')}${String(n).padStart(4, '0')}`;
    value.contacts.push({ profile: { name: `Müşteri ${index}-${n}` }, wa_id: waId });
    value.messages.push({
      ...template,
      from: waId,
      id: `wamid.SIGTERM${index}x${n}`,
      timestamp: String(1764374400 + index * 100 + n),
      text: { body: `Sipariş ${index}-${n} ne zaman gelir?` },
    });
  }
  return JSON.stringify(envelope);
}

interface NpmStart {
  process: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
const dataDirs: string[] = [];
let restarted: RunningStack | undefined;

/** `npm start` with its own port and data folder, in its own process group so the test can clean up. */
async function npmStart(dataDir: string): Promise<NpmStart> {
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ASISTONE_DATA_DIR: dataDir, ASISTONE_BUILD_WEB: 'false', LOG_LEVEL: 'INFO' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    return /web app\s+(http:\/\/localhost:\d+)\//.exec(output)?.[1];
  }, 60_000);
  return { process: child, url, output: () => output, exited };
}

/** The pid of the runtime `npm start` runs, from the file it keeps while running (gone after a clean stop). */
function runtimePid(dataDir: string): number | undefined {
  const file = join(dataDir, 'running.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await restarted?.stop();
  restarted = undefined;
  // Whatever a failed run left behind: npm's whole process group (npm, its shell, the runtime).
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start, stopped by a signal', () => {
  it('finishes the queued work on SIGTERM and exits 0 after a clean drain', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asistone-sigterm-'));
    dataDirs.push(dataDir);
    const npm = await npmStart(dataDir);

    // All at once, so the queue holds work when the signal comes.
    const answers = await Promise.all(
      Array.from({ length: DELIVERIES }, (_, index) => {
        const body = delivery(index, MESSAGES_PER_DELIVERY);
        return fetch(`${npm.url}/webhooks/meta`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
          body,
        });
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const runtime = runtimePid(dataDir);
    expect(runtime).toBeDefined();

    // As `kill <npm pid>`, `docker stop` or systemd would: the signal goes to npm alone.
    npm.process.kill('SIGTERM');
    const { code, signal } = await npm.exited;
    // The runtime is not left running behind npm's back, still holding the data folder.
    const leftRunning = runtime !== undefined && alive(runtime);

    expect({ code, signal, leftRunning }).toEqual({ code: 0, signal: null, leftRunning: false });
    expect(npm.output()).toContain('SIGTERM: draining queues and stopping...');
    expect(npm.output()).toContain('stopped cleanly');
    expect(existsSync(join(dataDir, 'running.json'))).toBe(false);
    const afterSignal = npm.output().split('SIGTERM: draining')[1] ?? '';
    process.stdout.write(
      `deliveries processed during the drain: ${(afterSignal.match(/meta delivery processed/g) ?? []).length} of ${DELIVERIES}\n`,
    );

    // Every queued message is kept: stored before the exit, or by the next start.
    restarted = await startStack({ dataDir, env: { ASISTONE_BUILD_WEB: 'false', LOG_LEVEL: 'WARN' } });
    const aws = localAws(dataDir);
    const stored = await eventually(async () => {
      const count = (await aws.dumpTable()).filter((item) => item.__edb_e__ === 'message').length;
      return count === DELIVERIES * MESSAGES_PER_DELIVERY ? count : undefined;
    }, 30_000);
    expect(stored).toBe(DELIVERIES * MESSAGES_PER_DELIVERY);
  });

  it('stops on SIGINT (Ctrl+C sent to npm) with exit code 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'asistone-sigint-'));
    dataDirs.push(dataDir);
    const npm = await npmStart(dataDir);
    const runtime = runtimePid(dataDir);

    npm.process.kill('SIGINT');
    const { code, signal } = await npm.exited;
    const leftRunning = runtime !== undefined && alive(runtime);

    expect({ code, signal, leftRunning }).toEqual({ code: 0, signal: null, leftRunning: false });
    expect(npm.output()).toContain('SIGINT: draining queues and stopping...');
    expect(npm.output()).toContain('stopped cleanly');
  });
});
