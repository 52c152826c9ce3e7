import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueUrlVariable } from '../../packages/core/src/platform/config.js';
import { TRACE_ATTRIBUTE } from '../../packages/core/src/platform/trace.js';
import { localLogFile, readLogLines } from '../../packages/local/src/log-file.js';
import { localAws } from '../support/local-aws.js';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * One id follows a delivery on a real `npm start`: a customer's signed WhatsApp DUR reaches the
 * webhook, the `meta-events` worker and, for the confirmation, the `outbound` worker, every line
 * under the webhook's trace id in the stack's log file; `npm run trace` prints that path in time
 * order. A poison message replayed from its DLQ comes back under the same id.
 */
const APP_SECRET = 'asistone-demo-app-secret';
/** The demo business's WhatsApp number and WABA (seeded on every fresh data folder). */
const DEMO_PHONE_NUMBER_ID = '100000000000001';
const DEMO_WABA_ID = '100000000000002';

let stack: RunningStack;
let logFile: string;

const run = promisify(execFile);

/** `npm run <script> -- <args>` against the stack's data folder; its exit code and output. */
async function npmRun(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        ASISTONE_DATA_DIR: stack.dataDir,
        PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Lines written since byte `from`. */
async function linesSince(from: number) {
  return (await readLogLines(logFile, from)).lines;
}

function customerWrites(customer: string, text: string): Promise<Response> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: DEMO_WABA_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550000000', phone_number_id: DEMO_PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'İz Sürer' }, wa_id: customer }],
              messages: [
                {
                  from: customer,
                  id: `wamid.${randomBytes(12).toString('base64url')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  return fetch(`${stack.url}/webhooks/meta`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  logFile = localLogFile(stack.dataDir);
});
afterAll(async () => {
  await stack?.stop();
});

describe('one trace id per delivery, on the local stack', () => {
  it('keeps every JSON line the stack prints in its data folder, readable only by its owner', async () => {
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    const forged = await fetch(`${stack.url}/webhooks/meta`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' },
      body: '{"object":"whatsapp_business_account","entry":[]}',
    });
    expect(forged.status).toBe(401);
    // A refused call is answered, logged and traced like any other.
    const refused = await eventually(async () =>
      (await readLogLines(logFile, 0)).lines.find(
        (line) => line.message === 'webhook answered' && line.webhook === 'meta' && line.status === 401,
      ),
    );
    expect(refused.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(refused)).not.toContain('sha256');
    const { lines, nextByte } = await readLogLines(logFile, 0);
    expect(lines.length).toBeGreaterThan(0);
    expect(nextByte).toBe(statSync(logFile).size);
    // Nothing is read twice: from where the last read stopped, only what came since.
    const again = await readLogLines(logFile, nextByte);
    expect(again.nextByte).toBeGreaterThanOrEqual(nextByte);
  });

  it('follows a WhatsApp DUR from the webhook through meta-events to the outbound confirmation', async () => {
    const from = (await readLogLines(logFile, 0)).nextByte;
    expect((await customerWrites('905559870077', 'DUR')).status).toBe(200);

    // The id is on the webhook's answer line (the one the alarms count).
    const answered = await eventually(async () =>
      (await linesSince(from)).find(
        (line) => line.message === 'webhook answered' && line.webhook === 'meta' && line.status === 200,
      ),
    );
    const traceId = answered.traceId as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(answered.ms).toEqual(expect.any(Number));

    // Two queues deep: the confirmation the meta-events worker queued is sent by the outbound worker.
    await eventually(async () =>
      (await linesSince(from)).find(
        (line) => line.traceId === traceId && line.message === 'message handled' && line.queue === 'outbound',
      ),
    );

    const traced = await npmRun('trace', [traceId]);
    expect(traced.code, traced.stderr).toBe(0);
    const path = traced.stdout.trim().split('\n').slice(1);
    const at = (pattern: RegExp) => path.findIndex((line) => pattern.test(line));
    const webhook = at(/webhook answered .*webhook=meta status=200/);
    const metaEvents = at(/worker-meta-events .*message handled .*queue=meta-events/);
    const outbound = at(/worker-outbound .*message handled .*queue=outbound/);
    expect(webhook, traced.stdout).toBeGreaterThanOrEqual(0);
    expect(metaEvents, traced.stdout).toBeGreaterThan(webhook);
    expect(outbound, traced.stdout).toBeGreaterThan(metaEvents);
    const times = path.map((line) => Date.parse(line.split(/\s+/)[0] as string));
    expect(times.every((time) => Number.isFinite(time))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Masked lines only: never the customer's number or words.
    expect(traced.stdout).not.toContain('905559870077');
    // Another delivery's lines are not on this path.
    const own = (await linesSince(from)).filter((line) => line.traceId === traceId);
    expect(path).toHaveLength(own.length);
  });

  it('follows an API request to the worker that handles what it queued', async () => {
    const from = (await readLogLines(logFile, 0)).nextByte;
    const answer = await fetch(`${stack.url}/api/auth/password-reset/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `iz-${randomBytes(4).toString('hex')}@example.com` }),
    });
    expect(answer.status).toBe(202);
    const requested = await eventually(async () =>
      (await linesSince(from)).find((line) => line.message === 'password reset requested'),
    );
    const traceId = requested.traceId as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const handled = await eventually(async () =>
      (await linesSince(from)).find(
        (line) => line.message === 'message handled' && line.queue === 'account-requests' && line.traceId === traceId,
      ),
    );
    expect(handled.function_name).toMatch(/worker-account-requests$/);
  });

  it('answers a malformed id with its usage, and an unknown one with a clear message', async () => {
    const bad = await npmRun('trace', ['not a trace; rm -rf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm run trace/);
    expect((await npmRun('trace', [])).code).toBe(2);
    const unknown = await npmRun('trace', ['0123456789abcdef0123456789abcdef']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no log line carries trace id 0123456789abcdef0123456789abcdef/);
    const aws = await npmRun('trace', ['0123456789abcdef0123456789abcdef', '--stage', 'prod']);
    expect(aws.code).toBe(0);
    expect(aws.stdout).toContain('filter traceId = "0123456789abcdef0123456789abcdef"');
    expect(aws.stdout).toContain('/aws/lambda/asistone-prod-');
  });

  it('keeps the id of a poison message dead-lettered and replayed from its DLQ', async () => {
    const aws = localAws(stack.dataDir);
    const traceId = randomBytes(16).toString('hex');
    const from = (await readLogLines(logFile, 0)).nextByte;
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: aws.env[queueUrlVariable('meta-events')],
        MessageBody: JSON.stringify({ tenantId: 'meta', poison: true }),
        MessageAttributes: { [TRACE_ATTRIBUTE]: { DataType: 'String', StringValue: traceId } },
      }),
    );
    const deadLettered = async (count: number) =>
      eventually(async () => {
        const lines = (await linesSince(from)).filter(
          (line) => line.traceId === traceId && line.message === 'message moved to dead-letter queue',
        );
        return lines.length >= count ? lines : undefined;
      }, 20_000);
    await deadLettered(1);

    const replay = await npmRun('dlq', ['replay', 'meta-events']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/replayed 1 messages/);

    // It fails again (still poison), and again under its own id.
    const lines = await deadLettered(2);
    expect(lines.every((line) => line.queue === 'meta-events')).toBe(true);
    const traced = await npmRun('trace', [traceId]);
    expect(traced.stdout.match(/message moved to dead-letter queue/g)).toHaveLength(2);
  });
});

describe('readLogLines', () => {
  it('reads complete JSON lines from a byte on, leaving a line still being written for the next read', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'asistone-log-lines-'));
    try {
      const file = join(folder, 'asistone.ndjson');
      expect(await readLogLines(file, 0)).toEqual({ lines: [], nextByte: 0 });
      writeFileSync(file, '{"message":"one"}\nnot json\n{"message":"two"}\n[1,2]\n{"message":"thr');
      const first = await readLogLines(file, 0);
      expect(first.lines).toEqual([{ message: 'one' }, { message: 'two' }]);
      expect(first.nextByte).toBe(statSync(file).size - '{"message":"thr'.length);
      expect((await readLogLines(file, first.nextByte)).lines).toEqual([]);
      appendFileSync(file, 'ee"}\n');
      const second = await readLogLines(file, first.nextByte);
      expect(second.lines).toEqual([{ message: 'three' }]);
      expect(second.nextByte).toBe(statSync(file).size);
      // Started again (removed, written anew, shorter): read from its beginning.
      writeFileSync(file, '{"message":"again"}\n');
      expect((await readLogLines(file, second.nextByte)).lines).toEqual([{ message: 'again' }]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
