import { marketingApi } from '@asistone/core/ads/marketing-api';
import { ADS_SYNC_QUEUE } from '@asistone/core/ads/queue';
import { ADS_RECORDS } from '@asistone/core/ads/records';
import { type AdSyncDeps, runAdSync } from '@asistone/core/ads/sync';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `ads-sync`: one run of one ad account's sync (ads/sync.ts). While the history is still
 * coming, or Meta asked for a pause, the account is queued again for when it is worth it (SQS
 * holds a message at most 15 minutes; the hourly schedule covers longer pauses).
 */
const log = createLogger('ads-sync');
const MAX_DELAY_SECONDS = 900;

const syncDeps = once(async (): Promise<AdSyncDeps> => {
  const { storeOf, keyring } = platform();
  return {
    store: storeOf(ADS_RECORDS),
    keyring,
    api: marketingApi({ baseUrl: metaGraphSettings(process.env).baseUrl }),
  };
});

const worker = queueWorker(
  ADS_SYNC_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    const outcome = await runAdSync(await syncDeps(), message.tenantId, message.accountId);
    log.info('ads sync', { accountId: message.accountId, ...outcome });
    if ((outcome.state === 'more' || outcome.state === 'paused') && outcome.nextAt !== undefined) {
      const delaySeconds = Math.ceil((outcome.nextAt - Date.now()) / 1000);
      if (delaySeconds <= MAX_DELAY_SECONDS) {
        await platform().producer.send(ADS_SYNC_QUEUE, message, { delaySeconds: Math.max(1, delaySeconds) });
      }
    }
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
