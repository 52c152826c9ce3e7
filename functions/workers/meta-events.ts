import { processMetaDelivery } from '@asistone/core/channels/meta/events';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `meta-events`: each signed delivery becomes contacts, conversations and messages. */
const log = createLogger('meta-events');

const worker = queueWorker(
  'meta-events',
  () => {
    const { blobs, deadLetters } = platform();
    return { blobs, deadLetters, log };
  },
  async (delivery) => {
    const { store, keyring } = platform();
    await processMetaDelivery({ store, keyring, log }, delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
