import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lambdaContext } from '../../local/src/lambda.js';
import { META_EVENTS_QUEUE } from '../src/channels/meta/queue.js';
import { MAIL_QUEUE } from '../src/notify/queue.js';
import { PermanentError } from '../src/platform/errors.js';
import type { DeadLetter } from '../src/platform/queue/dead-letters.js';
import type { QueueDeclaration } from '../src/platform/queue/declarations.js';
import { createProducer } from '../src/platform/queue/producer.js';
import { type PartialBatchResponse, type QueueRecord, queueWorker } from '../src/platform/queue/worker.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * A slow batch against the real platform (emulated S3, SQS and DynamoDB): the worker must
 * answer before its function's deadline with only the unfinished messages as failures, and a
 * message finished for good (succeeded or dead-lettered) must stay finished when SQS delivers
 * it again: after a lost acknowledgement, or after a batch that ran out of time.
 */
const log = new Logger({ logLevel: 'SILENT' });
const TENANT = 't_settle';

/** A small message of our own; the queues' names and dead-letter queues are the product's. */
const Note = z.object({ tenantId: z.string(), n: z.number(), padding: z.string().optional() });
const parallelQueue = { ...META_EVENTS_QUEUE, message: Note } as const satisfies QueueDeclaration;
const sequentialQueue = { ...MAIL_QUEUE, message: Note, sequential: true } as const satisfies QueueDeclaration;

let test: TestPlatform;
beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(async () => {
  await test?.stop();
});

let nextId = 0;
function record(body: string, receiveCount = 1): QueueRecord {
  nextId++;
  return {
    messageId: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`,
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    eventSource: 'aws:sqs',
  };
}

/** The same message again, as SQS delivers it after a failure or a lost acknowledgement. */
function redelivered(original: QueueRecord, receiveCount: number): QueueRecord {
  return { ...original, attributes: { ...original.attributes, ApproximateReceiveCount: String(receiveCount) } };
}

/** The body the real producer queues for a message: inline, or a claim check when large. */
async function queuedBody(message: z.infer<typeof Note>): Promise<string> {
  const bodies: string[] = [];
  const producer = createProducer(
    { send: async (_queue, body) => void bodies.push(body), sendBatch: async () => ({ failed: [] }) },
    test.platform.blobs,
  );
  await producer.send(parallelQueue, message);
  return bodies[0] as string;
}

function build<Q extends QueueDeclaration>(declared: Q, handle: (message: z.infer<typeof Note>) => Promise<void>) {
  const dead: DeadLetter[] = [];
  const { blobs, deadLetters, settlements } = test.platform;
  const worker = queueWorker(
    declared,
    () => ({
      blobs,
      settlements,
      log,
      deadLetters: {
        async send(letter) {
          dead.push(letter);
          await deadLetters.send(letter);
        },
      },
    }),
    (message) => handle(message as z.infer<typeof Note>),
  );
  return { worker, dead };
}

/**
 * Runs a worker as Lambda does: with a context whose clock runs, and the whole batch failed
 * (every message comes back) when the function has not answered by its timeout.
 */
async function invokeAsLambda(
  worker: (event: { Records: QueueRecord[] }, context?: Context) => Promise<PartialBatchResponse>,
  records: QueueRecord[],
  timeoutSeconds: number,
): Promise<{ failed: string[]; timedOut: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), timeoutSeconds * 1000);
  });
  const answer = await Promise.race([
    worker({ Records: records }, lambdaContext('worker-test', timeoutSeconds)),
    timeout,
  ]);
  clearTimeout(timer);
  if (answer === 'timed out') return { failed: records.map((r) => r.messageId), timedOut: true };
  return { failed: answer.batchItemFailures.map((failure) => failure.itemIdentifier), timedOut: false };
}

/** A handler that is slow for one message until the test lets it finish. */
function slowFor(slow: number) {
  const started: number[] = [];
  const finished: number[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handle = async (message: z.infer<typeof Note>) => {
    started.push(message.n);
    if (message.n === slow) await released;
    finished.push(message.n);
  };
  return { handle, started, finished, release: () => release() };
}

describe('a batch that would outrun its function', () => {
  it('in turn: answers before the deadline, failing the unfinished and unstarted messages only', async () => {
    const slow = slowFor(2);
    const { worker, dead } = build(sequentialQueue, slow.handle);
    const records = await Promise.all([1, 2, 3, 4].map(async (n) => record(await queuedBody({ tenantId: TENANT, n }))));

    const out = await invokeAsLambda(worker, records, 2);

    expect(out.timedOut).toBe(false);
    // 1 finished and is acknowledged; 2 ran out of time; 3 and 4 were never started.
    expect(out.failed).toEqual([records[1]?.messageId, records[2]?.messageId, records[3]?.messageId]);
    expect(slow.started).toEqual([1, 2]);
    expect(dead).toEqual([]);
    slow.release();
  });

  it('in parallel: the finished messages are acknowledged, the slow one alone comes back', async () => {
    const slow = slowFor(2);
    const { worker, dead } = build(parallelQueue, slow.handle);
    const records = await Promise.all([1, 2, 3].map(async (n) => record(await queuedBody({ tenantId: TENANT, n }))));

    const out = await invokeAsLambda(worker, records, 2);

    expect(out.timedOut).toBe(false);
    expect(out.failed).toEqual([records[1]?.messageId]);
    expect(dead).toEqual([]);

    // The slow work was not cancelled; once it finishes, its redelivery is recognised as done.
    slow.release();
    const ref = { tenantId: TENANT, queue: parallelQueue.name, messageId: records[1]?.messageId as string };
    await expect.poll(() => test.platform.settlements.find(ref)).toBe('succeeded');
    const again = await invokeAsLambda(worker, [redelivered(records[1] as QueueRecord, 2)], 2);
    expect(again.failed).toEqual([]);
    expect(slow.started.filter((n) => n === 2)).toHaveLength(1);
    expect(dead).toEqual([]);
  });
});

describe('a message finished for good, delivered again', () => {
  it('a claim-checked message that succeeded is acknowledged again, not dead-lettered', async () => {
    const handled: number[] = [];
    const { worker, dead } = build(parallelQueue, async (message) => void handled.push(message.n));
    const body = await queuedBody({ tenantId: TENANT, n: 7, padding: 'x'.repeat(300 * 1024) });
    expect(JSON.parse(body)).toHaveProperty('$claimCheck');
    const first = record(body);

    expect((await worker({ Records: [first] })).batchItemFailures).toEqual([]);
    // Its acknowledgement was lost: SQS delivers it again after the visibility timeout.
    const again = await worker({ Records: [redelivered(first, 2)] });

    expect(again.batchItemFailures).toEqual([]);
    expect(dead).toEqual([]);
    expect(handled).toEqual([7]);
    // Finished for good: its stored body is removed.
    const pointer = JSON.parse(body) as { $claimCheck: string };
    expect(await test.platform.blobs.get(TENANT, pointer.$claimCheck)).toBeUndefined();
  });

  it('a message dead-lettered once is not dead-lettered again when it comes back', async () => {
    const { worker, dead } = build(parallelQueue, async (message) => {
      if (message.n === 1) throw new PermanentError('no such channel for this business');
      throw new Error('provider unavailable');
    });
    const permanent = record(await queuedBody({ tenantId: TENANT, n: 1 }));
    const lastTry = record(await queuedBody({ tenantId: TENANT, n: 2 }), parallelQueue.maxReceiveCount);

    expect((await worker({ Records: [permanent, lastTry] })).batchItemFailures).toEqual([]);
    expect(dead).toHaveLength(2);
    const again = await worker({
      Records: [redelivered(permanent, 2), redelivered(lastTry, parallelQueue.maxReceiveCount + 1)],
    });

    expect(again.batchItemFailures).toEqual([]);
    // Still one dead letter each (the batch is handled in parallel: any order).
    expect(dead.map((letter) => letter.reason).sort()).toEqual([
      'Error: provider unavailable',
      'PermanentError: no such channel for this business',
    ]);
  });

  it('keeps the stored body of a dead-lettered claim-checked message, so it can be replayed', async () => {
    const { worker, dead } = build(parallelQueue, async () => {
      throw new PermanentError('refused');
    });
    const body = await queuedBody({ tenantId: TENANT, n: 9, padding: 'y'.repeat(300 * 1024) });
    await worker({ Records: [record(body)] });

    expect(dead).toHaveLength(1);
    const pointer = JSON.parse(body) as { $claimCheck: string };
    expect(await test.platform.blobs.get(TENANT, pointer.$claimCheck)).toBeDefined();
  });
});
