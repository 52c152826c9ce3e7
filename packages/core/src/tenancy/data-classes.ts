import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/** The business itself. */
export const TENANCY_DATA_CLASSES: DataClass[] = [
  {
    name: 'tenancy.business',
    description: "The business's record: its sealed name and status",
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'tenant' }]),
  },
];
