import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/** The purges' receipts. */
export const PRIVACY_DATA_CLASSES: DataClass[] = [
  {
    name: 'privacy.receipts',
    description: 'What each purge removed, per data class, when and by which job or person (no personal data)',
    personal: false,
    // Proof that a deletion happened outlives the business it was about; kept as long as the
    // logs that could be asked about it.
    retention: { days: RETENTION_DAYS.logs, basis: 'legal' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#privacy`, skPrefix: 'purge#' }]),
    createdInSortKey: true,
  },
];

/**
 * Meta's data deletion callbacks (meta-data-deletion.ts): their statuses live in the `meta`
 * space only; a business's purge finds none of its own.
 */
export const META_DATA_DELETION_DATA_CLASSES: DataClass[] = [
  {
    name: 'privacy.meta-data-deletions',
    description:
      "Meta's data deletion callbacks: confirmation code, times, the businesses' request ids (no personal data)",
    personal: false,
    // The table's TTL removes each after the logs' retention (`expiresAt`); the key carries no time.
    retention: { days: RETENTION_DAYS.logs, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#data-deletion`, skPrefix: 'code#' }]),
  },
];
