import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { BILLING_ACCOUNT_RECORDS } from '@asistone/core/billing/records';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import { CAMPAIGN_RECORDS } from '@asistone/core/campaigns/campaign-records';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { runCampaignScheduler } from '@asistone/core/campaigns/scheduler';
import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/**
 * Each minute: starts campaigns that are due, queues again fan-outs and send batches that were
 * lost, completes and recounts finished campaigns, attributes orders (campaigns/scheduler.ts).
 */
const log = createLogger('campaign-scheduler');

export const handler = middy(async (event: unknown) => {
  const { storeOf, producer } = platform();
  return runCampaignScheduler(
    {
      store: storeOf({
        ...CAMPAIGN_RECORDS,
        ...AUDIT_RECORDS,
        ...INBOX_RECORDS,
        ...TENANCY_RECORDS,
        ...SHOPIFY_STORE_RECORDS,
        // Starting a due campaign counts its audience against the plan's month.
        ...CAMPAIGN_LIST_RECORDS,
        ...CAMPAIGN_SETTINGS_RECORDS,
        ...BILLING_ACCOUNT_RECORDS,
        ...USAGE_RECORDS,
      }),
      producer,
      log,
    },
    runTime(event),
  );
}).use(injectLambdaContext(log, { resetKeys: true }));
