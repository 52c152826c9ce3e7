import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { META_EVENTS_QUEUE } from '../../src/channels/meta/queue.js';
import { platform } from '../../src/platform/context.js';
import type { QueueDeclaration } from '../../src/platform/queue/declarations.js';
import { queueWorker } from '../../src/platform/queue/worker.js';

/**
 * A consumer the local poller loads by its declared path, as it loads the product's: one
 * message (n = 2) takes until the test lets it finish, longer than the consumer's timeout.
 */
const Note = z.object({ tenantId: z.string(), n: z.number() });

export const SLOW_QUEUE = {
  ...META_EVENTS_QUEUE,
  message: Note,
  consumer: {
    ...META_EVENTS_QUEUE.consumer,
    handler: 'packages/core/tests/support/slow-consumer.handler',
    timeoutSeconds: 2,
  },
} as const satisfies QueueDeclaration;

export const finished: number[] = [];
let release: () => void = () => undefined;
const released = new Promise<void>((resolve) => {
  release = resolve;
});
export const releaseSlow = () => release();

const log = new Logger({ logLevel: 'SILENT' });

export const handler = queueWorker(
  SLOW_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    if (message.n === 2) await released;
    finished.push(message.n);
  },
);
