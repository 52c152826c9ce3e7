import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Blobs } from '../blobs.js';
import { ValidationError } from '../errors.js';
import { traceAttributes } from '../trace.js';
import { MAX_MESSAGE_BYTES, type MessageOf, type QueueDeclaration } from './declarations.js';

/** A body too large for SQS is stored in S3 and the queue carries this pointer instead. */
export interface ClaimCheck {
  $claimCheck: string;
  tenantId: string;
}

const BATCH_ENTRIES = 10;
/** Headroom for attributes and the batch envelope. */
const BATCH_BYTES = MAX_MESSAGE_BYTES - 8 * 1024;

/** How long SQS may hold a message back before delivering it (its DelaySeconds limit). */
export const MAX_DELAY_SECONDS = 900;

export interface SendOptions {
  /** Delivered no sooner than this many seconds from now (0 to {@link MAX_DELAY_SECONDS}). */
  delaySeconds?: number;
}

/** Where the producer sends: real SQS, or anything with the same contract (benchmarks). */
export interface QueueSink {
  send(queue: string, body: string, options?: SendOptions): Promise<void>;
  sendBatch(queue: string, bodies: string[]): Promise<{ failed: number[] }>;
}

/**
 * The SQS sink: queue URLs come from config. Every message carries the current delivery's trace
 * id as an attribute (platform/trace.ts), claim-checked or not, so the worker that receives it
 * logs under the same id.
 */
export function sqsSink(sqs: SQSClient, queueUrl: (queue: string) => string): QueueSink {
  return {
    async send(queue, body, options) {
      const traced = traceAttributes();
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl(queue),
          MessageBody: body,
          ...(options?.delaySeconds && { DelaySeconds: options.delaySeconds }),
          ...(traced && { MessageAttributes: traced }),
        }),
      );
    },
    async sendBatch(queue, bodies) {
      const traced = traceAttributes();
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(queue),
          Entries: bodies.map((body, index) => ({
            Id: String(index),
            MessageBody: body,
            ...(traced && { MessageAttributes: traced }),
          })),
        }),
      );
      return { failed: (out.Failed ?? []).map((entry) => Number(entry.Id)) };
    },
  };
}

/**
 * Typed producers: every message is validated against its queue's schema, bodies over the
 * SQS limit go to S3 first, and batches respect SQS's 10-entry and size limits.
 *
 * @example
 * const producer = createProducer(sqsSink(sqs, config.queueUrl), blobs);
 * await producer.send(META_EVENTS_QUEUE, { tenantId, receivedAt: Date.now(), body });
 */
export function createProducer(sink: QueueSink, blobs?: Pick<Blobs, 'put'>) {
  /** The message validated and serialized; a body over the SQS limit goes by claim check. */
  function encode<Q extends QueueDeclaration>(queue: Q, message: MessageOf<Q>): string | Promise<string> {
    const parsed = queue.message.safeParse(message);
    if (!parsed.success) {
      throw new ValidationError(
        `invalid ${queue.name} message`,
        parsed.error.issues.map((i) => i.message),
      );
    }
    const body = JSON.stringify(parsed.data);
    // A string, not a promise, in the usual case: the webhooks wait on this before they answer.
    // (No character takes more than 4 bytes in UTF-8, so a short string needs no byte count.)
    if (body.length * 4 <= BATCH_BYTES || Buffer.byteLength(body) <= BATCH_BYTES) return body;
    return claimCheck(queue, parsed.data.tenantId, body);
  }

  async function claimCheck(queue: QueueDeclaration, tenantId: string, body: string): Promise<string> {
    if (!blobs) throw new ValidationError(`${queue.name} message too large and no blob store to offload it`);
    const key = `queue/${queue.name}/${randomUUID()}.json`;
    await blobs.put(tenantId, key, body, 'application/json');
    return JSON.stringify({ $claimCheck: key, tenantId } satisfies ClaimCheck);
  }

  return {
    /** Sends one message; `delaySeconds` holds it back (a worker that comes back to its work later). */
    async send<Q extends QueueDeclaration>(queue: Q, message: MessageOf<Q>, options?: SendOptions): Promise<void> {
      const body = encode(queue, message);
      const delaySeconds = options?.delaySeconds;
      if (delaySeconds !== undefined && !(Number.isInteger(delaySeconds) && delaySeconds >= 0)) {
        throw new ValidationError(`${queue.name}: a delay is whole seconds, not ${delaySeconds}`);
      }
      // Longer than SQS holds a message: the longest it allows (the receiver checks the time itself).
      const held = delaySeconds ? { delaySeconds: Math.min(delaySeconds, MAX_DELAY_SECONDS) } : undefined;
      const text = typeof body === 'string' ? body : await body;
      if (held) await sink.send(queue.name, text, held);
      else await sink.send(queue.name, text);
    },

    /** Sends many messages; retries entries SQS refused, once, then throws naming how many failed. */
    async sendBatch<Q extends QueueDeclaration>(queue: Q, messages: MessageOf<Q>[]): Promise<void> {
      const bodies = await Promise.all(messages.map((message) => encode(queue, message)));
      for (const chunk of chunkForSqs(bodies)) {
        let pending = chunk;
        for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
          const { failed } = await sink.sendBatch(queue.name, pending);
          pending = failed.map((index) => pending[index] as string);
        }
        if (pending.length > 0) throw new Error(`${pending.length} messages could not be queued on ${queue.name}`);
      }
    },
  };
}

export type Producer = ReturnType<typeof createProducer>;

/** Splits bodies into batches of at most 10 entries and the SQS batch size limit. */
export function chunkForSqs(bodies: string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (current.length === BATCH_ENTRIES || (current.length > 0 && bytes + size > BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
