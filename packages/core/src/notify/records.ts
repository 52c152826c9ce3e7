import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/**
 * On the local stage, the mails the product would have sent, sealed like any personal data
 * (they hold addresses and one-time links).
 */
export const DevMailRecord = new Entity({
  model: { entity: 'devMail', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    mailId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    kind: { type: 'string', required: true, readOnly: true },
    to: { type: 'string', required: true, readOnly: true },
    subject: { type: 'string', required: true, readOnly: true },
    text: { type: 'string', required: true, readOnly: true },
    html: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byTime: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}#outbox', casing: 'none' },
      sk: { field: 'sk', composite: ['sentAt', 'mailId'], template: 'mail#${sentAt}#${mailId}', casing: 'none' },
    },
  },
});

/**
 * A mail handed to the provider, by its idempotency key: a redelivered queue message finds it
 * and sends nothing, even after Resend's 24-hour idempotency window. Ids only, nothing personal.
 */
export const MailReceiptRecord = new Entity({
  model: { entity: 'mailReceipt', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** The mail's idempotency key, `<kind>/<entity-id>`. */
    mailKey: { type: 'string', required: true, readOnly: true },
    kind: { type: 'string', required: true, readOnly: true },
    /** The provider's id for the mail (Resend's email id; the outbox id locally). */
    providerId: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    /** Epoch seconds; cost clean-up once no queue or dead-letter replay can bring the mail back. */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    byKey: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'mailKey'],
        template: 't#${tenantId}#mail#${mailKey}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'mail-receipt', casing: 'none' },
    },
  },
});

/** The mail area's records. */
export const MAIL_RECORDS = { devMail: DevMailRecord, mailReceipt: MailReceiptRecord };

export type MailStore = Store<typeof MAIL_RECORDS>;
