import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createSqsClient, emulatorEndpoint } from './aws-clients.js';
import { createS3Client } from './aws-clients-s3.js';
import type { Config } from './config.js';

/**
 * AWS SDK clients for this process. In AWS they use the function's role; locally the config
 * names an emulator endpoint per API, and the emulators accept any credentials.
 */
export function createAwsClients(config: Config) {
  const region = config.AWS_REGION;
  return {
    dynamo: new DynamoDBClient({ region, maxAttempts: 4, ...emulatorEndpoint(config.AWS_ENDPOINT_URL_DYNAMODB) }),
    sqs: createSqsClient(config),
    s3: createS3Client(config),
    kms: new KMSClient({ region, maxAttempts: 4 }),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
