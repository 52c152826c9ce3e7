import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { FAILURE_ATTRIBUTES } from '../platform/queue/dead-letters.js';
import { deadLetterQueueName } from '../platform/queue/declarations.js';
import { TRACE_ATTRIBUTE, validTraceId } from '../platform/trace.js';

export interface DeadLetterView {
  messageId: string;
  sourceQueue: string;
  reason: string;
  failedAt?: string;
  receiveCount?: number;
  bytes: number;
}

export interface DeadLetterOps {
  sqs: SQSClient;
  queueUrl: (queue: string) => string;
}

/**
 * How many messages wait in each dead-letter queue, by the name of the queue they came from.
 * `queueUrls` is every queue the caller knows (the watch job gets exactly the dead-letter queues).
 */
export async function countDeadLetters(ops: {
  sqs: SQSClient;
  queueUrls: Record<string, string>;
}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const deadLetterQueues = Object.keys(ops.queueUrls).filter((name) => name.endsWith('-dlq'));
  for (const deadLetterQueue of deadLetterQueues.sort()) {
    const queue = deadLetterQueue.slice(0, -'-dlq'.length);
    counts[queue] = await waitingIn(
      { sqs: ops.sqs, queueUrl: (name) => ops.queueUrls[name] as string },
      deadLetterQueue,
    );
  }
  return counts;
}

/**
 * Lists dead letters without consuming or hiding them: they are received with a visibility
 * timeout of zero, so a replay right after a listing finds them all. SQS samples its servers,
 * so receiving stops only after a few calls in a row bring nothing new. Bodies are not shown
 * (they hold personal data), only sizes.
 */
export async function listDeadLetters(ops: DeadLetterOps, queue: string, max = 100): Promise<DeadLetterView[]> {
  const seen = new Map<string, DeadLetterView>();
  for (let idle = 0; seen.size < max && idle < 3; ) {
    const out = await ops.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: ops.queueUrl(deadLetterQueueName(queue)),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    const messages = out.Messages ?? [];
    const fresh = messages.filter((message) => message.MessageId && !seen.has(message.MessageId));
    idle = fresh.length === 0 ? idle + 1 : 0;
    for (const message of fresh) {
      const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
      seen.set(message.MessageId as string, {
        messageId: message.MessageId as string,
        sourceQueue: attribute(FAILURE_ATTRIBUTES.sourceQueue) ?? queue,
        reason:
          attribute(FAILURE_ATTRIBUTES.reason) ??
          'redriven by SQS after too many receives (the consumer crashed or timed out)',
        failedAt: attribute(FAILURE_ATTRIBUTES.failedAt),
        receiveCount:
          Number(attribute(FAILURE_ATTRIBUTES.receiveCount) ?? message.Attributes?.ApproximateReceiveCount ?? 0) ||
          undefined,
        bytes: Buffer.byteLength(message.Body ?? ''),
      });
    }
  }
  return [...seen.values()];
}

/**
 * Moves dead letters back to their source queue for another try. Each message is sent
 * before it is deleted, so a crash in between repeats a message (consumers are idempotent)
 * rather than losing one. Each keeps the trace id of the delivery that failed, so the replay's
 * log lines join that delivery's path.
 */
export async function replayDeadLetters(
  ops: DeadLetterOps,
  queue: string,
  options: { dryRun?: boolean; max?: number } = {},
): Promise<{ replayed: number; dryRun: boolean }> {
  // Only what waits now: a message that fails again comes back, and must not be replayed twice.
  const waiting = await waitingIn(ops, deadLetterQueueName(queue));
  const max = Math.min(options.max ?? Number.POSITIVE_INFINITY, waiting);
  if (options.dryRun) return { replayed: max, dryRun: true };
  let replayed = 0;
  while (replayed < max) {
    const out = await ops.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: ops.queueUrl(deadLetterQueueName(queue)),
        MaxNumberOfMessages: Math.min(10, max - replayed),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: [TRACE_ATTRIBUTE],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await ops.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: ops.queueUrl(queue),
        Entries: messages.map((message, index) => {
          const traceId = validTraceId(message.MessageAttributes?.[TRACE_ATTRIBUTE]?.StringValue);
          return {
            Id: String(index),
            MessageBody: message.Body ?? '',
            ...(traceId && { MessageAttributes: { [TRACE_ATTRIBUTE]: { DataType: 'String', StringValue: traceId } } }),
          };
        }),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((entry) => Number(entry.Id)));
    const done = messages.filter((_, index) => ok.has(index));
    if (done.length > 0) {
      await ops.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: ops.queueUrl(deadLetterQueueName(queue)),
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
    replayed += done.length;
    if (done.length < messages.length)
      throw new Error(`${messages.length - done.length} messages could not be replayed`);
  }
  return { replayed, dryRun: false };
}

/** Messages in a queue now, visible or in flight. */
async function waitingIn(ops: DeadLetterOps, queue: string): Promise<number> {
  const out = await ops.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: ops.queueUrl(queue),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}
