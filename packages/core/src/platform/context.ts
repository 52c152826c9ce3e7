import { createAwsClients } from './aws.js';
import { createBlobs, LOCAL_MEDIA_PATH } from './blobs.js';
import { type Config, isLocalStack, readConfig } from './config.js';
import type { KeyProvider } from './crypto/key-provider.js';
import { TenantKeyring } from './crypto/keyring.js';
import { KmsKeyProvider } from './crypto/kms-key-provider.js';
import { LocalKeyProvider } from './crypto/local-key-provider.js';
import { KEY_RECORDS } from './crypto/records.js';
import { bucketCheck, type HealthCheck, keyProviderCheck, queuesCheck, tableCheck } from './health.js';
import { sqsDeadLetters } from './queue/dead-letters.js';
import { createProducer, sqsSink } from './queue/producer.js';
import { SETTLED_MESSAGE_RECORDS } from './queue/records.js';
import { storedSettlements } from './queue/settlements.js';
import { createStore, type Records, type Store } from './store/service.js';

/**
 * Everything a handler needs, built once per process from the environment. Handlers call
 * {@link platform} lazily so that a cold start only pays for what the first request uses, and
 * ask for the records they work with ({@link Platform.storeOf}): a bundle carries only those.
 */
export function createPlatform(config: Config) {
  const aws = createAwsClients(config);
  const keyProvider: KeyProvider =
    config.KEY_PROVIDER === 'kms'
      ? new KmsKeyProvider(aws.kms, config.STAGE)
      : new LocalKeyProvider(config.LOCAL_KEY_DIR as string);
  const blobs = createBlobs(aws.s3, config.MEDIA_BUCKET, isLocalStack(config) ? LOCAL_MEDIA_PATH : undefined);
  const queueUrl = (queue: string) => config.queueUrl(queue);
  const storeOf = <R extends Records>(records: R): Store<R> => createStore(aws.dynamo, config.TABLE_NAME, records);
  return {
    config,
    aws,
    blobs,
    storeOf,
    keyring: new TenantKeyring(keyProvider, storeOf(KEY_RECORDS), config.DATA_KEY_CACHE_MINUTES * 60_000),
    producer: createProducer(sqsSink(aws.sqs, queueUrl), blobs),
    deadLetters: sqsDeadLetters(aws.sqs, queueUrl),
    /** Queue messages finished for good, so workers settle each one once. */
    settlements: storedSettlements(storeOf(SETTLED_MESSAGE_RECORDS)),
    /** What every process can check about the platform it runs on. */
    healthChecks(): Record<string, HealthCheck> {
      return {
        table: tableCheck(aws.dynamo, config.TABLE_NAME),
        media: bucketCheck(aws.s3, config.MEDIA_BUCKET),
        queues: queuesCheck(aws.sqs, config.queueUrls()),
        keys: keyProviderCheck(
          config.KEY_PROVIDER === 'kms'
            ? { kind: 'kms', kms: aws.kms }
            : { kind: 'local', keyDir: config.LOCAL_KEY_DIR as string },
        ),
      };
    },
  };
}

export type Platform = ReturnType<typeof createPlatform>;

let current: Platform | undefined;

/** This process's platform, created on first use from `process.env`. */
export function platform(): Platform {
  current ??= createPlatform(readConfig(process.env));
  return current;
}
