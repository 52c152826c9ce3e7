import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { STOCK_ALERTS_QUEUE } from '@asistone/core/shopify/low-stock';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { mailLowStockAlert } from '@asistone/core/stock/low-stock-mail';
import { STOCK_RECORDS } from '@asistone/core/stock/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `stock-alerts`: mails each low-stock alert to the business's owners and admins, once. */
const log = createLogger('stock-alerts');

const deps = once(async () => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...ACCOUNT_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...STOCK_RECORDS,
    }),
    keyring,
    mails: mailQueue(producer),
    appUrl: readLinksConfig(process.env).APP_URL,
  };
});

const worker = queueWorker(
  STOCK_ALERTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (alert) => {
    const queued = await mailLowStockAlert(await deps(), alert);
    log.info('low-stock alert mailed', { queued });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
