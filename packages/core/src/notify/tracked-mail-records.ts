import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import { CHANNEL_DIRECTORY } from '../tenancy/records.js';

/**
 * Mail to a business's customers (order notices), followed through Resend's delivery webhooks.
 * Nothing here holds an address in clear: the recipient is a blind index under the business's key.
 */

/** Delivery states in the order a mail can move through them (see `MAIL_STATE_RANK`). */
export const MAIL_STATES = ['sent', 'delayed', 'delivered', 'failed', 'bounced', 'complained'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** One mail per (business, ref): the Resend id, the recipient's blind index, and its latest delivery state. */
export const CustomerMailRecord = new Entity({
  model: { entity: 'customerMail', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** The caller's name for the mail, e.g. `order-notice/<orderId>/confirmed`. */
    ref: { type: 'string', required: true, readOnly: true },
    emailId: { type: 'string', required: true, readOnly: true },
    /** Blind index of the normalised recipient: a bounce or complaint suppresses it. */
    recipientIndex: { type: 'string', required: true, readOnly: true },
    sentAt: { type: 'number', required: true, readOnly: true },
    state: { type: MAIL_STATES, required: true },
    /** Words a merchant understands, e.g. 'the address does not exist'. */
    reason: { type: 'string' },
    /** When the provider says the state was reached (ms). */
    at: { type: 'number', required: true },
    /** Epoch seconds, DynamoDB's TTL: the record answers "was it delivered?" for 90 days. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byRef: {
      pk: { field: 'pk', composite: ['tenantId', 'ref'], template: 't#${tenantId}#cmail#${ref}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'customer-mail', casing: 'none' },
    },
  },
});

/**
 * Resend's webhooks name only the email id: this pointer finds the business and the mail. It
 * lives in the directory space (found before any business is known), with ids only.
 */
export const ResendEmailPointerRecord = new Entity({
  model: { entity: 'resendEmailPointer', version: '1', service: 'asistone' },
  attributes: {
    emailId: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true, readOnly: true },
    ref: { type: 'string', required: true, readOnly: true },
    /** Epoch seconds, DynamoDB's TTL; Svix stops retrying after about 28 hours, bounces come within days. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byEmail: {
      pk: {
        field: 'pk',
        composite: ['emailId'],
        template: `t#${CHANNEL_DIRECTORY}#resend#\${emailId}`,
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'resend-email-owner', casing: 'none' },
    },
  },
});

/** An address that hard-bounced or complained at this business: no more mail to it. */
export const MailSuppressionRecord = new Entity({
  model: { entity: 'mailSuppression', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    recipientIndex: { type: 'string', required: true, readOnly: true },
    reason: { type: ['bounced', 'complained'] as const, required: true },
    at: { type: 'number', required: true },
  },
  indexes: {
    byRecipient: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['recipientIndex'],
        template: 'mail-suppression#${recipientIndex}',
        casing: 'none',
      },
    },
  },
});

/** A Resend webhook delivery already applied, by `svix-id` (the same on every retry). */
export const ResendEventSeenRecord = new Entity({
  model: { entity: 'resendEventSeen', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    svixId: { type: 'string', required: true, readOnly: true },
    /** Epoch seconds, DynamoDB's TTL: outlives Svix's retries (~28 h) and a dead-letter replay. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['svixId'], template: 'resend-event#${svixId}', casing: 'none' },
    },
  },
});

export const TRACKED_MAIL_RECORDS = {
  customerMail: CustomerMailRecord,
  resendEmailPointer: ResendEmailPointerRecord,
  mailSuppression: MailSuppressionRecord,
  resendEventSeen: ResendEventSeenRecord,
};

export type TrackedMailStore = Store<typeof TRACKED_MAIL_RECORDS>;
