import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { CAMPAIGN_PACE_RECORDS } from '@asistone/core/campaigns/pace';
import { type SendDeps, sendBatch } from '@asistone/core/campaigns/send';
import { CAMPAIGN_SEND_QUEUE } from '@asistone/core/campaigns/send-queues';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `campaign-send`: sends one batch of a campaign at its number's pace, each recipient
 * at most once, and queues the batch again (held back) for recipients not due yet.
 */
const log = createLogger('campaign-send');

const deps = once(async (): Promise<Omit<SendDeps, 'timeLeftMs'>> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...CAMPAIGN_RECORDS,
      ...CAMPAIGN_PACE_RECORDS,
      ...CAMPAIGN_LIST_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
    }),
    keyring,
    producer,
    log,
    // No answer in 10 s: the outcome is unknown and the recipient is never sent again.
    graph: graphClient({ ...metaGraphSettings(process.env), timeoutMs: 10_000 }),
  };
});

const worker = queueWorker(
  CAMPAIGN_SEND_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    const ends = Date.now() + CAMPAIGN_SEND_QUEUE.consumer.timeoutSeconds * 1000;
    const result = await sendBatch({ ...(await deps()), timeLeftMs: () => ends - Date.now() }, message);
    log.info('campaign batch sent', { ...message, ...result });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
