import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/** The audit log. */
export const AUDIT_DATA_CLASSES: DataClass[] = [
  {
    name: 'audit.events',
    description: 'Who did what and when in the business (actor ids, masked source addresses)',
    personal: true,
    // "System and security logs are kept up to 3 years": older events go daily; the business's
    // deletion removes the rest.
    retention: { days: RETENTION_DAYS.logs, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#audit`, skPrefix: 'event#' }]),
    createdInSortKey: true,
  },
];
