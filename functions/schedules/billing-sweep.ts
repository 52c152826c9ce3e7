import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { readBillingConfig, sellerOf } from '@asistone/core/billing/config';
import { BILLING_RECORDS } from '@asistone/core/billing/deps';
import { iyzicoClient } from '@asistone/core/billing/iyzico-client';
import { sweepBilling } from '@asistone/core/billing/sweep';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { ConfigError } from '@asistone/core/platform/errors';
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
