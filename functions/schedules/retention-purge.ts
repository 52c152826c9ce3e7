import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { purgeRetention } from '@asistone/core/privacy/purge';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/** Daily: deletes what is past its data class's retention in every business (privacy/purge.ts). */
const log = createLogger('retention-purge');

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
