import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { SMS_JOB_KEEP_DAYS } from './send.js';

/** SMS: the business's NetGSM account and what became of each message it sent. */
export const SMS_DATA_CLASSES: DataClass[] = [
  {
    name: 'sms.account',
    description: "The business's NetGSM account: sealed user code and password, sender header",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'sms#' }]),
  },
  {
    name: 'sms.deliveries',
    // The ref names an order; no number and no text are kept.
    description: 'Each SMS sent, by the caller ref (e.g. an order notice): NetGSM job id, delivery state and reason',
    personal: true,
    // DynamoDB's TTL removes them after `expiresAt` (no time in their keys for the purge to Query).
    retention: { days: SMS_JOB_KEEP_DAYS, basis: 'created' },
    partitions: atLocations((tenantId) => [
      { partition: `t#${tenantId}`, skPrefix: 'smsjob#' },
      { partition: `t#${tenantId}`, skPrefix: 'smspending#' },
    ]),
  },
];
