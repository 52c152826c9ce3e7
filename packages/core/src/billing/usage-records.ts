import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * A business's metered use in one month (Istanbul), in its partition (`t#<tenant>`,
 * `usage#2026-12`): one counter per monthly limit, each raised with one conditional ADD that
 * holds it within the plan (usage.ts). A new month is a new item: nothing is reset.
 */
export const UsageRecord = new Entity({
  model: { entity: 'billingUsage', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** `2026-12`: the Istanbul month counted. */
    month: { type: 'string', required: true, readOnly: true },
    /** AI agent replies generated for customers (the sandbox's trials are free). */
    aiReplies: { type: 'number' },
    /** Campaign recipients, counted when each campaign starts. */
    campaignMessages: { type: 'number' },
  },
  indexes: {
    byMonth: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['month'], template: 'usage#${month}', casing: 'none' },
    },
  },
});

export const USAGE_RECORDS = { billingUsage: UsageRecord };
export type UsageRecordStore = Store<typeof USAGE_RECORDS>;

export const USAGE_DATA_CLASSES: DataClass[] = [
  {
    name: 'billing.usage',
    description:
      'Per month: how many AI replies and campaign messages the business used (counts only, no personal data)',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'usage#' }]),
  },
];
