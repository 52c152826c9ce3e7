import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaDelivery } from '../src/channels/meta/envelope.js';
import { META_EVENTS_QUEUE } from '../src/channels/meta/queue.js';
import { ValidationError } from '../src/platform/errors.js';
import { MAX_MESSAGE_BYTES } from '../src/platform/queue/declarations.js';
import { chunkForSqs, createProducer, type QueueSink } from '../src/platform/queue/producer.js';

function memorySink(refuseFirst = 0) {
  const sent: string[] = [];
  let refusals = refuseFirst;
  const sink: QueueSink = {
    async send(_queue, body) {
      sent.push(body);
    },
    async sendBatch(_queue, bodies) {
      const failed: number[] = [];
      bodies.forEach((body, index) => {
        if (refusals > 0) {
          refusals--;
          failed.push(index);
        } else sent.push(body);
      });
      return { failed };
    },
  };
  return { sent, sink };
}

const delivery = (n: number) => metaDelivery(Buffer.from(`{"n":${n}}`), 1 + n);

describe('chunkForSqs', () => {
  it('keeps every batch within 10 entries and the size limit, in order, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 120_000 }), { maxLength: 60 }), (sizes) => {
        const bodies = sizes.map((size, index) => `${index}:`.padEnd(size, 'x'));
        const chunks = chunkForSqs(bodies);
        expect(chunks.flat()).toEqual(bodies);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(10);
          const bytes = chunk.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
          if (chunk.length > 1) expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
        }
      }),
    );
  });
});

describe('createProducer', () => {
  it('validates each message against its queue schema before sending', async () => {
    const { sent, sink } = memorySink();
    const producer = createProducer(sink);
    await expect(
      producer.send(META_EVENTS_QUEUE, { ...delivery(1), bodyBase64: '{"raw":"not base64"}' }),
    ).rejects.toThrow(ValidationError);
    expect(sent).toHaveLength(0);
    await producer.send(META_EVENTS_QUEUE, delivery(1));
    expect(JSON.parse(sent[0] as string)).toEqual(delivery(1));
  });

  it('retries entries SQS refused once, and fails loudly if they are refused again', async () => {
    const once = memorySink(2);
    await createProducer(once.sink).sendBatch(META_EVENTS_QUEUE, [1, 2, 3].map(delivery));
    expect(once.sent.map((body) => JSON.parse(body).receivedAt).sort()).toEqual([2, 3, 4]);

    const always = memorySink(100);
    await expect(createProducer(always.sink).sendBatch(META_EVENTS_QUEUE, [delivery(1)])).rejects.toThrow(
      /could not be queued/,
    );
  });

  it('refuses a message too large for SQS when there is nowhere to offload it', async () => {
    const { sink } = memorySink();
    const big = metaDelivery(Buffer.alloc(MAX_MESSAGE_BYTES, 'x'), 1);
    await expect(createProducer(sink).send(META_EVENTS_QUEUE, big)).rejects.toThrow(/too large/);
  });
});
