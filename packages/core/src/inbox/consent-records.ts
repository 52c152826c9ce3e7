import { Entity } from 'electrodb';

/**
 * A contact's consent, per channel and purpose, as a ledger (consent.ts). Both records live in
 * the business's partition under `consent#<contactId>#…`, so everything held about one
 * contact's consent is one key prefix (read in one query, erased by the same prefix).
 */

/** Where a business may reach a customer. The sandbox is a channel of its own (its simulated customer). */
export const CONSENT_CHANNELS = ['whatsapp', 'instagram', 'messenger', 'sms', 'email', 'sandbox'] as const;
/** What a message is for: offers (marketing), order and account news (utility), answers (service). */
export const CONSENT_PURPOSES = ['marketing', 'utility', 'service'] as const;
export const CONSENT_STATES = ['granted', 'withdrawn'] as const;
/** Who or what recorded it: the customer's own keyword, a team member, an import or a system. */
export const CONSENT_SOURCES = ['customer-keyword', 'agent', 'import', 'shopify', 'api'] as const;

const consentKey = {
  tenantId: { type: 'string', required: true, readOnly: true },
  contactId: { type: 'string', required: true, readOnly: true },
} as const;

const consentFacts = {
  channel: { type: CONSENT_CHANNELS, required: true, readOnly: true },
  purpose: { type: CONSENT_PURPOSES, required: true, readOnly: true },
  state: { type: CONSENT_STATES, required: true },
  source: { type: CONSENT_SOURCES, required: true },
  /** When the customer gave or withdrew it, ms (a keyword: when they sent it). */
  at: { type: 'number', required: true },
  /**
   * A grant the business says is also registered in İYS (Turkey's registry of consents to
   * commercial messages): campaigns to Turkish numbers count only such grants when the business
   * attests its consents are there. Absent: not known to be registered.
   */
  iys: { type: 'boolean' },
} as const;

/**
 * One entry of the ledger, never changed once written. The wording (the exact text the customer
 * saw or sent) is sealed: it may quote the customer. The id is derived from what caused it (the
 * customer's message for a keyword), so a redelivery writes nothing twice.
 */
export const ConsentEntryRecord = new Entity({
  model: { entity: 'consentEntry', version: '1', service: 'asistone' },
  attributes: {
    ...consentKey,
    entryId: { type: 'string', required: true, readOnly: true },
    ...consentFacts,
    state: { type: CONSENT_STATES, required: true, readOnly: true },
    source: { type: CONSENT_SOURCES, required: true, readOnly: true },
    at: { type: 'number', required: true, readOnly: true },
    iys: { type: 'boolean', readOnly: true },
    /** Sealed: the exact wording shown to or sent by the customer. */
    wording: { type: 'string', required: true, readOnly: true },
    /** A team member's account id, or 'customer' (not personal: no customer id is kept here). */
    actor: { type: 'string', required: true, readOnly: true },
    /** The customer's message that carried a keyword (its inbox id), when one did. */
    messageId: { type: 'string', readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byContact: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['contactId', 'entryId'],
        template: 'consent#${contactId}#entry#${entryId}',
        casing: 'none',
      },
    },
  },
});

/**
 * The current consent of one contact for one channel and purpose: the newest entry's facts.
 * Moved only by a later entry (a conditional write on `at`, then the entry id), so entries
 * applied in any order, concurrently or again, leave the latest one standing.
 */
export const ConsentStateRecord = new Entity({
  model: { entity: 'consentState', version: '1', service: 'asistone' },
  attributes: {
    ...consentKey,
    ...consentFacts,
    /** The entry this state comes from. */
    entryId: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byContact: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['contactId', 'channel', 'purpose'],
        template: 'consent#${contactId}#state#${channel}#${purpose}',
        casing: 'none',
      },
    },
  },
});

export const CONSENT_RECORDS = { consentEntry: ConsentEntryRecord, consentState: ConsentStateRecord };
