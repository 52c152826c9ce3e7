import { graphClient } from '@asistone/core/channels/meta/graph';
import { isMetaMediaHost } from '@asistone/core/channels/meta/graph-media';
import { fetchMedia, type MediaWorkerDeps } from '@asistone/core/channels/meta/media-fetch';
import { MEDIA_QUEUE } from '@asistone/core/channels/meta/media-queue';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { isLocalStack, metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `media`: copies each customer's media file from Meta into the business's storage. */
const log = createLogger('media');

let deps: MediaWorkerDeps | undefined;
function mediaDeps(): MediaWorkerDeps {
  if (!deps) {
    const { storeOf, keyring, blobs, config } = platform();
    const settings = metaGraphSettings(process.env);
    // On the local stack the fake Meta serves media from its own (loopback) host; in AWS only
    // Meta's CDNs, and never a private address.
    const fake = isLocalStack(config) ? new URL(settings.baseUrl) : undefined;
    deps = {
      store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }),
      keyring,
      blobs,
      graph: graphClient(settings),
      allowHost: (hostname) => isMetaMediaHost(hostname) || hostname === fake?.hostname,
      localHosts: fake ? [fake.host] : [],
      log,
    };
  }
  return deps;
}

const worker = queueWorker(
  MEDIA_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request) => {
    const outcome = await fetchMedia(mediaDeps(), request);
    log.info('media processed', { outcome, channel: request.channel.kind, type: request.messageType });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
