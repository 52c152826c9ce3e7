import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MetaDelivery, metaDelivery } from '@asistone/core/channels/meta/envelope';
import { processMetaDelivery } from '@asistone/core/channels/meta/events';
import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { metaReceiver } from '@asistone/core/channels/meta/receive';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { readConfig } from '@asistone/core/platform/config';
import { createPlatform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { createProducer } from '@asistone/core/platform/queue/producer';
import { DEMO_TENANT, seedDemoTenant } from '@asistone/core/tenancy/demo';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { startEmulators } from '../packages/local/src/emulators.js';
import { handlerEnvironment } from '../packages/local/src/environment.js';
import { recordAwsCalls } from '../tests/support/aws-calls.js';
import { bundle, bundleEmptyHandler, measureInit } from './bundles.js';
import { lambdaEnvironment } from './lib/lambda.js';
import { atMost, type Comparison, compare, type GoalCheck, type MeasureOptions, median } from './lib/measure.js';
import { check, valueGoal } from './lib/report.js';
import { signedMetaRequest, whatsappTextDelivery } from './lib/whatsapp.js';
import { MESSAGE_TEXT } from './seal.js';
import { SECRETS, webhookFloor } from './webhook.js';

/**
 * What the inbox promises Meta and merchants, measured three ways:
 * - the acknowledgement: what the webhook does before it answers 200 (signature over the raw
 *   bytes, the object checked, the body base64-wrapped, validated and serialized for the queue)
 *   against the least any receiver does (HMAC-SHA256 hex + one JSON.parse); goal ≤ 2×;
 * - the webhook function's cold init against an empty handler's, bundled the same way; goal ≤ 3×;
 * - DynamoDB writes per new inbound message, counted at the SDK on the real worker path against
 *   the local emulator; goal ≤ 3 (contact, message, conversation).
 */
export interface InboxAckResult {
  ack: Comparison & GoalCheck & { bodyBytes: number };
  coldInit: GoalCheck & { webhookMs: number; emptyMs: number; ratio: number; runs: number };
  writes: GoalCheck & {
    messages: number;
    perMessage: number;
    readsPerMessage: number;
    commands: Record<string, number>;
  };
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);

async function measureAck(options: MeasureOptions): Promise<InboxAckResult['ack']> {
  const body = whatsappTextDelivery(MESSAGE_TEXT);
  const request = signedMetaRequest(SECRETS.appSecret, body);
  let queued = 0;
  const producer = createProducer({
    send: async () => {
      queued++;
    },
    sendBatch: async () => ({ failed: [] }),
  });
  const receive = metaReceiver({
    secrets: async () => SECRETS,
    enqueue: (delivery) => producer.send(META_EVENTS_QUEUE, delivery),
  });
  const { outcome } = await receive(request);
  if (outcome !== 'queued' || queued !== 1) throw new Error(`the bench delivery was not queued (${outcome})`);
  const comparison = await compare(() => receive(request), webhookFloor(body), options);
  return { ...comparison, ...atMost(comparison.timeRatio, 2, 'time'), bodyBytes: body.length };
}

async function measureColdInit(runs: number): Promise<InboxAckResult['coldInit']> {
  const outDir = await mkdtemp(join(tmpdir(), 'asistone-bench-ack-'));
  try {
    const env = { PATH: process.env.PATH ?? '', ...lambdaEnvironment(join(outDir, 'keys')) };
    const floor = await bundleEmptyHandler(outDir);
    const webhook = await bundle('webhook-meta', 'webhook', 'functions/webhooks/meta.ts', outDir);
    // One unmeasured start each warms the file cache alike; then alternate, so load hits both.
    await measureInit(floor.file, env);
    await measureInit(webhook.file, env);
    const empty: number[] = [];
    const subject: number[] = [];
    for (let i = 0; i < runs; i++) {
      empty.push((await measureInit(floor.file, env)).readyMs);
      subject.push((await measureInit(webhook.file, env)).readyMs);
    }
    const emptyMs = median(empty);
    const webhookMs = median(subject);
    const ratio = webhookMs / emptyMs;
    return { webhookMs, emptyMs, ratio, runs, ...atMost(ratio, 3, 'empty init') };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** A delivery with one new text message from `customer`, as Meta sends it to the demo number. */
function demoDelivery(customer: string, index: number): MetaDelivery {
  const payload = JSON.parse(whatsappTextDelivery(`Merhaba, sipariş ${index}`).toString('utf8'));
  const change = payload.entry[0].changes[0].value;
  payload.entry[0].id = DEMO_TENANT.whatsappBusinessAccountId;
  change.metadata.phone_number_id = DEMO_TENANT.whatsappPhoneNumberId;
  change.contacts[0].wa_id = customer;
  change.messages[0].from = customer;
  change.messages[0].id = `wamid.bench-${index.toString().padStart(8, '0')}`;
  change.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
  return metaDelivery(Buffer.from(JSON.stringify(payload)), Date.now());
}

async function measureWrites(messages: number): Promise<InboxAckResult['writes']> {
  const dataDir = await mkdtemp(join(tmpdir(), 'asistone-bench-writes-'));
  const emulators = await startEmulators(dataDir);
  try {
    const platform = createPlatform(readConfig(handlerEnvironment(dataDir, emulators.env)));
    const store = platform.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
    await seedDemoTenant({ store, keyring: platform.keyring });
    const log = createLogger('bench-inbox-ack');
    // One line per delivery is the worker's job, not this benchmark's output.
    log.setLogLevel('ERROR');
    const deps = { store, keyring: platform.keyring, log };
    // Warm: the tenant's data key is unwrapped once per container, not per message.
    await processMetaDelivery(deps, demoDelivery('905550000000', -1));

    const recorder = recordAwsCalls({ dynamo: platform.aws.dynamo });
    recorder.clear();
    // Half the messages come from customers seen before, half from new ones.
    for (let i = 0; i < messages; i++) {
      const customer = `90555${String(i % 2 === 0 ? i : i - 1).padStart(7, '0')}`;
      const report = await processMetaDelivery(deps, demoDelivery(customer, i));
      if (report.recorded !== 1) throw new Error(`message ${i} was not recorded: ${JSON.stringify(report)}`);
    }
    const commands: Record<string, number> = {};
    for (const call of recorder.calls) commands[call.command] = (commands[call.command] ?? 0) + 1;
    const count = (set: Set<string>) => recorder.calls.filter((call) => set.has(call.command)).length;
    const perMessage = count(WRITE_COMMANDS) / messages;
    return {
      messages,
      perMessage,
      readsPerMessage: count(READ_COMMANDS) / messages,
      commands,
      ...check(valueGoal('≤', 3, 'writes'), { value: perMessage }),
    };
  } finally {
    await emulators.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchInboxAck(options: MeasureOptions, initRuns: number): Promise<InboxAckResult> {
  return {
    ack: await measureAck(options),
    coldInit: await measureColdInit(initRuns),
    writes: await measureWrites(200),
  };
}
