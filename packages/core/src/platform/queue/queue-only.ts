import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../aws-clients.js';
import type { Blobs } from '../blobs.js';
import { type Config, readConfig } from '../config.js';
import { once } from '../once.js';
import { createProducer, type Producer, sqsSink } from './producer.js';

export interface QueueOnlyPlatform {
  producer: Producer;
  /** The client it sends with (benchmarks swap its transport). */
  aws: { sqs: SQSClient };
}

let current: QueueOnlyPlatform | undefined;

/**
 * Claim-check storage, loaded on the first body too large for SQS: S3's client is a tenth of a
 * webhook's bundle, and evaluating it on every cold start would cost what almost no call uses.
 */
function claimCheckBlobs(config: Config): Pick<Blobs, 'put'> {
  const blobs = once(async () => {
    const [{ createS3Client }, { createBlobs }] = await Promise.all([
      import('../aws-clients-s3.js'),
      import('../blobs.js'),
    ]);
    return createBlobs(createS3Client(config), config.MEDIA_BUCKET);
  });
  return { put: async (...args) => (await blobs()).put(...args) };
}

/**
 * What a function that only queues (a webhook) needs, created on first use from `process.env`:
 * a producer over SQS, with S3 for claim checks loaded when first needed, and nothing else.
 * {@link platform} would also load the store and the keyring, which such a function never uses
 * and its cold start would pay for.
 *
 * @example
 * await queueOnlyPlatform().producer.send(META_EVENTS_QUEUE, delivery);
 */
export function queueOnlyPlatform(): QueueOnlyPlatform {
  if (!current) {
    const config = readConfig(process.env);
    const sqs = createSqsClient(config);
    current = {
      producer: createProducer(
        sqsSink(sqs, (queue) => config.queueUrl(queue)),
        claimCheckBlobs(config),
      ),
      aws: { sqs },
    };
  }
  return current;
}
