import { deadLetterQueueName, MAX_MESSAGE_BYTES } from '@asistone/core/platform/queue/declarations';
import { resourceName } from '@asistone/core/platform/store/table';
import { PRODUCT } from '@asistone/core/product/areas';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { type StackContext, use } from 'sst/constructs';
import { Keys } from './Keys.js';
import { baseline, productFunction } from './lambda.js';
import type { SharedResources } from './permissions.js';
import { Storage } from './Storage.js';

/**
 * Every queue the areas declare, with its dead-letter queue, both encrypted with the stage key,
 * and its consumer: its own Lambda with partial batch failures. Workers send a message that can
 * never succeed to the dead-letter queue themselves (with the reason); SQS redrives the rest
 * after `maxReceiveCount` receives.
 */
export function Queues({ stack }: StackContext) {
  baseline(stack);
  const { stageKey } = use(Keys);
  const { table, bucket } = use(Storage);

  const queues: Record<string, IQueue> = {};
  for (const declaration of PRODUCT.queues) {
    const name = declaration.name;
    const deadLetter = new Queue(stack, deadLetterQueueName(name), {
      queueName: resourceName(stack.stage, deadLetterQueueName(name)),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: stageKey,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      enforceSSL: true,
    });
    queues[name] = new Queue(stack, name, {
      queueName: resourceName(stack.stage, name),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: stageKey,
      visibilityTimeout: Duration.seconds(declaration.visibilityTimeoutSeconds),
      // Shorter than the dead-letter queue's: a redriven message keeps its original enqueue time.
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      deadLetterQueue: { queue: deadLetter, maxReceiveCount: declaration.maxReceiveCount },
      enforceSSL: true,
    });
    queues[deadLetterQueueName(name)] = deadLetter;
  }

  const resources: SharedResources = { stageKey, table, bucket, queues };
  for (const declaration of PRODUCT.queues) {
    const consumer = PRODUCT.fn(`worker-${declaration.name}`);
    if (!consumer) throw new Error(`no consumer for ${declaration.name}`);
    const { fn } = productFunction(stack, { declared: consumer, resources });
    fn.addEventSource(
      new SqsEventSource(queues[declaration.name] as IQueue, {
        batchSize: declaration.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: declaration.maxConcurrency,
      }),
    );
  }

  return { queues, resources };
}
