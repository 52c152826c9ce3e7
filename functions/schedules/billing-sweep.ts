import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { billingBackground } from '@asistone/core/billing/config';
import { BILLING_RECORDS } from '@asistone/core/billing/deps';
import { sweepBilling } from '@asistone/core/billing/sweep';
import { mailQueue } from '@asistone/core/notify/outbound';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';
import { withSecrets } from '../lib/secrets.js';

/**
 * Hourly: grace retries and reminders, read-only when grace ran out, cancellations at the
 * period's end, renewals whose notification never came (billing/sweep.ts). The run's clock is
 * the event's `time`, so `npm run invoke -- schedule-billing-sweep` can run it as of any day.
 */
const log = createLogger('billing-sweep');

/** iyzico's keys and the app's URL, read from SSM once per cold start (again after a failure). */
const settings = once(async () => billingBackground(await withSecrets(process.env)));

export const handler = middy(async (event: unknown) => {
  const { storeOf, keyring, producer } = platform();
  const run = await sweepBilling(
    {
      store: storeOf({ ...BILLING_RECORDS, ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
      keyring,
      mails: mailQueue(producer),
      ...(await settings()),
    },
    runTime(event),
  );
  log.info('billing sweep', { ...run, failed: run.failed.length });
  if (run.failed.length > 0)
    log.warn('billing sweep: some businesses failed; the next run retries them', { tenants: run.failed });
  return run;
}).use(injectLambdaContext(log, { resetKeys: true }));
