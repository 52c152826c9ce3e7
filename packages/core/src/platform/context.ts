import { createAwsClients } from './aws.js';
import { createBlobs } from './blobs.js';
import { type Config, readConfig } from './config.js';
import type { KeyProvider } from './crypto/key-provider.js';
import { TenantKeyring } from './crypto/keyring.js';
import { KmsKeyProvider } from './crypto/kms-key-provider.js';
import { LocalKeyProvider } from './crypto/local-key-provider.js';
import { sqsDeadLetters } from './queue/dead-letters.js';
import { createProducer, sqsSink } from './queue/producer.js';
import { createStore } from './store/service.js';

/**
 * Everything a handler needs, built once per process from the environment. Handlers call
 * {@link platform} lazily so that a cold start only pays for what the first request uses.
 */
export function createPlatform(config: Config) {
  const aws = createAwsClients(config);
  const store = createStore(aws.dynamo, config.TABLE_NAME);
  const keyProvider: KeyProvider =
    config.KEY_PROVIDER === 'kms'
      ? new KmsKeyProvider(aws.kms, config.STAGE)
      : new LocalKeyProvider(config.LOCAL_KEY_DIR as string);
  const blobs = createBlobs(aws.s3, config.MEDIA_BUCKET);
  const queueUrl = (queue: string) => config.queueUrl(queue);
  return {
    config,
    aws,
    store,
    blobs,
    keyring: new TenantKeyring(keyProvider, store, config.DATA_KEY_CACHE_MINUTES * 60_000),
    producer: createProducer(sqsSink(aws.sqs, queueUrl), blobs),
    deadLetters: sqsDeadLetters(aws.sqs, queueUrl),
  };
}

export type Platform = ReturnType<typeof createPlatform>;

let current: Platform | undefined;

/** This process's platform, created on first use from `process.env`. */
export function platform(): Platform {
  current ??= createPlatform(readConfig(process.env));
  return current;
}
