import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { type ReleaseDeps, releaseBusinessChannels } from '@asistone/core/channels/connect/manage';
import { graphClient } from '@asistone/core/channels/meta/graph';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { ACCOUNT_DELETIONS_RUNNER, runDueAccountDeletions } from '@asistone/core/privacy/account-deletion';
import { DATA_CLASSES } from '@asistone/core/privacy/catalog';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { PRIVACY_RECORDS } from '@asistone/core/privacy/records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/**
 * Hourly: deletes the businesses whose deletion grace period has ended: the business marked
 * `deleting`, its channels disconnected at Meta, its key destroyed, every item and object
 * purged, the request completed with a receipt (privacy/account-deletion.ts).
 */
const log = createLogger('account-deletions');

/** What disconnecting a business's channels at Meta takes (its own tokens: no app secret). */
function releaseDeps(): ReleaseDeps {
  const { storeOf, keyring } = platform();
  return {
    store: storeOf({ ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...INBOX_RECORDS }),
    keyring,
    log,
    graph: graphClient(metaGraphSettings(process.env)),
  };
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
      releaseChannels: async (tenantId) => releaseBusinessChannels(releaseDeps(), tenantId, ACCOUNT_DELETIONS_RUNNER),
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
