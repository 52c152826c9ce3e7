import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * A business's own NetGSM account: SMS go out under the merchant's brand header (`msgheader`)
 * and İYS brand, which belong to their account, not ours. The user code (often the merchant's
 * own number) and the password are sealed with the business's key; the header is the brand's.
 */
export const SmsAccountRecord = new Entity({
  model: { entity: 'smsAccount', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** Sealed (`smsAccount`/`usercode`/`netgsm`). */
    usercode: { type: 'string', required: true },
    /** Sealed (`smsAccount`/`password`/`netgsm`). */
    password: { type: 'string', required: true },
    msgheader: { type: 'string', required: true },
    /** Who saved it (a member id), for the settings page. */
    updatedBy: { type: 'string' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now(), watch: '*' },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'sms#account', casing: 'none' },
    },
  },
});

export const SMS_STATES = ['sending', 'pending', 'delivered', 'failed'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/**
 * One SMS, by the caller's `ref` (e.g. `order-notice/<orderId>/shipped`): written with state
 * `sending` by a conditional create before NetGSM is called, so the ref is sent at most once even
 * when a retry follows a lost answer. No number and no text are kept: the ref and NetGSM's job id
 * are enough to follow its delivery, and nothing here needs sealing.
 */
export const SmsJobRecord = new Entity({
  model: { entity: 'smsJob', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    ref: { type: 'string', required: true, readOnly: true },
    state: { type: SMS_STATES, required: true },
    purpose: { type: ['informational', 'commercial'] as const, required: true },
    /** NetGSM's job id, once it accepted the message. */
    jobId: { type: 'string' },
    /** NetGSM's send code or report status that settled it, for support. */
    code: { type: 'string' },
    /** Why it failed, in the merchant's words. */
    reason: { type: 'string' },
    createdAt: { type: 'number', required: true, readOnly: true },
    /** When the state last changed (ms). */
    at: { type: 'number', required: true },
    /** Epoch seconds: DynamoDB's TTL tidies old ones (cost only). */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    byRef: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['ref'], template: 'smsjob#${ref}', casing: 'none' },
    },
  },
});

/**
 * A job still waiting for its delivery report: the poller reads these per business by Query
 * (sorted by when it was sent, oldest first) and deletes each once its report settles it.
 */
export const SmsPendingRecord = new Entity({
  model: { entity: 'smsPending', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    ref: { type: 'string', required: true, readOnly: true },
    jobId: { type: 'string', required: true, readOnly: true },
    /** When the poller last asked about it (ms). */
    checkedAt: { type: 'number' },
  },
  indexes: {
    bySent: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['sentAt', 'ref'], template: 'smspending#${sentAt}#${ref}', casing: 'none' },
    },
  },
});

export const SMS_RECORDS = {
  smsAccount: SmsAccountRecord,
  smsJob: SmsJobRecord,
  smsPending: SmsPendingRecord,
};

export type SmsStore = Store<typeof SMS_RECORDS>;
