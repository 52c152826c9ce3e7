import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { maskText } from '../masking.js';
import { traceAttributes } from '../trace.js';
import { deadLetterQueueName } from './declarations.js';

/** Message attributes a dead letter carries, so `dlq list` can say why it is there. */
export const FAILURE_ATTRIBUTES = {
  reason: 'asistone-failure-reason',
  sourceQueue: 'asistone-source-queue',
  failedAt: 'asistone-failed-at',
  receiveCount: 'asistone-receive-count',
} as const;

export interface DeadLetter {
  queue: string;
  body: string;
  reason: string;
  receiveCount: number;
}

export interface DeadLetterSink {
  send(letter: DeadLetter): Promise<void>;
}

/**
 * Sends to the queue's DLQ with the failure reason (masked and cut to 1 KB) as attributes, and
 * the trace id of the delivery that failed (the worker sends inside its context), which a replay
 * carries back to the queue.
 */
export function sqsDeadLetters(sqs: SQSClient, queueUrl: (queue: string) => string): DeadLetterSink {
  return {
    async send({ queue, body, reason, receiveCount }) {
      const text = (value: string) => ({ DataType: 'String', StringValue: value });
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl(deadLetterQueueName(queue)),
          MessageBody: body,
          MessageAttributes: {
            [FAILURE_ATTRIBUTES.reason]: text(maskText(reason).slice(0, 1024) || 'unknown'),
            [FAILURE_ATTRIBUTES.sourceQueue]: text(queue),
            [FAILURE_ATTRIBUTES.failedAt]: text(new Date().toISOString()),
            [FAILURE_ATTRIBUTES.receiveCount]: { DataType: 'Number', StringValue: String(receiveCount) },
            ...traceAttributes(),
          },
        }),
      );
    },
  };
}
