import type { Access } from '../platform/access.js';

/**
 * What the API does for the SMS settings routes: reads, writes and removes the account record
 * (and its audit events), seals and opens its user code and password with the business's
 * existing key, and calls NetGSM once to check it.
 */
export const SMS_API = {
  access: { table: ['GetItem', 'PutItem', 'DeleteItem'], tenantKeys: ['Decrypt'] },
} as const satisfies { access: Access };

/**
 * What a function that sends SMS (`sendBusinessSms`) needs: the account (opened with the
 * business's key), the conditional claim on the ref and its updates, its removal when NetGSM says
 * "not now", and the pending delivery for the reports schedule. For the consumer's declaration.
 */
export const SMS_SEND_ACCESS = {
  table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  tenantKeys: ['Decrypt'],
} as const satisfies Access;
