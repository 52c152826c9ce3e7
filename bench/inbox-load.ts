import { createHmac, randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { queueUrlVariable } from '@asistone/core/platform/config';
import { deadLetterQueueName } from '@asistone/core/platform/queue/declarations';
import { queueBacklog } from '@asistone/core/platform/queue/depth';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startStack } from '../tests/support/local-stack.js';
import { median } from './lib/measure.js';
import { whatsappTextDelivery } from './lib/whatsapp.js';

/**
 * The inbox under load, end to end on `npm start`: signed Meta deliveries posted to the local
 * gateway's `/webhooks/meta` as fast as a few concurrent senders can, then waited for until the
 * worker has stored them. Counts what was stored against what was sent (zero lost, zero
 * doubled, including Meta-style redeliveries of some), the acknowledgement's p50/p99 as the
 * senders saw it, and stored messages per second against the local DynamoDB's own put rate,
 * measured on the same emulator in the same run.
 */
export interface InboxLoadResult {
  deliveries: number;
  redeliveries: number;
  concurrency: number;
  non200: number;
  ackP50Ms: number;
  ackP99Ms: number;
  stored: number;
  lost: number;
  doubled: number;
  deadLetters: number;
  storedPerSecond: number;
  putsPerSecond: number;
  /** Stored messages per second ÷ plain puts per second. */
  ratio: number;
  seconds: number;
}

const APP_SECRET = 'asistone-demo-app-secret';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function delivery(index: number, runId: string): Buffer {
  const payload = JSON.parse(whatsappTextDelivery(`Merhaba, sipariş ${index} ne zaman gelir?`).toString('utf8'));
  const value = payload.entry[0].changes[0].value;
  payload.entry[0].id = DEMO_TENANT.whatsappBusinessAccountId;
  value.metadata.phone_number_id = DEMO_TENANT.whatsappPhoneNumberId;
  // A thousand customers, ten messages each.
  const customer = `90555${String(index % 1000).padStart(7, '0')}`;
  value.contacts[0].wa_id = customer;
  value.messages[0].from = customer;
  value.messages[0].id = `wamid.load-${runId}-${index}`;
  value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  return Buffer.from(JSON.stringify(payload));
}

async function post(url: string, body: Buffer): Promise<{ status: number; ms: number }> {
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  const started = performance.now();
  const response = await fetch(`${url}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body: new Uint8Array(body),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Inbound messages in the table (ids and texts are sealed: counted by kind, before and after). */
async function countMessages(dynamo: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const out = await dynamo.send(
      new ScanCommand({
        TableName: table,
        Select: 'COUNT',
        FilterExpression: '#entity = :message AND #direction = :inbound',
        ExpressionAttributeNames: { '#entity': '__edb_e__', '#direction': 'direction' },
        ExpressionAttributeValues: { ':message': { S: 'message' }, ':inbound': { S: 'inbound' } },
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey as typeof start;
  } while (start);
  return count;
}

export async function benchInboxLoad(total = 10_000, concurrency = 16): Promise<InboxLoadResult> {
  const runId = randomUUID().slice(0, 8);
  const stack = await startStack({ env: { LOG_LEVEL: 'WARN' } });
  try {
    // The running stack announces its emulators' endpoints, as for `npm run dump`.
    const { env } = JSON.parse(await readFile(join(stack.dataDir, 'running.json'), 'utf8')) as {
      env: Record<string, string>;
    };
    const aws = { region: env.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const dynamo = new DynamoDBClient({ ...aws, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
    const sqs = new SQSClient({ ...aws, endpoint: env.AWS_ENDPOINT_URL_SQS });
    const table = env.TABLE_NAME as string;

    // The floor: the same emulator's plain put rate at the same concurrency, items of a message's size.
    const puts = Array.from({ length: 2000 }, (_, i) => i);
    const putStart = performance.now();
    await pool(puts, concurrency, async (i) => {
      await dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `t#bench-floor-${runId}` }, sk: { S: `put#${i}` }, text: { S: 'x'.repeat(400) } },
        }),
      );
    });
    const putsPerSecond = (puts.length * 1000) / (performance.now() - putStart);

    const before = await countMessages(dynamo, table);
    const bodies = Array.from({ length: total }, (_, i) => delivery(i, runId));
    // Meta redelivers what it thinks was not acknowledged: one in twenty comes twice.
    const redelivered = bodies.filter((_, i) => i % 20 === 7);
    const sends = [...bodies, ...redelivered];
    const latencies: number[] = [];
    let non200 = 0;
    const started = performance.now();
    await pool(sends, concurrency, async (body) => {
      const { status, ms } = await post(stack.url, body);
      latencies.push(ms);
      if (status !== 200) non200++;
    });

    // Drained: nothing waiting or in flight on the events queue.
    const queueUrl = env[queueUrlVariable('meta-events')] as string;
    const dlqUrl = env[queueUrlVariable(deadLetterQueueName('meta-events'))] as string;
    const deadline = Date.now() + 30 * 60_000;
    while ((await queueBacklog(sqs, queueUrl)) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    const seconds = (performance.now() - started) / 1000;
    const stored = (await countMessages(dynamo, table)) - before;
    const deadLetters = dlqUrl ? await queueBacklog(sqs, dlqUrl) : 0;
    latencies.sort((a, b) => a - b);
    const storedPerSecond = stored / seconds;
    return {
      deliveries: total,
      redeliveries: redelivered.length,
      concurrency,
      non200,
      ackP50Ms: median(latencies),
      ackP99Ms: percentile(latencies, 99),
      stored,
      lost: Math.max(0, total - stored),
      doubled: Math.max(0, stored - total),
      deadLetters,
      storedPerSecond,
      putsPerSecond,
      ratio: storedPerSecond / putsPerSecond,
      seconds,
    };
  } finally {
    await stack.stop();
    await rm(stack.dataDir, { recursive: true, force: true });
  }
}
