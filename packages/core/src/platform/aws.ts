import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config.js';

/**
 * AWS SDK clients for this process. Endpoints come from the standard `AWS_ENDPOINT_URL_<API>`
 * variables, which the SDK reads itself; locally they point at the emulators.
 */
export function createAwsClients(config: Config) {
  const region = config.AWS_REGION;
  return {
    dynamo: new DynamoDBClient({ region, maxAttempts: 4 }),
    // Locally, queue URLs name a host that does not resolve; the configured endpoint wins.
    sqs: new SQSClient({ region, maxAttempts: 4, useQueueUrlAsEndpoint: !config.AWS_ENDPOINT_URL_SQS }),
    // The local S3 emulator has no per-bucket host names.
    s3: new S3Client({ region, maxAttempts: 4, forcePathStyle: Boolean(config.AWS_ENDPOINT_URL_S3) }),
    kms: new KMSClient({ region, maxAttempts: 4 }),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
