import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { billingBackground } from '@asistone/core/billing/config';
import { BILLING_RECORDS } from '@asistone/core/billing/deps';
import { handleBillingEvent } from '@asistone/core/billing/events';
import { BILLING_EVENTS_QUEUE } from '@asistone/core/billing/events-queue';
import { mailQueue } from '@asistone/core/notify/outbound';
import { platform } from '@asistone/core/platform/context';
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
const settings = once(async () => billingBackground(await withSecrets(process.env)));

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
