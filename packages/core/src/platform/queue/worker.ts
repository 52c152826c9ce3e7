import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Blobs } from '../blobs.js';
import { PermanentError } from '../errors.js';
import type { DeadLetterSink } from './dead-letters.js';
import type { MessageOf, QueueDeclaration } from './declarations.js';
import type { ClaimCheck } from './producer.js';

/** The parts of an SQS record a worker reads (the same shape Lambda delivers). */
export interface QueueRecord {
  messageId: string;
  body: string;
  attributes: { ApproximateReceiveCount?: string } & Record<string, string | undefined>;
  eventSource?: string;
  [key: string]: unknown;
}

export interface PartialBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface WorkerDeps {
  blobs: Blobs;
  deadLetters: DeadLetterSink;
  log: Logger;
}

export interface Delivery {
  messageId: string;
  /** 1 on the first delivery. */
  receiveCount: number;
}

/** A body that can never be processed: bad JSON, wrong shape, missing claim check. */
export class PoisonMessageError extends PermanentError {
  override name = 'PoisonMessageError';
}

/**
 * Wraps a per-message handler into an SQS batch consumer with partial batch failures
 * (Powertools). A message that fails permanently, or fails on its last allowed receive, is
 * sent to the queue's DLQ with its reason and removed; other failures return to the queue
 * and are retried after the visibility timeout. A queue declared `sequential` has its batch
 * handled one message at a time.
 *
 * @example
 * export const handler = queueWorker(META_EVENTS_QUEUE, deps, async (delivery) => { ... });
 */
export function queueWorker<Q extends QueueDeclaration>(
  declared: Q,
  deps: () => WorkerDeps | Promise<WorkerDeps>,
  handle: (message: MessageOf<Q>, delivery: Delivery) => Promise<void>,
) {
  const queue = declared.name;
  const maxReceives = declared.maxReceiveCount;
  const processor = new BatchProcessor(EventType.SQS);

  return async (event: { Records: QueueRecord[] }): Promise<PartialBatchResponse> => {
    const { blobs, deadLetters, log } = await deps();

    async function decode(record: QueueRecord): Promise<{ message: MessageOf<Q>; claimCheck?: ClaimCheck }> {
      let json: unknown;
      try {
        json = JSON.parse(record.body);
      } catch {
        throw new PoisonMessageError('body is not JSON');
      }
      let claimCheck: ClaimCheck | undefined;
      if (json && typeof json === 'object' && '$claimCheck' in json) {
        claimCheck = json as ClaimCheck;
        const stored = await blobs.get(claimCheck.tenantId, claimCheck.$claimCheck);
        if (!stored) throw new PoisonMessageError('claim-checked body is missing from storage');
        json = JSON.parse(stored.toString('utf8'));
      }
      const parsed = declared.message.safeParse(json);
      if (!parsed.success) {
        const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
        throw new PoisonMessageError(`message does not match the ${queue} schema at ${where}`);
      }
      return { message: parsed.data as MessageOf<Q>, claimCheck };
    }

    async function processRecord(record: QueueRecord): Promise<void> {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      try {
        const { message, claimCheck } = await decode(record);
        await handle(message, { messageId: record.messageId, receiveCount });
        if (claimCheck) await blobs.delete(claimCheck.tenantId, claimCheck.$claimCheck);
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const permanent = error instanceof PermanentError;
        if (permanent || receiveCount >= maxReceives) {
          await deadLetters.send({ queue, body: record.body, reason, receiveCount });
          log.error('message moved to dead-letter queue', { queue, messageId: record.messageId, reason, receiveCount });
          return;
        }
        log.warn('message failed; will be retried', { queue, messageId: record.messageId, reason, receiveCount });
        throw error;
      }
    }

    return processPartialResponse(event, processRecord, processor, {
      throwOnFullBatchFailure: false,
      processInParallel: !declared.sequential,
    });
  };
}
