import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config.js';

/**
 * AWS SDK clients for this process. In AWS they use the function's role; locally the config
 * names an emulator endpoint per API, and the emulators accept any credentials.
 */
export function createAwsClients(config: Config) {
  const region = config.AWS_REGION;
  const emulated = { accessKeyId: 'local', secretAccessKey: 'local' };
  const at = (endpoint: string | undefined) => (endpoint ? { endpoint, credentials: emulated } : {});
  return {
    dynamo: new DynamoDBClient({ region, maxAttempts: 4, ...at(config.AWS_ENDPOINT_URL_DYNAMODB) }),
    // Locally, queue URLs name a host that does not resolve; the configured endpoint wins.
    sqs: new SQSClient({
      region,
      maxAttempts: 4,
      useQueueUrlAsEndpoint: !config.AWS_ENDPOINT_URL_SQS,
      ...at(config.AWS_ENDPOINT_URL_SQS),
    }),
    // The local S3 emulator has no per-bucket host names.
    s3: new S3Client({
      region,
      maxAttempts: 4,
      forcePathStyle: Boolean(config.AWS_ENDPOINT_URL_S3),
      ...at(config.AWS_ENDPOINT_URL_S3),
    }),
    kms: new KMSClient({ region, maxAttempts: 4 }),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
