import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { type OrderNoticeDeps, processOrderNotices } from '@asistone/core/order-notices/notices';
import { ORDER_NOTICES_QUEUE } from '@asistone/core/order-notices/queue';
import { ORDER_NOTICE_RECORDS } from '@asistone/core/order-notices/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { customerChannels } from '../lib/customer-channels.js';

/** Consumes `order-notices`: sends each order's due confirmation and shipping notices once per channel. */
const log = createLogger('order-notices');

/** Built on first message: the Resend key is read from SSM once per cold start, again after a failure. */
const noticeDeps = once(async (): Promise<OrderNoticeDeps> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...ORDER_NOTICE_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
    }),
    keyring,
    producer,
    log,
    channels: await customerChannels(log, 'informational'),
  };
});

const worker = queueWorker(
  ORDER_NOTICES_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => processOrderNotices(await noticeDeps(), message),
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
