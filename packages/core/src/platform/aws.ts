import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { createSqsClient, emulatorEndpoint } from './aws-clients.js';
import { createS3Client } from './aws-clients-s3.js';
import type { Config } from './config.js';
import { KMS_PROVIDER, providerRefused } from './provider-refusals.js';

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
    kms: reportingThrottles(new KMSClient({ region, maxAttempts: 4 })),
  };
}

/**
 * KMS answers ThrottlingException when the account's shared request rate is spent: every tenant's
 * key is behind it, so each request that still failed after the SDK's retries is reported for the
 * `kms-throttles` alarm.
 */
function reportingThrottles(kms: KMSClient): KMSClient {
  kms.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if ((error as Error).name === 'ThrottlingException') {
          providerRefused(KMS_PROVIDER, 'rate-limit', { operation: context.commandName });
        }
        throw error;
      }
    },
    // Outside the retry step: only what is still throttled after the retries counts.
    { step: 'initialize', name: 'reportKmsThrottles' },
  );
  return kms;
}

export type AwsClients = ReturnType<typeof createAwsClients>;
