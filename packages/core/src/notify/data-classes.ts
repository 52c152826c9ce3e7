import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

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
  {
    name: 'mail.customer-mails',
    description:
      "Mails to a business's customers (order notices): ref, Resend id, recipient's blind index, delivery state",
    personal: true,
    // Long enough to answer "did my customer get the shipping mail?"; DynamoDB's TTL removes
    // them after `expiresAt` (tracked-mail.ts).
    retention: { days: 90, basis: 'created' },
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'customer-mail' }]),
  },
  {
    name: 'mail.resend-pointers',
    description: "Which business and mail a Resend email id belongs to, for Resend's webhooks (ids only)",
    personal: false,
    retention: { days: 30, basis: 'created' },
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'resend-email-owner' }]),
  },
  {
    name: 'mail.suppressions',
    description:
      'Customer addresses (blind indexes) that hard-bounced or complained at this business: no more mail to them',
    personal: true,
    // A complaint or a dead address stays a reason not to mail for as long as the business is here.
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'mail-suppression#' }]),
  },
  {
    name: 'mail.provider-events',
    description: 'Resend webhook deliveries already applied, by svix-id (ids only), so a retry applies nothing twice',
    personal: false,
    retention: { days: 14, basis: 'created' },
    partitions: atLocations(() => [{ index: 'byTenant', skPrefix: 'resend-event#' }]),
  },
];
