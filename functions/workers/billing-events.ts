import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { readBillingConfig, sellerOf } from '@asistone/core/billing/config';
import { BILLING_RECORDS } from '@asistone/core/billing/deps';
import { handleBillingEvent } from '@asistone/core/billing/events';
import { BILLING_EVENTS_QUEUE } from '@asistone/core/billing/events-queue';
import { iyzicoClient } from '@asistone/core/billing/iyzico-client';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { ConfigError } from '@asistone/core/platform/errors';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/**
 * Consumes `billing-events`: each verified iyzico notification is handed to the billing area
 * (events.ts), which reads the subscription back from iyzico and applies it once.
 */
const log = createLogger('billing-events');

/** iyzico's keys and the app's URL, read from SSM once per cold start (again after a failure). */
const settings = once(async () => {
  const env = await withSecrets(process.env);
  const config = readBillingConfig(env);
  if (!config.IYZICO_API_KEY || !config.IYZICO_SECRET_KEY) {
    throw new ConfigError('invalid configuration: IYZICO_API_KEY and IYZICO_SECRET_KEY must be set');
  }
  const iyzico = iyzicoClient({
    baseUrl: config.IYZICO_BASE_URL,
    apiKey: config.IYZICO_API_KEY,
    secretKey: config.IYZICO_SECRET_KEY,
  });
  return { iyzico, seller: sellerOf(config), appUrl: readLinksConfig(env).APP_URL };
});

const worker = queueWorker(
  BILLING_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (notification) => {
    const { storeOf, keyring, producer } = platform();
    const store = storeOf({ ...BILLING_RECORDS, ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS });
    const outcome = await handleBillingEvent(
      { store, keyring, mails: mailQueue(producer), ...(await settings()) },
      notification,
    );
    log.info('billing event', { outcome, type: notification.iyziEventType });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
