import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config.js';

/**
 * The SQS client on its own (S3's in `aws-clients-s3.ts`), so a function that only queues (a
 * webhook) builds it without pulling in DynamoDB, KMS or S3. In AWS clients use the function's
 * role; locally the config names an emulator endpoint per API, and the emulators accept any
 * credentials.
 */
export type ClientConfig = Pick<Config, 'AWS_REGION' | 'AWS_ENDPOINT_URL_SQS' | 'AWS_ENDPOINT_URL_S3'>;

export const EMULATED_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export const emulatorEndpoint = (endpoint: string | undefined) =>
  endpoint ? { endpoint, credentials: EMULATED_CREDENTIALS } : {};

export function createSqsClient(config: ClientConfig): SQSClient {
  // Locally, queue URLs name a host that does not resolve; the configured endpoint wins.
  return new SQSClient({
    region: config.AWS_REGION,
    maxAttempts: 4,
    useQueueUrlAsEndpoint: !config.AWS_ENDPOINT_URL_SQS,
    ...emulatorEndpoint(config.AWS_ENDPOINT_URL_SQS),
  });
}
