import type { QueueDeclaration } from '@asistone/core/platform/queue/declarations';
import type { PollerStatus } from '@asistone/core/platform/runtime-status';
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_REGION } from './emulators.js';
import { recordMessageAge } from './invocations.js';
import { invoke } from './lambda.js';

export interface Poller {
  queue: string;
  /** What the health report says about it. */
  status(): PollerStatus;
  /** Stops once the queue has nothing visible and no batch is in flight. */
  drain(deadlineMs: number): Promise<void>;
  stop(): void;
}

/** Received SQS messages as Lambda's event source hands them to a consumer (its record shape). */
export function lambdaSqsRecords(queueUrl: string, region: string, messages: readonly Message[]) {
  const arn = `arn:aws:sqs:${region}:000000000000:${queueUrl.split('/').pop()}`;
  return messages.map((message) => ({
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: message.Attributes ?? {},
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { stringValue: value.StringValue, dataType: value.DataType, stringListValues: [], binaryListValues: [] },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: region,
  }));
}

/**
 * Delivers a queue's messages to its consumer as Lambda's SQS event source does: batches of
 * the declared size, the consumer's timeout enforced with a context whose clock runs (so the
 * worker can answer before it), partial batch failures honoured, and the whole batch failed
 * when the consumer throws, times out or names a message that is not in the batch. Failed
 * messages are left to reappear after the visibility timeout (and are redriven to the DLQ by
 * the queue after max receives).
 */
export function startPoller(sqs: SQSClient, declared: QueueDeclaration, queueUrl: string, log: Logger): Poller {
  const queue = declared.name;
  let running = true;
  let delivered = 0;
  let lastPollAt = Date.now();
  let busySince: number | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  async function deliverOnce(): Promise<number> {
    lastPollAt = Date.now();
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: declared.batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return 0;
    const receivedAt = Date.now();
    for (const message of messages) {
      const sent = Number(message.Attributes?.SentTimestamp);
      if (Number.isFinite(sent)) recordMessageAge({ queue, at: receivedAt, seconds: (receivedAt - sent) / 1000 });
    }
    const records = lambdaSqsRecords(queueUrl, LOCAL_REGION, messages);
    let failed = new Set(records.map((record) => record.messageId));
    busySince = Date.now();
    try {
      const result = await invoke<unknown>(
        declared.consumer.handler,
        `worker-${queue}`,
        { Records: records },
        declared.consumer.timeoutSeconds,
      );
      failed = reportedFailures(result, failed);
    } catch (error) {
      log.error('consumer failed the whole batch', { queue, error: error as Error });
    } finally {
      busySince = undefined;
    }
    const done = messages.filter((message) => !failed.has(message.MessageId as string));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
    delivered++;
    return messages.length;
  }

  /** The failures the consumer reported; like Lambda, an answer naming an unknown message fails them all. */
  function reportedFailures(result: unknown, batch: Set<string>): Set<string> {
    const failures = (result as { batchItemFailures?: unknown } | undefined)?.batchItemFailures;
    if (failures === undefined || failures === null) return new Set();
    const ids = Array.isArray(failures)
      ? failures.map((failure) => (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier)
      : [undefined];
    if (ids.some((id) => typeof id !== 'string' || !batch.has(id))) {
      log.error('consumer answered with an unknown message; the whole batch will be retried', { queue });
      return batch;
    }
    return new Set(ids as string[]);
  }

  const loop = async () => {
    while (running) {
      const batch = deliverOnce().catch((error) => {
        log.error('queue poll failed', { queue, error: error as Error });
        return -1;
      });
      inFlight = batch.then(() => undefined);
      const count = await batch;
      // Idle: poll again soon. Failing: back off so a broken emulator does not spin.
      if (count <= 0 && running) await new Promise((resolve) => setTimeout(resolve, count < 0 ? 1000 : 100));
    }
  };
  void loop();

  return {
    queue,
    status: () => ({
      running,
      lastPollAt,
      busySince,
      consumerTimeoutSeconds: declared.consumer.timeoutSeconds,
      batches: delivered,
    }),
    async drain(deadlineMs) {
      while (Date.now() < deadlineMs) {
        const out = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        if (Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      running = false;
      await inFlight;
    },
    stop() {
      running = false;
    },
  };
}
