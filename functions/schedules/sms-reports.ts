import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { SMS_RECORDS } from '@asistone/core/sms/records';
import { pollSmsReports } from '@asistone/core/sms/reports';
import { netgsmFromEnv } from '@asistone/core/sms/settings';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/** Every 5 minutes: settles each business's pending SMS from NetGSM's delivery reports (sms/reports.ts). */
const log = createLogger('sms-reports');

export const handler = middy(async (event: unknown) => {
  const { storeOf, keyring } = platform();
  // As of when the run was due: a job is given up 3 days after it was sent by this clock.
  const due = runTime(event);
  const run = await pollSmsReports({
    store: storeOf({ ...TENANCY_RECORDS, ...SMS_RECORDS }),
    keyring,
    netgsm: netgsmFromEnv(process.env),
    now: () => Math.max(due, Date.now()),
  });
  // Counts and error kinds only: no number, no text, no credentials.
  log.info('sms reports done', { ...run });
  return run;
}).use(injectLambdaContext(log, { resetKeys: true }));
