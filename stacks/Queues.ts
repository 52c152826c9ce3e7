import {
  deadLetterQueueName,
  MAX_MESSAGE_BYTES,
  QUEUES,
  type QueueDeclaration,
  type QueueName,
  queueNames,
} from '@asistone/core/platform/queue/declarations';
import { resourceName } from '@asistone/core/platform/store/table';
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { type StackContext, use } from 'sst/constructs';
import { Keys } from './Keys.js';
import { baseline, productFunction } from './lambda.js';
import { type AppSecret, appUrlParameter, parameterAccess, secretParameter } from './parameters.js';
import { type Access, mergeAccess, type QueueOrDeadLetter, type SharedResources } from './permissions.js';
import { Storage } from './Storage.js';

/** What every worker does, whatever it consumes: claim-checked bodies are read then removed. */
const EVERY_WORKER: Access = { blobs: ['GetObject', 'DeleteObject'] };

/** What each consumer does beyond that (its own dead-letter queue is added below). */
const WORKER_ACCESS: Record<QueueName, Access> = {
  // Turns deliveries into contacts, conversations and messages; opens sealed fields.
  'meta-events': { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'] },
  // Looks accounts up, writes pending sign-ups, reset links and send receipts; opens sealed
  // fields with existing tenant keys (it never creates one).
  mail: { table: ['GetItem', 'PutItem'], tenantKeys: ['Decrypt'] },
};

/** Settings a consumer reads from SSM at runtime (stacks/parameters.ts); none unless named here. */
export const WORKER_SETTINGS: Record<QueueName, { secrets: readonly AppSecret[]; appUrl: boolean }> = {
  'meta-events': { secrets: [], appUrl: false },
  // The one function that sends mail holds Resend's key; links in mails point at the web app.
  mail: { secrets: ['RESEND_API_KEY'], appUrl: true },
};

/**
 * Every declared queue with its dead-letter queue, both encrypted with the stage key, and its
 * consumer: its own Lambda with partial batch failures. Workers send a message that can never
 * succeed to the dead-letter queue themselves (with the reason); SQS redrives the rest after
 * `maxReceiveCount` receives.
 */
export function Queues({ stack }: StackContext) {
  baseline(stack);
  const { stageKey } = use(Keys);
  const { table, bucket } = use(Storage);

  const queues = {} as Record<QueueOrDeadLetter, IQueue>;
  for (const name of queueNames) {
    const declaration = QUEUES[name];
    const deadLetter = new Queue(stack, deadLetterQueueName(name), {
      queueName: resourceName(stack.stage, deadLetterQueueName(name)),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: stageKey,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: MAX_MESSAGE_BYTES,
      enforceSSL: true,
    });
    const queue = new Queue(stack, name, {
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
    queues[name] = queue;
    queues[deadLetterQueueName(name)] = deadLetter;
  }

  const resources: SharedResources = { stageKey, table, bucket, queues };
  for (const name of queueNames) {
    const declaration: QueueDeclaration = QUEUES[name];
    const settings = WORKER_SETTINGS[name];
    const { environment, statements } = parameterAccess([
      ...settings.secrets.map((secret) => secretParameter(stack, secret)),
      ...(settings.appUrl ? [appUrlParameter(stack)] : []),
    ]);
    const { fn: consumer } = productFunction(stack, {
      name: `worker-${name}`,
      handler: declaration.consumer,
      description: `Consumes ${name}: ${declaration.description}`.slice(0, 256),
      timeoutSeconds: declaration.consumerTimeoutSeconds,
      access: mergeAccess(EVERY_WORKER, { sends: [deadLetterQueueName(name)] }, WORKER_ACCESS[name]),
      resources,
      environment,
      statements,
    });
    consumer.addEventSource(
      new SqsEventSource(queues[name], {
        batchSize: declaration.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: declaration.maxConcurrency,
      }),
    );
  }

  return { queues, resources };
}
