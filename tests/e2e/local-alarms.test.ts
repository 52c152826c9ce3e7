import { readFileSync } from 'node:fs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionNotificationSignature } from '../../packages/core/src/billing/iyzico-signature.js';
import { localLogFile } from '../../packages/local/src/log-file.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * The stage's alarms on one machine, against a real `npm start`: what would page ops in AWS shows
 * on `/api/health` (component `alarms`, with the alarm's runbook) and as an `alarm raised` warning
 * in the log, for a dead letter (from the queue) and for refusals (from the log lines).
 */
let stack: RunningStack;
let aws: ReturnType<typeof localAws>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

interface RaisedAlarm {
  name: string;
  since: string;
  runbook: string;
  detail: Record<string, unknown>;
}

async function raisedAlarms(): Promise<{ code: number; raised: RaisedAlarm[] }> {
  const response = await fetch(`${stack.url}/api/health`);
  const report = (await response.json()) as {
    components: Record<string, { status: string; detail?: { raised?: RaisedAlarm[] } }>;
  };
  return { code: response.status, raised: report.components.alarms?.detail?.raised ?? [] };
}

/** The `alarm raised` lines of the local log file, by alarm. */
function raisedLines(alarm: string): Record<string, unknown>[] {
  return readFileSync(localLogFile(stack.dataDir), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === 'alarm raised' && line.alarm === alarm);
}

describe('local alarms', () => {
  it('start quiet', async () => {
    const { raised } = await eventually(async () => {
      const answer = await raisedAlarms();
      return answer.code === 200 ? answer : undefined;
    }, 30_000);
    expect(raised).toEqual([]);
  });

  it('raise the dead-letter alarm when a poison message reaches the dead-letter queue', async () => {
    await aws.sqs.send(new SendMessageCommand({ QueueUrl: aws.env.QUEUE_URL_MAIL, MessageBody: 'not a message' }));

    const { code, raised } = await eventually(async () => {
      const answer = await raisedAlarms();
      return answer.raised.some((alarm) => alarm.name === 'mail-dead-letters') ? answer : undefined;
    }, 30_000);
    expect(code).toBe(503);
    expect(raised.find((alarm) => alarm.name === 'mail-dead-letters')).toMatchObject({
      runbook: 'docs/runbooks/dead-letters.md',
      detail: { waiting: 1 },
    });
    // Printed once, as a warning naming the runbook, not once per check.
    const lines = await eventually(async () => {
      const found = raisedLines('mail-dead-letters');
      return found.length > 0 ? found : undefined;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'WARN', runbook: 'docs/runbooks/dead-letters.md', waiting: 1 });
    expect(stack.output()).toContain('"message":"alarm raised"');
  });

  it('raise a provider’s auth alarm from its refusal lines: iyzico notifications whose signature fails', async () => {
    const body = {
      merchantId: aws.env.IYZICO_MERCHANT_ID,
      iyziEventType: 'subscription.order.success',
      iyziEventTime: Date.now(),
      iyziReferenceCode: `alarm-${Date.now()}`,
      subscriptionReferenceCode: 'alarm-subscription',
      orderReferenceCode: 'alarm-order',
      customerReferenceCode: 'alarm-customer',
    };
    const wrongKey = subscriptionNotificationSignature(
      'not-our-secret-key',
      body as Parameters<typeof subscriptionNotificationSignature>[1],
    );
    const response = await fetch(`${stack.url}/webhooks/iyzico`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-iyz-signature-v3': wrongKey },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(401);

    const { raised } = await eventually(async () => {
      const answer = await raisedAlarms();
      return answer.raised.some((alarm) => alarm.name === 'iyzico-auth-errors') ? answer : undefined;
    }, 30_000);
    expect(raised.find((alarm) => alarm.name === 'iyzico-auth-errors')).toMatchObject({
      runbook: 'docs/runbooks/provider-auth-errors.md',
      detail: { refusals: 1 },
    });
    // The refusal line says who and why, never the notification or its signature.
    const refusal = readFileSync(localLogFile(stack.dataDir), 'utf8')
      .split('\n')
      .find((line) => line.includes('"provider refused"'));
    expect(refusal).toBeDefined();
    expect(JSON.parse(refusal!)).toMatchObject({ provider: 'iyzico', refusal: 'auth', operation: 'webhook-signature' });
    expect(refusal).not.toContain(wrongKey);
    expect(refusal).not.toContain('alarm-customer');
    // The dead letter is still there: one alarm does not hide another.
    expect(raised.map((alarm) => alarm.name)).toContain('mail-dead-letters');
  });
});
