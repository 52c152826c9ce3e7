import { type MetaEventDeps, processMetaDelivery } from '@asistone/core/channels/meta/events';
import { META_EVENTS_QUEUE } from '@asistone/core/channels/meta/queue';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { channelDirectory } from '@asistone/core/tenancy/channel-directory';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `meta-events`: each signed delivery becomes contacts, conversations and messages of
 * the businesses its changes belong to.
 */
const log = createLogger('meta-events');

/** Built on first message: its directory keeps who owns which channel for a minute, per container. */
let deps: MetaEventDeps | undefined;
function eventDeps(): MetaEventDeps {
  if (!deps) {
    const { storeOf, keyring } = platform();
    const store = storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
    deps = { store, keyring, log, directory: channelDirectory(store) };
  }
  return deps;
}

const worker = queueWorker(
  META_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (delivery) => {
    await processMetaDelivery(eventDeps(), delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
