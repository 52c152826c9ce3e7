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
