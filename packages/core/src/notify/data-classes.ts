import { atLocations, type DataClass } from '../platform/area.js';

/** Mails: the local outbox and the idempotency receipts of mails handed to the provider. */
export const MAIL_DATA_CLASSES: DataClass[] = [
  {
    name: 'mail.outbox',
    description: 'Mails the product sent, as sent (sealed addresses, links); kept on the local stage',
    personal: true,
    // Long enough to answer "did you send me that mail?" in a support case; a mail's links
    // expire within days anyway.
    retention: { days: 90, basis: 'created' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}#outbox`, skPrefix: 'mail#' }]),
    createdInSortKey: true,
  },
  {
    name: 'mail.receipts',
    description: 'Which mails were handed to the provider, by idempotency key (ids only)',
    personal: false,
    // Outlive the queue and its dead-letter replays; DynamoDB's TTL removes them after
    // `expiresAt` (no time in their keys, so the retention purge cannot pick them by Query).
    retention: { days: 30, basis: 'created' },
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'mail-receipt' }]),
  },
];
