import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { customerMailer } from '@asistone/core/notify/tracked-mail';
import { type OrderNoticeDeps, processOrderNotices } from '@asistone/core/order-notices/notices';
import { ORDER_NOTICES_QUEUE } from '@asistone/core/order-notices/queue';
import { ORDER_NOTICE_RECORDS } from '@asistone/core/order-notices/records';
import { noticeChannels } from '@asistone/core/order-notices/wiring';
import { isLocalStack, readMailConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { netgsmFromEnv } from '@asistone/core/sms/settings';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `order-notices`: sends each order's due confirmation and shipping notices once per channel. */
const log = createLogger('order-notices');

/** Built on first message: the Resend key is read from SSM once per cold start, again after a failure. */
const noticeDeps = once(async (): Promise<OrderNoticeDeps> => {
  const { storeOf, keyring, producer, config } = platform();
  const env = await withSecrets(process.env);
  const mail = readMailConfig(env);
  const local = isLocalStack(config);
  let resend: ReturnType<typeof customerMailer> | undefined;
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
    channels: noticeChannels({
      storeOf,
      keyring,
      resend: () => {
        resend ??= customerMailer(env, local);
        return resend;
      },
      mailFrom: mail.MAIL_FROM,
      netgsm: netgsmFromEnv(env),
      log,
    }),
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
