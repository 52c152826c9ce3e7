import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { warnOfPrivacyDeadlines } from '@asistone/core/privacy/deadlines';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/**
 * Daily: one warning per open privacy request of any business due within five days or overdue
 * (privacy/deadlines.ts). On AWS a metric filter counts the warnings and a CloudWatch alarm
 * fires (stacks/Jobs.ts); locally the warning line in `npm start`'s log is the alarm.
 */
const log = createLogger('privacy-deadlines');

export const handler = middy(async (event: unknown) => {
  const { storeOf } = platform();
  const check = await warnOfPrivacyDeadlines({ store: storeOf(PRIVACY_REQUEST_RECORDS), log }, runTime(event));
  return { nearing: check.nearing.length, overdue: check.overdue, byBusiness: check.byBusiness };
}).use(injectLambdaContext(log, { resetKeys: true }));
