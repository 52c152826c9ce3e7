import type { Access } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';

/**
 * Daily: deletes what is past its data class's retention, in every business, and keeps a
 * receipt per business it deleted from (privacy/purge.ts). Its own function: it reads keys by
 * Query (the business list, each class's locations), deletes in batches and writes receipts.
 * No tenant key (it opens nothing) and no objects (no object class is purged by age).
 */
export const RETENTION_PURGE_SCHEDULE = {
  name: 'retention-purge',
  description: "Deletes items past their data class's retention and keeps a receipt",
  handler: 'functions/schedules/retention-purge.handler',
  // 02:41 UTC daily: before the token refresh, off the hour, when Turkish merchants are asleep.
  cron: '41 2 * * *',
  timeoutSeconds: 900,
  access: { table: ['Query', 'BatchWriteItem', 'PutItem'] } satisfies Access,
} as const satisfies ScheduleDeclaration;
