import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { META_DELIVERY_TENANT, metaDelivery, metaDeliveryText } from '../src/channels/meta/envelope.js';
import { META_EVENTS_QUEUE } from '../src/channels/meta/queue.js';
import type { Blobs } from '../src/platform/blobs.js';
import { PermanentError } from '../src/platform/errors.js';
import type { DeadLetter } from '../src/platform/queue/dead-letters.js';
import type { Settlement, Settlements } from '../src/platform/queue/settlements.js';
import { type QueueRecord, queueWorker } from '../src/platform/queue/worker.js';

const log = new Logger({ logLevel: 'SILENT' });

function record(id: string, body: unknown, receiveCount = 1): QueueRecord {
  return {
    messageId: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
    eventSource: 'aws:sqs',
  };
}

/** Settlements in memory, with the table's rule: the first one stands. */
function memorySettlements(): Settlements {
  const settled = new Map<string, Settlement>();
  const key = (ref: { tenantId: string; queue: string; messageId: string }) =>
    `${ref.tenantId}/${ref.queue}/${ref.messageId}`;
  return {
    find: async (ref) => settled.get(key(ref)),
    record: async (ref, outcome) => {
      if (settled.has(key(ref))) return false;
      settled.set(key(ref), outcome);
      return true;
    },
  };
}

function setup(handle: (body: string) => Promise<void>, stored: Record<string, string> = {}) {
  const dead: DeadLetter[] = [];
  const settlements = memorySettlements();
  const deleted: string[] = [];
  const blobs = {
    get: async (_tenant: string, key: string) => (stored[key] ? Buffer.from(stored[key]) : undefined),
    delete: async (_tenant: string, key: string) => {
      deleted.push(key);
    },
  } as unknown as Blobs;
  const worker = queueWorker(
    META_EVENTS_QUEUE,
    () => ({ blobs, log, settlements, deadLetters: { send: async (letter) => void dead.push(letter) } }),
    async (message) => handle(metaDeliveryText(message)),
  );
  return { worker, dead, deleted };
}

const good = (n: number) => metaDelivery(Buffer.from(`{"n":${n}}`), n);

describe('queueWorker', () => {
  it('reports only the failed messages of a batch, so the rest are not redelivered', async () => {
    const { worker, dead } = setup(async (body) => {
      if (body.includes('2')) throw new Error('database throttled');
    });
    const out = await worker({ Records: [record('a', good(1)), record('b', good(2)), record('c', good(3))] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
    expect(dead).toHaveLength(0);
  });

  it('sends poison messages straight to the DLQ with their reason, without retrying them', async () => {
    const { worker, dead } = setup(async () => undefined);
    const out = await worker({
      Records: [record('a', 'not json'), record('b', { tenantId: META_DELIVERY_TENANT }), record('c', good(1))],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(dead.map((letter) => letter.reason)).toEqual([
      'PoisonMessageError: body is not JSON',
      'PoisonMessageError: message does not match the meta-events schema at receivedAt, bodyBase64',
    ]);
    expect(dead[0]).toMatchObject({ queue: 'meta-events', body: 'not json', receiveCount: 1 });
  });

  it('dead-letters permanent domain failures and transient ones on their last receive', async () => {
    const { worker, dead } = setup(async (body) => {
      if (body.includes('1')) throw new PermanentError('no whatsapp channel 123 for this tenant');
      throw new Error('timeout');
    });
    const last = META_EVENTS_QUEUE.maxReceiveCount;
    const out = await worker({ Records: [record('a', good(1)), record('b', good(2), last), record('c', good(3), 1)] });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'c' }]);
    expect(dead.map((letter) => [letter.reason, letter.receiveCount])).toEqual([
      ['PermanentError: no whatsapp channel 123 for this tenant', 1],
      ['Error: timeout', last],
    ]);
  });

  it('reads claim-checked bodies from storage and removes them once processed', async () => {
    const seen: string[] = [];
    const { worker, deleted, dead } = setup(async (body) => void seen.push(body), {
      'queue/meta-events/1.json': JSON.stringify(good(7)),
    });
    const out = await worker({
      Records: [
        record('a', { $claimCheck: 'queue/meta-events/1.json', tenantId: META_DELIVERY_TENANT }),
        record('b', { $claimCheck: 'queue/meta-events/missing.json', tenantId: META_DELIVERY_TENANT }),
      ],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(seen).toEqual(['{"n":7}']);
    expect(deleted).toEqual(['queue/meta-events/1.json']);
    expect(dead[0]?.reason).toMatch(/claim-checked body is missing/);
  });
});
