import * as z from 'zod';
import type { QueueDeclaration } from '../platform/queue/declarations.js';

/** `privacy-exports`: one message per requested export. */
export const PRIVACY_EXPORTS_QUEUE = {
  name: 'privacy-exports',
  description: 'Full account exports: the archive built and stored, the request completed',
  // `by`: who asked (`member:<userId>`), named in the receipt.
  message: z.object({ tenantId: z.string(), requestId: z.string(), by: z.string() }),
  // 6× the consumer's timeout, as AWS advises.
  visibilityTimeoutSeconds: 5400,
  batchSize: 1,
  maxReceiveCount: 3,
  // One export at a time per consumer: each may hold a large business's archive in memory.
  sequential: true,
  consumer: {
    description: 'Builds a business’s full export archive',
    handler: 'functions/workers/privacy-exports.handler',
    timeoutSeconds: 900,
    memoryMb: 1536,
    // Reads everything of the business by Query and GetItem, opens sealed fields with its key,
    // stores the archive (and presigns the media links inside it), completes the request.
    access: {
      table: ['GetItem', 'Query', 'PutItem'],
      tenantKeys: ['Decrypt'],
      // PutObjectTagging: the archive is tagged for the lifecycle rule that removes it after a day.
      blobs: ['GetObject', 'PutObject', 'PutObjectTagging'],
      headBucket: true,
    },
  },
} as const satisfies QueueDeclaration;
