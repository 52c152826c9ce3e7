import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { platform } from '@asistone/core/platform/context';
import type { KeyProvider } from '@asistone/core/platform/crypto/key-provider';
import { queueOnlyPlatform } from '@asistone/core/platform/queue/queue-only';
import { TABLE } from '@asistone/core/platform/store/table';
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { lambdaSqsRecords } from '../packages/local/src/pollers.js';
import { functionUrlEvent, lambdaContext } from './lib/lambda.js';
import { median } from './lib/measure.js';
import { signedMetaRequest } from './lib/whatsapp.js';

/**
 * The life of a message on the real Lambda handlers, in a process of its own as in a Lambda
 * container (cost-inputs.ts starts it, with the local emulators and the fake Meta in its own
 * process). Each handler module is imported as Lambda loads it and invoked with the event
 * Lambda gives it: the Meta webhook with a function-URL event, each worker with the SQS batch
 * its event source would receive (the receive and delete of each batch counted for it). What
 * every invocation asks of AWS is counted by middleware added to the platform's own SDK clients;
 * the data keys the keyring unwraps (a KMS Decrypt each in AWS) by wrapping its key provider;
 * what it prints (its CloudWatch log lines) by taking over stdout while it runs.
 *
 * Reads its job from argv as JSON and prints one JSON line: the {@link CostRun}.
 */

export interface CostJob {
  env: Record<string, string>;
  appSecret: string;
  tenantId: string;
  phoneNumberId: string;
  wabaId: string;
  /** Where the fake Meta's status webhooks were collected: GET answers and forgets them. */
  collectorUrl: string;
  /** Inbound messages measured (after `warmup` unmeasured ones), half from customers seen before. */
  messages: number;
  warmup: number;
  /** Replies measured (one per measured conversation). */
  replies: number;
  /** The campaign's recipients (the fan-out message is already queued). */
  recipients: number;
  /** Inbox polls measured, and who signs in to make them. */
  polls: number;
  owner: { email: string; password: string };
}

/** What one function did for one phase. */
export interface FunctionUsage {
  invocations: number;
  durationsMs: number[];
  /** Commands by service: `dynamodb:PutItem`, `sqs:SendMessage`, `s3:PutObject`, `kms:Decrypt`. */
  requests: Record<string, number>;
  /** Capacity units the emulator reported for the table itself. */
  readUnits: number;
  writeUnits: number;
  /** Write units to the global secondary indexes, from the items written (the emulator reports none). */
  indexWriteUnits: number;
  /** Conditional writes refused: in AWS they still consume a write unit. */
  refusedWrites: number;
  /** Data keys the keyring unwrapped (KMS Decrypt in AWS). */
  dataKeyUnwraps: number;
  logBytes: number;
  logLines: number;
}

export type Phase = 'inbound' | 'reply' | 'campaign' | 'poll';

export interface CostRun {
  floor: { roundTrips: number; medianMs: number };
  /** The first invocation of a fresh process: data keys unwrapped, SDK KMS calls. */
  coldStart: { dataKeyUnwraps: number; kmsCalls: number; function: string };
  phases: Record<Phase, Record<string, FunctionUsage>>;
  /** Table bytes (items with the 100-byte overhead, and their index copies) before and after each phase. */
  storage: Record<Exclude<Phase, 'poll'>, { itemsAdded: number; tableBytes: number; indexBytes: number }>;
  counts: {
    messages: number;
    replies: number;
    statuses: Record<Exclude<Phase, 'poll'>, number>;
    recipients: number;
    polls: number;
    /** Bytes of the API's answers to the measured polls (CloudFront's transfer out). */
    pollResponseBytes: number;
  };
  memory: { rssBytes: number; heapUsedBytes: number };
}

const job = JSON.parse(process.argv[2] as string) as CostJob;
Object.assign(process.env, job.env, {
  // The platform app's deployment secrets (SSM in AWS).
  META_APP_SECRET: job.appSecret,
  META_VERIFY_TOKEN: 'cost-inputs-verify-token',
  LOG_LEVEL: 'INFO',
});

const usage: Record<Phase, Record<string, FunctionUsage>> = { inbound: {}, reply: {}, campaign: {}, poll: {} };
let phase: Phase = 'inbound';
let current: string | undefined;
let coldUnwraps = 0;
let coldKms = 0;
let measuring = false;

function usageOf(fn: string): FunctionUsage {
  const existing = usage[phase][fn];
  if (existing) return existing;
  const fresh: FunctionUsage = {
    invocations: 0,
    durationsMs: [],
    requests: {},
    readUnits: 0,
    writeUnits: 0,
    indexWriteUnits: 0,
    refusedWrites: 0,
    dataKeyUnwraps: 0,
    logBytes: 0,
    logLines: 0,
  };
  usage[phase][fn] = fresh;
  return fresh;
}
const here = () => (measuring && current ? usageOf(current) : undefined);

// ── Item sizes as DynamoDB counts them ────────────────────────────────────────────────────────
type Item = Record<string, AttributeValue>;
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + n.length / 2 + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}
const INDEXES = Object.values(TABLE.indexes);
/** Write units an item costs in the indexes it appears in (all attributes projected, or keys only). */
function indexWriteUnits(item: Item, keysOnlyToo: boolean): number {
  let units = 0;
  for (const index of INDEXES) {
    if (!item[index.partitionKey] || !item[index.sortKey]) continue;
    if (index.projection === 'ALL') units += Math.max(1, Math.ceil(itemBytes(item) / 1024));
    else if (keysOnlyToo) units += 1;
  }
  return units;
}

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
/** The item in DynamoDB's wire form: the document client hands middleware its plain values. */
function wire(item: Record<string, unknown>): Item {
  const typed = Object.values(item).every((value) => {
    const keys = value && typeof value === 'object' ? Object.keys(value) : [];
    return keys.length === 1 && TYPES.has(keys[0] as string);
  });
  return typed ? (item as Item) : marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true });
}

// ── Counting on the platform's clients ─────────────────────────────────────────────────────────
interface MiddlewareClient {
  middlewareStack: {
    add(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware generics differ per client.
      middleware: (next: any, context: any) => (args: any) => Promise<any>,
      options: { step: 'serialize'; priority: 'high'; name: string; override: boolean },
    ): void;
  };
}

const DYNAMO_CAPACITY = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
]);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
/** Items an update touched, read back after the invocation to price their index copies. */
const updatedKeys: { usage: FunctionUsage; table: string; key: Item }[] = [];

function count(service: string, client: MiddlewareClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName).replace(/Command$/, '');
      const at = here();
      if (service === 'kms' && current && !measuring) coldKms++;
      if (!at) return next(args);
      at.requests[`${service}:${command}`] = (at.requests[`${service}:${command}`] ?? 0) + 1;
      if (service !== 'dynamodb' || !DYNAMO_CAPACITY.has(command)) return next(args);
      const input = { ...args.input, ReturnConsumedCapacity: 'TOTAL' };
      try {
        const result = await next({ ...args, input });
        const consumed = [result.output.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
        const units = consumed.reduce((sum, one) => sum + (one.CapacityUnits ?? 0), 0);
        if (WRITES.has(command)) at.writeUnits += units;
        else at.readUnits += units;
        if (command === 'PutItem') at.indexWriteUnits += indexWriteUnits(wire(input.Item), true);
        if (command === 'BatchWriteItem') {
          for (const requests of Object.values(input.RequestItems) as {
            PutRequest?: { Item: Record<string, unknown> };
          }[][]) {
            for (const request of requests) {
              if (request.PutRequest) at.indexWriteUnits += indexWriteUnits(wire(request.PutRequest.Item), true);
            }
          }
        }
        if (command === 'UpdateItem') updatedKeys.push({ usage: at, table: input.TableName, key: wire(input.Key) });
        if (command === 'DeleteItem') at.indexWriteUnits += 1;
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          at.refusedWrites++;
          at.writeUnits += 1;
        }
        throw error;
      }
    },
    // After every initialize step (the document client marshals there): the input as sent.
    { step: 'serialize', priority: 'high', name: `cost-count-${service}`, override: true },
  );
}

const { aws, keyring, config } = platform();
for (const [service, client] of Object.entries({
  dynamodb: aws.dynamo,
  sqs: aws.sqs,
  s3: aws.s3,
  kms: aws.kms,
})) {
  count(service, client as unknown as MiddlewareClient);
}
for (const [service, client] of Object.entries(queueOnlyPlatform().aws)) {
  count(service === 'dynamo' ? 'dynamodb' : service, client as unknown as MiddlewareClient);
}

// The keyring's provider, wrapped: each unwrap is one KMS Decrypt in AWS (kms-key-provider.ts).
const ring = keyring as unknown as { provider: KeyProvider };
const provider = ring.provider;
ring.provider = {
  kind: provider.kind,
  createTenantKey: (tenantId) => provider.createTenantKey(tenantId),
  generateDataKey: (tenantId, keyRef) => provider.generateDataKey(tenantId, keyRef),
  destroyTenantKey: (tenantId, keyRef) => provider.destroyTenantKey(tenantId, keyRef),
  unwrapDataKey(tenantId, keyRef, wrapped) {
    const at = here();
    if (at) at.dataKeyUnwraps++;
    else if (current) coldUnwraps++;
    return provider.unwrapDataKey(tenantId, keyRef, wrapped);
  },
};

// What handlers print is their CloudWatch Logs ingestion: counted, not shown.
const write = process.stdout.write.bind(process.stdout);
/** The last lines handlers printed, for an error's message. */
const recent: string[] = [];
const swallow = (chunk: string | Uint8Array) => {
  recent.push(String(chunk).slice(0, 600));
  recent.splice(0, Math.max(0, recent.length - 3));
  const at = here();
  if (at) {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    at.logBytes += Buffer.byteLength(text);
    at.logLines += text.split('\n').filter((line) => line.trim()).length;
  }
  return true;
};
process.stdout.write = swallow as typeof process.stdout.write;
process.stderr.write = swallow as typeof process.stderr.write;

// Plain clients for the bench's own work (the event source's receives, the floor, the scans): not counted.
const endpoint = (url: string | undefined) => ({
  endpoint: url,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  region: config.AWS_REGION,
});
const sqs = new SQSClient(endpoint(config.AWS_ENDPOINT_URL_SQS));
const dynamo = new DynamoDBClient(endpoint(config.AWS_ENDPOINT_URL_DYNAMODB));

// ── Invoking handlers ──────────────────────────────────────────────────────────────────────────
type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const handlers: Record<string, Handler> = {};
async function load(fn: string, file: string) {
  handlers[fn] = (await import(file)).handler as Handler;
}

async function invoke(fn: string, event: unknown, measured: boolean): Promise<unknown> {
  current = fn;
  measuring = measured;
  const at = here();
  const started = performance.now();
  try {
    return await (handlers[fn] as Handler)(event, lambdaContext(`asistone-cost-${fn}`));
  } finally {
    const took = performance.now() - started;
    if (at) {
      at.invocations++;
      at.durationsMs.push(took);
    }
    current = undefined;
    measuring = false;
  }
}

/** Prices the index copies of the items updates touched, from what they hold now (outside the timing). */
async function priceUpdates() {
  for (const { usage: at, table, key } of updatedKeys.splice(0)) {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (Item) at.indexWriteUnits += indexWriteUnits(Item, false);
  }
}

const QUEUE_HANDLERS: Record<string, string> = {
  'meta-events': '../functions/workers/meta-events.js',
  'ai-replies': '../functions/workers/ai-replies.js',
  outbound: '../functions/workers/outbound.js',
  'campaign-fanout': '../functions/workers/campaign-fanout.js',
  'campaign-send': '../functions/workers/campaign-send.js',
  media: '../functions/workers/media.js',
};
const BATCH: Record<string, number> = {};

function sqsEvent(queueUrl: string, messages: Message[]) {
  return { Records: lambdaSqsRecords(queueUrl, config.AWS_REGION, messages) };
}

/**
 * Delivers what is waiting on `queue` to its worker as the event source does (batches of the
 * declared size, one ReceiveMessage and one DeleteMessageBatch per batch, counted for the
 * worker), until the queue stays empty for `idleMs`. Returns the bodies delivered.
 */
async function drain(queue: string, measured: boolean, idleMs = 0, batchSize = BATCH[queue] ?? 10): Promise<string[]> {
  const queueUrl = config.queueUrl(queue);
  const fn = `worker-${queue}`;
  const bodies: string[] = [];
  let idleSince = Date.now();
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) {
      if (Date.now() - idleSince >= idleMs) return bodies;
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const result = (await invoke(fn, sqsEvent(queueUrl, messages), measured)) as
      | { batchItemFailures?: { itemIdentifier: string }[] }
      | undefined;
    const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    if (failed.size > 0) throw new Error(`${fn} failed ${failed.size} of ${messages.length} messages`);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
      }),
    );
    if (measured) {
      const requests = usageOf(fn).requests;
      for (const name of ['sqs:ReceiveMessage (event source)', 'sqs:DeleteMessageBatch (event source)']) {
        requests[name] = (requests[name] ?? 0) + 1;
      }
    }
    bodies.push(...messages.map((message) => message.Body ?? ''));
    await priceUpdates();
    idleSince = Date.now();
  }
}

/** Posts a signed Meta delivery to the webhook handler, then delivers what it queued. */
async function webhook(body: Buffer, measured: boolean) {
  const request = signedMetaRequest(job.appSecret, body);
  const answer = (await invoke('webhook-meta', functionUrlEvent('/webhooks/meta', request), measured)) as {
    statusCode: number;
  };
  if (answer.statusCode !== 200) throw new Error(`the webhook answered ${answer.statusCode}`);
}

/** One inbound text from `waId`, as Meta delivers it to the business's number. */
function inboundDelivery(waId: string, n: number): Buffer {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: job.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905320001122', phone_number_id: job.phoneNumberId },
              contacts: [{ profile: { name: `Müşteri ${n}` }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.cost-inputs-${String(n).padStart(8, '0')}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `Merhaba, ${n} numaralı siparişim ne zaman kargoya verilir?` },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  return Buffer.from(JSON.stringify(payload));
}

/** The table's items, their bytes with DynamoDB's 100-byte overhead, and their index copies. */
async function tableBytes() {
  let items = 0;
  let tableBytes = 0;
  let indexBytes = 0;
  let start: Item | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: config.TABLE_NAME, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      items++;
      const size = itemBytes(item) + 100;
      tableBytes += size;
      for (const index of INDEXES) {
        if (!item[index.partitionKey] || !item[index.sortKey]) continue;
        if (index.projection === 'ALL') indexBytes += size;
        else {
          const keys = new Set([TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey]);
          indexBytes +=
            100 +
            [...keys].reduce(
              (sum, name) => sum + (item[name] ? Buffer.byteLength(name) + valueBytes(item[name]) : 0),
              0,
            );
        }
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, tableBytes, indexBytes };
}

/** What a path added to the table: items, their bytes, and their index copies' bytes. */
function grownBy(before: Awaited<ReturnType<typeof tableBytes>>, after: Awaited<ReturnType<typeof tableBytes>>) {
  return {
    itemsAdded: after.items - before.items,
    tableBytes: after.tableBytes - before.tableBytes,
    indexBytes: after.indexBytes - before.indexBytes,
  };
}

/**
 * The fake Meta's status webhooks collected since the last call: waits for `expected` (three
 * per message sent), then for a second with nothing new.
 */
async function collectedStatuses(expected: number): Promise<Buffer[]> {
  const bodies: Buffer[] = [];
  const deadline = Date.now() + 20_000;
  let lastNew = Date.now();
  while (Date.now() < deadline) {
    const answer = await fetch(job.collectorUrl);
    const fresh = ((await answer.json()) as string[]).map((body) => Buffer.from(body, 'base64'));
    if (fresh.length > 0) lastNew = Date.now();
    bodies.push(...fresh);
    if (bodies.length >= expected || (bodies.length > 0 && Date.now() - lastNew > 1_000)) {
      if (bodies.length >= expected) await new Promise((resolve) => setTimeout(resolve, 300));
      const late = await fetch(job.collectorUrl);
      bodies.push(...((await late.json()) as string[]).map((body) => Buffer.from(body, 'base64')));
      return bodies;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (bodies.length === 0) throw new Error(`the fake Meta sent no status webhook of ${expected}`);
  return bodies;
}

/** Meta's statuses for what was just sent, each through the webhook and `meta-events`, measured; answers how many. */
async function deliverStatuses(expected: number): Promise<number> {
  const bodies = await collectedStatuses(expected);
  for (const body of bodies) {
    await webhook(body, true);
    await drain('meta-events', true, 0, 1);
  }
  return bodies.length;
}

async function floorRoundTrips(count: number) {
  const took: number[] = [];
  const padding = 'x'.repeat(300);
  for (let i = 0; i < count; i++) {
    const key = { pk: { S: 'bench#cost-floor' }, sk: { S: `rt#${i % 10}` } };
    const started = performance.now();
    await dynamo.send(new PutItemCommand({ TableName: config.TABLE_NAME, Item: { ...key, body: { S: padding } } }));
    await dynamo.send(new GetItemCommand({ TableName: config.TABLE_NAME, Key: key }));
    took.push(performance.now() - started);
  }
  return { roundTrips: count, medianMs: median(took) };
}

async function main(): Promise<CostRun> {
  const { PRODUCT } = await import('@asistone/core/product/areas');
  for (const queue of PRODUCT.queues) BATCH[queue.name] = queue.batchSize;
  await load('webhook-meta', '../functions/webhooks/meta.js');
  for (const [queue, file] of Object.entries(QUEUE_HANDLERS)) await load(`worker-${queue}`, file);

  const storage = {} as CostRun['storage'];
  const statuses = {} as CostRun['counts']['statuses'];
  const waIdOf = (n: number) => `90554${String(n).padStart(7, '0')}`;

  // Inbound: the first message is the cold start; then warm-up; then the measured messages,
  // each alone in its batch as a merchant's customers write seconds apart.
  phase = 'inbound';
  await webhook(inboundDelivery(waIdOf(0), 0), false);
  await drain('meta-events', false);
  const coldStart = { dataKeyUnwraps: coldUnwraps, kmsCalls: coldKms, function: 'worker-meta-events' };
  await drain('ai-replies', false);
  for (let n = 1; n < job.warmup; n++) {
    await webhook(inboundDelivery(waIdOf(n), n), false);
    await drain('meta-events', false);
    await drain('ai-replies', false);
  }
  const floor = await floorRoundTrips(200);
  let before = await tableBytes();
  const conversations: string[] = [];
  for (let i = 0; i < job.messages; i++) {
    // Half the messages come from customers who wrote before (the warm-up's), half from new ones.
    const customer = i % 2 === 0 ? 1 + (i % Math.max(1, job.warmup - 1)) : 1000 + i;
    await webhook(inboundDelivery(waIdOf(customer), 100 + i), true);
    await drain('meta-events', true, 0, 1);
    for (const body of await drain('ai-replies', true, 0, 1)) {
      const { conversationId } = JSON.parse(body) as { conversationId: string };
      if (!conversations.includes(conversationId)) conversations.push(conversationId);
    }
    await drain('media', true);
  }
  let after = await tableBytes();
  storage.inbound = grownBy(before, after);

  // Replies: an agent's reply is stored and queued by the API (queueReply, as the inbox route
  // calls it), sent by the outbound worker; Meta then posts its sent, delivered and read statuses.
  phase = 'reply';
  const { queueReply } = await import('@asistone/core/inbox/replies');
  const { INBOX_RECORDS } = await import('@asistone/core/inbox/records');
  const { TENANCY_RECORDS } = await import('@asistone/core/tenancy/records');
  const { storeOf, producer, blobs } = platform();
  const replyDeps = { store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }), keyring, producer, blobs };
  handlers['api (queueReply)'] = async (input: unknown) => {
    const { conversationId, n } = input as { conversationId: string; n: number };
    return queueReply(replyDeps, job.tenantId, conversationId, 'u_cost_inputs_agent', {
      kind: 'text',
      text: 'Siparişiniz yarın kargoya verilecek, takip numarası SMS ile gelecek. İyi günler!',
      clientId: `cost-inputs-${n}`,
    });
  };
  // Warm the outbound worker and the fake's statuses once, unmeasured.
  await invoke('api (queueReply)', { conversationId: conversations[0], n: -1 }, false);
  await drain('outbound', false);
  await collectedStatuses(3);
  before = await tableBytes();
  const replies = Math.min(job.replies, conversations.length);
  for (let n = 0; n < replies; n++) {
    await invoke('api (queueReply)', { conversationId: conversations[n], n }, true);
    await drain('outbound', true, 0, 1);
  }
  statuses.reply = await deliverStatuses(replies * 3);
  after = await tableBytes();
  storage.reply = grownBy(before, after);

  // A campaign: its fan-out message is waiting; fan-out, then the send batches, then the statuses.
  phase = 'campaign';
  before = await tableBytes();
  await drain('campaign-fanout', true, 500);
  await drain('campaign-send', true, 1_500);
  statuses.campaign = await deliverStatuses(job.recipients * 3);
  after = await tableBytes();
  storage.campaign = grownBy(before, after);
  statuses.inbound = 0;

  // The open inbox: every 1.5 s the web app asks the API for the conversation list, the open
  // conversation and its newest messages (packages/web/src/api/inbox.ts), each a request to the
  // API function through CloudFront.
  phase = 'poll';
  await load('api', '../functions/api/router.js');
  const { ORIGIN_SECRET_HEADER } = await import('@asistone/core/platform/front-door');
  const api = async (method: string, path: string, body: unknown, token: string | undefined, measured: boolean) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [ORIGIN_SECRET_HEADER]: job.env.ORIGIN_SECRET as string,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const request = {
      method,
      path,
      query: new URLSearchParams(),
      headers,
      body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
    };
    const answer = (await invoke('api', functionUrlEvent('', request), measured)) as {
      statusCode: number;
      body: string;
    };
    if (answer.statusCode !== 200)
      throw new Error(`${method} ${path} answered ${answer.statusCode}: ${answer.body} ${recent.join(' ')}`);
    if (measured) pollResponseBytes += Buffer.byteLength(answer.body);
    return JSON.parse(answer.body) as Record<string, unknown>;
  };
  let pollResponseBytes = 0;
  const { accessToken } = (await api('POST', '/api/auth/login', job.owner, undefined, false)) as {
    accessToken: string;
  };
  const open = conversations[0] as string;
  const tick = async (measured: boolean) => {
    await api('GET', `/api/businesses/${job.tenantId}/conversations`, undefined, accessToken, measured);
    await api('GET', `/api/businesses/${job.tenantId}/conversations/${open}`, undefined, accessToken, measured);
    await api(
      'GET',
      `/api/businesses/${job.tenantId}/conversations/${open}/messages`,
      undefined,
      accessToken,
      measured,
    );
  };
  for (let i = 0; i < 3; i++) await tick(false);
  for (let i = 0; i < job.polls; i++) await tick(true);

  // What a warm container holds: the live heap after a collection, and the process's RSS.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const memory = process.memoryUsage();
  return {
    floor,
    coldStart,
    phases: usage,
    storage,
    counts: {
      messages: job.messages,
      replies,
      statuses,
      recipients: job.recipients,
      polls: job.polls,
      pollResponseBytes,
    },
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
  };
}

main().then(
  (run) => {
    write(`${JSON.stringify(run)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write = process.stdout.write = write;
    write(
      `ERROR ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).replace(/\n\s*/g, ' | ')}\n`,
    );
    process.exit(1);
  },
);
