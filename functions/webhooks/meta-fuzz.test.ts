import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueBacklog } from '../../packages/core/src/platform/queue/depth.js';
import { connectChannel, connectWhatsAppNumber, createTenant } from '../../packages/core/src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from '../../packages/core/tests/support/platform.js';

/**
 * Whatever a signed POST holds, Meta must never get a 5xx for it (it would retry for days), and
 * nothing it queued may end in the dead-letter queue, where a replay can never succeed: 10,000
 * fuzzed bodies through the real webhook handler (its emulated queue included), and a sample of
 * what it queued through the real `meta-events` worker.
 */
const APP_SECRET = 'fuzz-platform-app-secret-0123';
const DEMO = { tenantId: 'b_fuzz', number: '100000000000001', waba: '100000000000002' };
const PAGE = '100000000000004';
const INSTAGRAM = '17841400000000003';
const RUNS = 10_000;

let test: TestPlatform;
type Handler<E, R> = (event: E, context: Context) => Promise<R>;
let webhook: Handler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;
let worker: Handler<SQSEvent, { batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  test = await startTestPlatform();
  // The handlers read their environment once, as in Lambda: this process plays their container.
  Object.assign(process.env, test.env, {
    META_APP_SECRET: APP_SECRET,
    META_INSTAGRAM_APP_SECRET: 'fuzz-instagram-app-secret-0123',
    META_VERIFY_TOKEN: 'fuzz-verify-token-0123456789',
    LOG_LEVEL: 'ERROR',
  });
  const deps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(deps, DEMO.tenantId, 'Fuzz Dükkanı');
  await connectWhatsAppNumber(deps, DEMO.tenantId, DEMO.number, 'WhatsApp', DEMO.waba);
  await connectChannel(deps, DEMO.tenantId, { kind: 'messenger', externalId: PAGE, label: 'Sayfa' });
  await connectChannel(deps, DEMO.tenantId, { kind: 'instagram', externalId: INSTAGRAM, label: 'Instagram' });
  webhook = (await import('./meta.js')).handler as never;
  worker = (await import('../workers/meta-events.js')).handler as never;
}, 60_000);
afterAll(() => test?.stop());

const context = (remainingMs = 30_000) =>
  ({
    functionName: 'fuzz',
    awsRequestId: 'fuzz',
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

function functionUrlEvent(body: Buffer, signature: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/webhooks/meta',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    requestContext: { http: { method: 'POST', path: '/webhooks/meta' } },
    body: body.toString('base64'),
    isBase64Encoded: true,
  } as unknown as APIGatewayProxyEventV2;
}

const sign = (body: Buffer) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

/** Meta's own shapes (events/meta), as parsed objects: the fuzzer bends them at every depth. */
const SAMPLES_DIR = join(import.meta.dirname, '../../events/meta');
const samples: unknown[] = readdirSync(SAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(SAMPLES_DIR, name), 'utf8')));

/** Every path into a JSON value, so an edit can land anywhere, the root included. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...at, i])));
  if (value && typeof value === 'object') {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...at, key])));
  }
  return here;
}

function replaced(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replaced(copy[head], rest, replacement);
  return copy;
}

/** Values Meta's fields could plausibly be mistaken for, and some that are plainly hostile. */
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1764374400000',
    '99999999999999999999',
    'NaN',
    '😀👍🏽',
    '\u0000',
    '\ud83d',
    '__proto__',
    DEMO.number,
    DEMO.waba,
    PAGE,
    INSTAGRAM,
    'whatsapp_business_account',
    'page',
    'instagram',
    'messages',
    'is_echo',
    1e308,
    -0,
    Number.MAX_SAFE_INTEGER,
    true,
    null,
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A body: a sample bent in a few places, a random JSON document, or bytes that are not JSON. */
const body = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), oddValue), { minLength: 1, maxLength: 4 }))
      .map(([sample, edits]) => {
        let value = sample;
        for (const [n, replacement] of edits) {
          const paths = pathsOf(value);
          value = replaced(value, paths[n % paths.length] ?? [], replacement);
        }
        return Buffer.from(JSON.stringify(value), 'utf8');
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        object: fc.constantFrom('whatsapp_business_account', 'page', 'instagram'),
        entry: fc.jsonValue({ maxDepth: 4 }),
      })
      .map((value) => Buffer.from(JSON.stringify(value), 'utf8')),
  },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
);

async function queueDepths() {
  const { sqs } = test.platform.aws;
  return {
    queued: await queueBacklog(sqs, test.env.QUEUE_URL_META_EVENTS as string),
    dead: await queueBacklog(sqs, test.env.QUEUE_URL_META_EVENTS_DLQ as string),
  };
}

describe('the Meta webhook under fuzzed signed bodies', () => {
  it(`answers ${RUNS.toLocaleString('en')} fuzzed signed bodies without a 5xx`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (bytes) => {
        const result = await webhook(functionUrlEvent(bytes, sign(bytes)), context());
        const status = result.statusCode ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: 20261130 },
    );
    // The run means something only if most bodies were queued, i.e. reached the worker's side.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS * 0.7);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect((await queueDepths()).queued).toBeGreaterThan(RUNS * 0.6);
  }, 300_000);

  it('processes a sample of what it queued through the worker with nothing dead-lettered', async () => {
    let handled = 0;
    while (handled < 600) {
      const received = await test.platform.aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: test.env.QUEUE_URL_META_EVENTS,
          MaxNumberOfMessages: 10,
          AttributeNames: ['All'],
          VisibilityTimeout: 600,
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      const event = {
        Records: messages.map((message) => ({
          messageId: message.MessageId,
          receiptHandle: message.ReceiptHandle,
          body: message.Body,
          attributes: { ...message.Attributes, ApproximateReceiveCount: '1' },
          messageAttributes: {},
          eventSource: 'aws:sqs',
        })),
      } as unknown as SQSEvent;
      const result = await worker(event, context());
      expect(result.batchItemFailures).toEqual([]);
      handled += messages.length;
    }
    expect(handled).toBeGreaterThanOrEqual(600);
    expect((await queueDepths()).dead).toBe(0);
    // Bent samples that still hold a good message were stored: the worker did real work.
    const stored = await test.platform.store.entities.conversation.query
      .byId({ tenantId: DEMO.tenantId })
      .go({ pages: 'all' });
    expect(stored.data.length).toBeGreaterThan(0);
  }, 240_000);
});
