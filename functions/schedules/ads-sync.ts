import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { ADS_RECORDS } from '@asistone/core/ads/records';
import { sweepAdAccounts } from '@asistone/core/ads/sweep';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/** Hourly: queues every connected ad account's sync and reminds owners of sign-ins about to lapse (ads/sweep.ts). */
const log = createLogger('ads-sync-schedule');

export const handler = middy(async (event: unknown) => {
  const { storeOf, keyring, producer } = platform();
  const run = await sweepAdAccounts(
    {
      store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
      ads: storeOf(ADS_RECORDS),
      keyring,
      producer,
      mails: mailQueue(producer),
      appUrl: readLinksConfig(process.env).APP_URL,
    },
    runTime(event),
  );
  log.info('ads sync sweep', { ...run });
  return run;
}).use(injectLambdaContext(log, { resetKeys: true }));
