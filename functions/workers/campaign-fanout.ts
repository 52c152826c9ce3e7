import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { type FanoutDeps, fanOut } from '@asistone/core/campaigns/fanout';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { CAMPAIGN_FANOUT_QUEUE } from '@asistone/core/campaigns/send-queues';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `campaign-fanout`: turns a sending campaign's audience into recipients and send
 * batches, a page at a time, and continues in a new message before its time is up.
 */
const log = createLogger('campaign-fanout');

const deps = once(async (): Promise<Omit<FanoutDeps, 'timeLeftMs'>> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...CAMPAIGN_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
    }),
    keyring,
    producer,
  };
});

const worker = queueWorker(
  CAMPAIGN_FANOUT_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    const ends = Date.now() + CAMPAIGN_FANOUT_QUEUE.consumer.timeoutSeconds * 1000;
    const result = await fanOut({ ...(await deps()), timeLeftMs: () => ends - Date.now() }, message);
    log.info('campaign fanned out', { tenantId: message.tenantId, campaignId: message.campaignId, ...result });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
