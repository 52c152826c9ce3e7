import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

export const BACKFILL_PHASES = ['customers', 'products', 'orders'] as const;
export type BackfillPhase = (typeof BACKFILL_PHASES)[number];

/**
 * A shop's first-connect backfill (shopify/backfill.ts): where it stands, for the store page and
 * for resuming. One bulk operation per phase; `linesDone` is how many lines of the current
 * phase's JSONL are applied and committed (always an object boundary), so a run that dies
 * half-way restarts after the last committed batch. Counts are of objects read, set (never
 * added) at each commit, so a batch applied twice is counted once.
 */
export const ShopBackfillRecord = new Entity({
  model: { entity: 'shopBackfill', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    shopDomain: { type: 'string', required: true, readOnly: true },
    status: { type: ['queued', 'running', 'done', 'failed'] as const, required: true },
    phase: { type: ['customers', 'products', 'orders', 'done'] as const, required: true },
    /** The current phase's bulk operation (`gid://shopify/BulkOperation/…`). */
    operationId: { type: 'string' },
    linesDone: { type: 'number', required: true, default: 0 },
    customersDone: { type: 'number', required: true, default: 0 },
    productsDone: { type: 'number', required: true, default: 0 },
    ordersDone: { type: 'number', required: true, default: 0 },
    /** Objects that did not fit their payload (logged by id only) and were skipped. */
    failed: { type: 'number', required: true, default: 0 },
    queuedAt: { type: 'number' },
    startedAt: { type: 'number' },
    finishedAt: { type: 'number' },
    /** Single runner: the run holding the lease (until `leaseUntil`, ms) is the only one committing. */
    runId: { type: 'string' },
    leaseUntil: { type: 'number' },
    /** Why the last run stopped short (a ShopifyError kind or a bulk operation's error code); cleared when done. */
    lastErrorKind: { type: 'string' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now(), watch: '*' },
  },
  indexes: {
    byShop: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['shopDomain'], template: 'shopbackfill#${shopDomain}', casing: 'none' },
    },
  },
});

export const SHOPIFY_BACKFILL_RECORDS = { shopBackfill: ShopBackfillRecord };

/** Progress only: counts, times, an operation id. No personal data. */
export const SHOPIFY_BACKFILL_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.backfill',
    description: "Where the first import of the business's Shopify store stands: phase, counts and times",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'shopbackfill#' }]),
  },
];
