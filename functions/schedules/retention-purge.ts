import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { purgeRetention } from '@asistone/core/privacy/purge';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Daily: deletes what is past its data class's retention in every business (privacy/purge.ts). */
const log = createLogger('retention-purge');

/**
 * The run's clock is the event's `time` (EventBridge stamps when the schedule fired), so a
 * delayed or replayed run decides as of when it was due.
 */
function runTime(event: unknown): number {
  const time = (event as { time?: unknown } | undefined)?.time;
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Date.now();
}

export const handler = middy(async (event: unknown) => {
  const { aws, config, blobs, storeOf } = platform();
  const reports = await purgeRetention(
    {
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
      blobs,
      store: storeOf({ ...PRIVACY_RECORDS, tenant: TENANCY_RECORDS.tenant }),
      dataClasses: DATA_CLASSES,
    },
    { by: 'schedule:retention-purge', now: runTime(event) },
  );
  // Counts and ids only: a receipt holds no personal data, and neither does this line.
  const deleted = reports.filter((report) => report.receiptId);
  log.info('retention purge done', {
    businesses: reports.length,
    purged: deleted.map(({ tenantId, receiptId, classes }) => ({
      tenantId,
      receiptId,
      items: classes.reduce((sum, c) => sum + c.items, 0),
    })),
  });
  return { businesses: reports.length, receipts: deleted.length };
}).use(injectLambdaContext(log, { resetKeys: true }));
