import type { Access } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';

/**
 * Hourly: deletes the businesses whose grace period has ended (privacy/account-deletion.ts).
 * Hourly rather than daily because the owner is shown the hour the grace period ends, and
 * because a purge cut off by the function's timeout is resumed by the next run: a large business
 * is finished within hours, not days. A run with nothing due is one Query.
 *
 * Least privilege: it reads the open requests' index and the business's keys by Query, reads
 * and marks the business record, deletes items in batches and writes the receipts; lists and
 * deletes the business's objects (ListBucket is needed to list `tenants/<id>/`); opens the
 * channels' tokens once, to unsubscribe them at Meta before the key goes (Decrypt, and the
 * Graph API's settings); and destroys the business's KMS key (disable, schedule its deletion;
 * DescribeKey tells a key already pending deletion apart on a resumed run).
 */
export const ACCOUNT_DELETIONS_SCHEDULE = {
  name: 'account-deletions',
  description: 'Deletes businesses whose deletion grace period has ended: key destroyed, data purged, receipt kept',
  handler: 'functions/schedules/account-deletions.handler',
  // At minute 17 of every hour: off the hour, away from the daily retention purge's 02:41.
  cron: '17 * * * *',
  timeoutSeconds: 900,
  access: {
    table: ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    blobs: ['DeleteObject'],
    headBucket: true,
    tenantKeys: ['Decrypt', 'DisableKey', 'ScheduleKeyDeletion', 'DescribeKey'],
  } satisfies Access,
  settings: { metaGraph: true },
} as const satisfies ScheduleDeclaration;
