import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Blobs } from '../blobs.js';
import { PermanentError } from '../errors.js';
import { traceIdOfRecord, withTrace } from '../trace.js';
import { traced } from '../xray.js';
import type { DeadLetterSink } from './dead-letters.js';
import type { MessageOf, QueueDeclaration } from './declarations.js';
import type { ClaimCheck } from './producer.js';
import type { SettledMessageRef, Settlements } from './settlements.js';

/** The parts of an SQS record a worker reads (the same shape Lambda delivers). */
export interface QueueRecord {
  messageId: string;
  body: string;
  attributes: { ApproximateReceiveCount?: string } & Record<string, string | undefined>;
  /** What the producer attached; `traceId` names the delivery the message belongs to. */
  messageAttributes?: Record<string, { stringValue?: string; dataType?: string } | undefined>;
  eventSource?: string;
  [key: string]: unknown;
}

export interface PartialBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export interface WorkerDeps {
  blobs: Blobs;
  deadLetters: DeadLetterSink;
  /** Messages finished for good, so a redelivery is not handled or dead-lettered twice. */
  settlements: Settlements;
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
 * The function is about to reach its timeout: the message was not started, or is still running.
 * Not permanent: it is reported as a failure and SQS delivers it again.
 */
export class OutOfTimeError extends Error {
  override name = 'OutOfTimeError';
}

/** Where a message that names no (valid) tenant has its settlement recorded. */
const UNATTRIBUTED = 'queues';
/** The shape every tenant id has (blobs and keys refuse others). */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Time kept back before the function's timeout to answer with the batch's failures: a tenth of
 * what the invocation had, at least 250 ms and at most 5 s (3 s of a 30 s consumer).
 */
export function stopMarginMs(remainingAtStartMs: number): number {
  return Math.min(5_000, Math.max(250, remainingAtStartMs / 10));
}

/**
 * Wraps a per-message handler into an SQS batch consumer with partial batch failures
 * (Powertools). A message that fails permanently, or fails on its last allowed receive, is
 * sent to the queue's DLQ with its reason and removed; other failures return to the queue
 * and are retried after the visibility timeout. A queue declared `sequential` has its batch
 * handled one message at a time.
 *
 * Given Lambda's context, the worker answers before the function's timeout: a message not yet
 * started, or still running, when the time is nearly up is reported as a failure (it comes back
 * on its own; the finished ones do not), instead of the timeout failing the whole batch. Work
 * still running is not cancelled, and may finish after the answer.
 *
 * A message is settled once: the worker records each success and each dead letter
 * ({@link Settlements}), and a redelivered message already settled is acknowledged without being
 * handled or dead-lettered again. A claim-checked body is deleted only after its message
 * succeeded; a dead letter keeps it, so the message can be replayed.
 *
 * Each message is handled inside its delivery's trace (the `traceId` attribute its producer
 * attached; a fresh id when it has none or a malformed one), so its log lines, the messages it
 * sends onward and its dead letter all carry the same id; on AWS, in an X-Ray subsegment
 * annotated with it.
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

  return async (event: { Records: QueueRecord[] }, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const { blobs, deadLetters, settlements, log } = await deps();
    const margin = context ? stopMarginMs(context.getRemainingTimeInMillis()) : 0;
    /** Milliseconds left to work before the worker must answer; Infinity without a context. */
    const timeLeft = () => (context ? context.getRemainingTimeInMillis() - margin : Number.POSITIVE_INFINITY);

    async function decode(json: unknown, claimCheck: ClaimCheck | undefined): Promise<MessageOf<Q>> {
      if (claimCheck) {
        const stored = await blobs.get(claimCheck.tenantId, claimCheck.$claimCheck);
        // Not a finished message (that was recognised before): it never arrived, or was removed by hand.
        if (!stored) throw new PoisonMessageError('claim-checked body is missing from storage');
        json = JSON.parse(stored.toString('utf8'));
      }
      const parsed = declared.message.safeParse(json);
      if (!parsed.success) {
        const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
        throw new PoisonMessageError(`message does not match the ${queue} schema at ${where}`);
      }
      return parsed.data as MessageOf<Q>;
    }

    /** Handles one message to the end: succeeded, dead-lettered, or thrown back for a retry. */
    async function settle(record: QueueRecord): Promise<void> {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      const { json, claimCheck, ref } = readBody(record, queue);
      const about = { queue, messageId: record.messageId, receiveCount };
      /** Settlement steps: a failure sends the message back, never to the DLQ (it may be settled, or done). */
      const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
        try {
          return await run();
        } catch (error) {
          log.warn(`message ${what} failed; will be retried`, { ...about, error: error as Error });
          throw error;
        }
      };
      const removeBody = (body: ClaimCheck) =>
        step('body removal', () => blobs.delete(body.tenantId, body.$claimCheck));

      const earlier = await step('settlement lookup', () => settlements.find(ref));
      if (earlier) {
        log.info('message already settled; acknowledged again', { ...about, outcome: earlier });
        // Finishes what a success interrupted before removing the body.
        if (earlier === 'succeeded' && claimCheck) await removeBody(claimCheck);
        return;
      }

      const started = performance.now();
      try {
        if (json === undefined) throw new PoisonMessageError('body is not JSON');
        await handle(await decode(json, claimCheck), { messageId: record.messageId, receiveCount });
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (error instanceof PermanentError || receiveCount >= maxReceives) {
          // Sent first, recorded after: a crash in between can send it twice, never lose it.
          await deadLetters.send({ queue, body: record.body, reason, receiveCount });
          log.error('message moved to dead-letter queue', { ...about, reason });
          await settlements.record(ref, 'dead-lettered').catch((failure: unknown) =>
            // It is in the DLQ and acknowledged; only a lost acknowledgement could bring it back.
            log.warn('dead letter not recorded as settled', { ...about, error: failure as Error }),
          );
          return;
        }
        log.warn('message failed; will be retried', { ...about, reason });
        throw error;
      }

      // Recorded before the body goes, so a redelivery is recognised even without the body. A
      // failure here sends the message back: handling it again changes nothing. Only the first
      // settlement removes the body: one that lost the race to a dead letter leaves it for a replay.
      const first = await step('settlement', () => settlements.record(ref, 'succeeded'));
      if (claimCheck && first) await removeBody(claimCheck);
      // One line per message handled, so a delivery's path shows every worker it went through.
      log.info('message handled', { ...about, ms: Math.round(performance.now() - started) });
    }

    /** Waits for a message's work until the time is nearly up; then reports it unfinished. */
    async function finishInTime(record: QueueRecord): Promise<void> {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
      const about = { queue, messageId: record.messageId, receiveCount };
      const lastReceive = receiveCount >= maxReceives;
      const left = timeLeft();
      if (left <= 0) {
        log.warn('message not started: the function is near its timeout; it will be delivered again', about);
        if (lastReceive) log.error('message out of time on its last receive; the queue moves it to its DLQ', about);
        throw new OutOfTimeError('not started before the function timeout');
      }
      const work = settle(record);
      if (left === Number.POSITIVE_INFINITY) return work;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), left);
      });
      try {
        if ((await Promise.race([work, late])) !== 'late') return;
      } finally {
        clearTimeout(timer);
      }
      // Not cancelled: if it finishes, it settles the message, and the redelivery sees that.
      work.catch(() => undefined);
      log.warn('message still running at the function timeout; reported as failed so it comes back', about);
      if (lastReceive) log.error('message out of time on its last receive; the queue moves it to its DLQ', about);
      throw new OutOfTimeError('still running at the function timeout');
    }

    // One processor per invocation: work left running by an earlier one never shares its state.
    const processor = new BatchProcessor(EventType.SQS);
    const inTrace = (record: QueueRecord) =>
      withTrace(traceIdOfRecord(record), () => traced(`${queue} message`, () => finishInTime(record)));
    return processPartialResponse(event, inTrace, processor, {
      throwOnFullBatchFailure: false,
      processInParallel: !declared.sequential,
    }) as Promise<PartialBatchResponse>;
  };
}

/** The body as JSON (undefined when it is not), its claim check, and the key of its settlement. */
function readBody(
  record: QueueRecord,
  queue: string,
): { json: unknown; claimCheck?: ClaimCheck; ref: SettledMessageRef } {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    json = undefined;
  }
  const fields = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const tenantId =
    typeof fields.tenantId === 'string' && TENANT_ID.test(fields.tenantId) ? fields.tenantId : UNATTRIBUTED;
  const claimCheck =
    typeof fields.$claimCheck === 'string'
      ? { $claimCheck: fields.$claimCheck, tenantId: String(fields.tenantId) }
      : undefined;
  return { json, claimCheck, ref: { tenantId, queue, messageId: record.messageId } };
}
