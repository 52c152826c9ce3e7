import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

/** Connected channels and the directory entries that route Meta's deliveries to the business. */
export const CHANNELS_DATA_CLASSES: DataClass[] = [
  {
    name: 'channels.connections',
    description: 'Connected channels (sealed tokens, labels) and the channel-login handshakes',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'channel' }]),
  },
  {
    name: 'channels.directory',
    description: "Which business owns a provider's phone number, Page or account id (provider ids only)",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    // The entries live in the directory's partitions, keyed by provider id; the owner's id is
    // their sort key, so the byTenant index finds a business's entries.
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'owner#' }]),
  },
];
