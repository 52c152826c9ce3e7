import { processMetaDelivery } from '@asistone/core/channels/meta/events';
import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `meta-events`: each signed delivery becomes contacts, conversations and messages. */
const log = createLogger('meta-events');

const worker = queueWorker(
  META_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (delivery) => {
    const { storeOf, keyring } = platform();
    await processMetaDelivery({ store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }), keyring, log }, delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
