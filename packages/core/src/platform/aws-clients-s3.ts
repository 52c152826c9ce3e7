import { S3Client } from '@aws-sdk/client-s3';
import { type ClientConfig, emulatorEndpoint } from './aws-clients.js';

/** The S3 client (see `aws-clients.ts`): a webhook loads it only for a claim check. */
export function createS3Client(config: ClientConfig): S3Client {
  // The local S3 emulator has no per-bucket host names.
  return new S3Client({
    region: config.AWS_REGION,
    maxAttempts: 4,
    forcePathStyle: Boolean(config.AWS_ENDPOINT_URL_S3),
    // Checksums only where S3 requires them: otherwise a presigned upload link carries the
    // checksum of an empty body (the SDK computes it when signing), and S3 refuses the real file.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...emulatorEndpoint(config.AWS_ENDPOINT_URL_S3),
  });
}
