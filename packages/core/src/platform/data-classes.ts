import { atLocations, type DataClass } from './area.js';

/** The policy's retention periods, in days, for the data-class declarations to share. */
export const RETENTION_DAYS = {
  /** Account data is deleted within 30 days of the account's deletion. */
  afterAccountDeletion: 30,
  /** System and security logs are kept up to 3 years. */
  logs: 3 * 365,
  /** Payment and billing records: the legally required period, up to 10 years. */
  billing: 10 * 365,
} as const;

/** What the platform itself keeps per tenant: the wrapped data key and finished queue messages. */
export const PLATFORM_DATA_CLASSES: DataClass[] = [
  {
    name: 'platform.keys',
    description: "The business's data key, wrapped by its key provider (without it no sealed field opens)",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'key' }]),
  },
  {
    name: 'queue.settlements',
    description: 'Which queue messages were finished for good (queue and message ids, no personal data)',
    personal: false,
    // Worth keeping only while SQS could still redeliver (4 days); DynamoDB's TTL removes them
    // after `expiresAt`. Each lives in its own partition with no time in its key, so no Query
    // can pick the old ones: the tenant purge finds them through the byTenant index.
    retention: { days: 14, basis: 'created' },
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'settled' }]),
  },
];
