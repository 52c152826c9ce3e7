import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { META_EVENTS_QUEUE } from '../src/channels/meta/queue.js';
import { replayDeadLetters } from '../src/ops/dead-letters.js';
import type { Blobs } from '../src/platform/blobs.js';
import { PermanentError } from '../src/platform/errors.js';
import { createLogger } from '../src/platform/log.js';
import { sqsDeadLetters } from '../src/platform/queue/dead-letters.js';
import { createProducer, sqsSink } from '../src/platform/queue/producer.js';
import type { Settlements } from '../src/platform/queue/settlements.js';
import { type QueueRecord, queueWorker } from '../src/platform/queue/worker.js';
import {
  currentTraceId,
  newTraceId,
  startTrace,
  TRACE_ATTRIBUTE,
  validTraceId,
  withTrace,
  xRayTraceRoot,
} from '../src/platform/trace.js';

type Input = {
  QueueUrl?: string;
  MessageBody?: string;
  MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }>;
  Entries?: { Id: string; MessageBody?: string; MessageAttributes?: Record<string, { StringValue?: string }> }[];
};

/** An SQS client that keeps what it is asked to send and answers every entry sent. */
function recordingSqs() {
  const sent: { command: string; input: Input }[] = [];
  const sqs = {
    async send(command: { constructor: { name: string }; input: Input }) {
      sent.push({ command: command.constructor.name, input: command.input });
      if (command.input.Entries) {
        return { Successful: command.input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
      }
      return {};
    },
  } as unknown as SQSClient;
  return { sqs, sent };
}

const attributeOf = (input: Input | undefined) => input?.MessageAttributes?.[TRACE_ATTRIBUTE]?.StringValue;
const delivery = (n: number) => metaDelivery(Buffer.from(`{"n":${n}}`), 1 + n);
const settlements: Settlements = { find: async () => undefined, record: async () => true };
const silent = createLogger('trace-test');
silent.setLogLevel('SILENT');

function record(id: string, body: unknown, traceId?: string): QueueRecord {
  return {
    messageId: id,
    body: JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1' },
    ...(traceId !== undefined && {
      messageAttributes: { [TRACE_ATTRIBUTE]: { stringValue: traceId, dataType: 'String' } },
    }),
    eventSource: 'aws:sqs',
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('trace context', () => {
  it('keeps a valid id, and replaces a missing or malformed one with a fresh id', () => {
    const id = newTraceId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(withTrace(id, currentTraceId)).toBe(id);
    expect(withTrace(id.toUpperCase(), currentTraceId)).toBe(id);
    for (const bad of [undefined, '', 'short', 'x'.repeat(40), `${id}<script>`, `${id} OR 1=1`, '-'.repeat(65), 42]) {
      const replaced = withTrace(bad, currentTraceId);
      expect(replaced, String(bad)).toMatch(/^[0-9a-f]{32}$/);
      expect(replaced).not.toBe(bad);
    }
    expect(validTraceId('9'.repeat(65))).toBeUndefined();
  });

  it('gives deliveries running side by side each their own id', async () => {
    const seen = await Promise.all(
      ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)].map((id, index) =>
        withTrace(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, 30 - index * 10));
          return [id, currentTraceId()];
        }),
      ),
    );
    for (const [given, found] of seen) expect(found).toBe(given);
    expect(currentTraceId()).toBeUndefined();
  });

  it('starts from the X-Ray root on AWS, and from a fresh id elsewhere', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    expect(startTrace(currentTraceId)).toBe('1-5759e988-bd862e3fe1be46a994272793');
    // Outside any trace, the invocation's root still names the lines.
    expect(currentTraceId()).toBe('1-5759e988-bd862e3fe1be46a994272793');
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=not a trace;Sampled=1');
    expect(xRayTraceRoot()).toBeUndefined();
    vi.stubEnv('_X_AMZN_TRACE_ID', '');
    const fresh = startTrace(currentTraceId);
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect(startTrace(currentTraceId)).not.toBe(fresh);
  });
});

describe('log lines', () => {
  it('carry the trace id of the code that writes them, still masked', () => {
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const log = createLogger('trace-lines');
    log.setLogLevel('INFO');
    const id = newTraceId();
    withTrace(id, () => log.info('webhook answered', { webhook: 'meta', status: 200, phone: '+905321234567' }));
    log.info('outside any delivery');
    const [inside, outside] = printed.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ message: 'webhook answered', traceId: id, webhook: 'meta', status: 200 });
    expect(inside?.phone).toBe('[redacted]');
    expect(outside?.message).toBe('outside any delivery');
    expect(outside).not.toHaveProperty('traceId');
  });
});

describe('producer', () => {
  it('attaches the current trace id to single, delayed, batched and claim-checked messages', async () => {
    const { sqs, sent } = recordingSqs();
    const stored: string[] = [];
    const blobs = { put: async (_tenant: string, key: string) => void stored.push(key) };
    const producer = createProducer(
      sqsSink(sqs, (queue) => `http://sqs/${queue}`),
      blobs,
    );
    const id = newTraceId();
    await withTrace(id, async () => {
      await producer.send(META_EVENTS_QUEUE, delivery(1));
      await producer.send(META_EVENTS_QUEUE, delivery(2), { delaySeconds: 30 });
      await producer.sendBatch(META_EVENTS_QUEUE, [delivery(3), delivery(4)]);
      await producer.send(META_EVENTS_QUEUE, metaDelivery(Buffer.alloc(300 * 1024, 'x'), 5));
    });
    expect(stored).toHaveLength(1);
    const [single, delayed, batch, claimChecked] = sent.map((entry) => entry.input);
    expect(attributeOf(single)).toBe(id);
    expect(attributeOf(delayed)).toBe(id);
    expect(batch?.Entries?.map((entry) => entry.MessageAttributes?.[TRACE_ATTRIBUTE]?.StringValue)).toEqual([id, id]);
    expect(JSON.parse(claimChecked?.MessageBody ?? '{}')).toHaveProperty('$claimCheck');
    expect(attributeOf(claimChecked)).toBe(id);
  });

  it('sends without the attribute outside any delivery', async () => {
    const { sqs, sent } = recordingSqs();
    await createProducer(sqsSink(sqs, () => 'http://sqs/q')).send(META_EVENTS_QUEUE, delivery(1));
    expect(sent[0]?.input.MessageAttributes).toBeUndefined();
  });
});

describe('queue worker', () => {
  function worker(handle: () => Promise<void>, sqs: SQSClient) {
    return queueWorker(
      META_EVENTS_QUEUE,
      () => ({
        blobs: {} as Blobs,
        log: silent,
        settlements,
        deadLetters: sqsDeadLetters(sqs, (queue) => `http://sqs/${queue}`),
      }),
      handle,
    );
  }

  it('handles each message in its own trace, and what it sends onward carries the same id', async () => {
    const { sqs, sent } = recordingSqs();
    const producer = createProducer(sqsSink(sqs, (queue) => `http://sqs/${queue}`));
    const seen: (string | undefined)[] = [];
    const handler = worker(async () => {
      seen.push(currentTraceId());
      await new Promise((resolve) => setTimeout(resolve, 5));
      await producer.send(META_EVENTS_QUEUE, delivery(9));
    }, sqs);
    const first = newTraceId();
    const second = newTraceId();
    const result = await handler({
      Records: [record('m1', delivery(1), first), record('m2', delivery(2), second)],
    });
    expect(result.batchItemFailures).toEqual([]);
    expect(seen.sort()).toEqual([first, second].sort());
    expect(sent.map((entry) => attributeOf(entry.input)).sort()).toEqual([first, second].sort());
  });

  it('gives a message with no id, or a malformed one, a fresh id of its own', async () => {
    const { sqs } = recordingSqs();
    const seen: (string | undefined)[] = [];
    const handler = worker(async () => void seen.push(currentTraceId()), sqs);
    await handler({
      Records: [
        record('m1', delivery(1)),
        record('m2', delivery(2), 'x-forged\n{"level":"ERROR"}'),
        record('m3', delivery(3), ''),
      ],
    });
    expect(seen).toHaveLength(3);
    for (const id of seen) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(seen).size).toBe(3);
  });

  it('dead-letters a message with its trace id, and a replay sends it back with it', async () => {
    const { sqs, sent } = recordingSqs();
    const id = newTraceId();
    const handler = worker(async () => {
      throw new PermanentError('unreadable');
    }, sqs);
    await handler({ Records: [record('m1', delivery(1), id)] });
    const letter = sent.find((entry) => entry.input.QueueUrl === 'http://sqs/meta-events-dlq');
    expect(attributeOf(letter?.input)).toBe(id);

    // The replay receives that letter from the DLQ and sends it back to its queue.
    const replayed: Input[] = [];
    let waiting = [
      {
        MessageId: 'd1',
        ReceiptHandle: 'r1',
        Body: letter?.input.MessageBody,
        MessageAttributes: letter?.input.MessageAttributes,
      },
    ];
    const dlqSqs = {
      async send(command: { constructor: { name: string }; input: Input }) {
        switch (command.constructor.name) {
          case 'GetQueueAttributesCommand':
            return { Attributes: { ApproximateNumberOfMessages: String(waiting.length) } };
          case 'ReceiveMessageCommand': {
            const out = waiting;
            waiting = [];
            return { Messages: out };
          }
          case 'SendMessageBatchCommand':
            replayed.push(command.input);
            return { Successful: command.input.Entries?.map((entry) => ({ Id: entry.Id })) };
          default:
            return {};
        }
      },
    } as unknown as SQSClient;
    const result = await replayDeadLetters({ sqs: dlqSqs, queueUrl: (queue) => `http://sqs/${queue}` }, 'meta-events');
    expect(result.replayed).toBe(1);
    expect(replayed[0]?.Entries?.[0]?.MessageAttributes?.[TRACE_ATTRIBUTE]?.StringValue).toBe(id);
    // Only the trace travels back: the failure's own attributes stay with the dead letter.
    expect(Object.keys(replayed[0]?.Entries?.[0]?.MessageAttributes ?? {})).toEqual([TRACE_ATTRIBUTE]);
  });
});
