import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { runDueAccountDeletions } from '@asistone/core/privacy/account-deletion';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Hourly: deletes the businesses whose deletion grace period has ended: the business marked
 * `deleting`, its key destroyed, every item and object purged, the request completed with a
 * receipt (privacy/account-deletion.ts).
 */
const log = createLogger('account-deletions');

/**
 * The run's clock is the event's `time` (EventBridge stamps when the schedule fired), so a
 * delayed or replayed run decides as of when it was due, and `npm run invoke` can run it as of
 * any day.
 */
function runTime(event: unknown): number {
  const time = (event as { time?: unknown } | undefined)?.time;
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : Date.now();
}

export const handler = middy(async (event: unknown) => {
  const { aws, config, blobs, storeOf, keyring } = platform();
  const run = await runDueAccountDeletions(
    {
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
      blobs,
      store: storeOf({ ...PRIVACY_RECORDS, ...PRIVACY_REQUEST_RECORDS, tenant: TENANCY_RECORDS.tenant }),
      dataClasses: DATA_CLASSES,
      keyring,
      log,
    },
    runTime(event),
  );
  // Ids and counts only: the receipts hold no personal data, and neither does this line.
  log.info('account deletions done', { deleted: run.deleted, failed: run.failed.length });
  // A failure fails the run, so it shows in the function's errors; the next run resumes it.
  if (run.failed.length > 0) throw new Error(`${run.failed.length} account deletions failed; resumed next run`);
  return { deleted: run.deleted.length };
}).use(injectLambdaContext(log, { resetKeys: true }));
