import { Entity } from 'electrodb';
import type { ChannelKind } from './inbound.js';

/** The channels a referral can come on (listed here: records.ts imports this module). */
const REFERRAL_CHANNELS = ['whatsapp', 'instagram', 'messenger', 'sandbox'] as const satisfies readonly ChannelKind[];

/**
 * That a conversation came from an ad: the customer wrote from a Click-to-WhatsApp ad or a
 * Messenger or Instagram ad (referrals.ts recordAdReferral). One record per ad and conversation,
 * counting the messages that carried the ad. Ids and numbers only: the ads area counts
 * conversations per ad and joins the contact's orders, and nothing in it names the person
 * (no click id, no ad text, no number or name: those stay sealed in the message).
 */
export const AdReferralRecord = new Entity({
  model: { entity: 'adReferral', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** Meta's ad id, digits only. */
    adId: { type: 'string', required: true, readOnly: true },
    conversationId: { type: 'string', required: true, readOnly: true },
    contactId: { type: 'string', required: true, readOnly: true },
    channelKind: { type: REFERRAL_CHANNELS, required: true, readOnly: true },
    /** Referrals from a post or a link are not kept: only ads, for now. */
    source: { type: ['ad'] as const, required: true, readOnly: true, default: 'ad' },
    /**
     * When the customer sent the first message that carried the ad, ms: only ever moves earlier
     * (Meta does not keep order). Padded in the time index so string order is time order.
     */
    firstAt: { type: 'number', required: true, padding: { length: 15, char: '0' } },
    /** When the customer sent the newest such message, ms: only ever moves later. */
    lastAt: { type: 'number', required: true },
    /** How many of the customer's messages carried this ad (each counted once). */
    count: { type: 'number', required: true, default: 0 },
  },
  indexes: {
    /** An ad's conversations: one prefix, `adref#<adId>#`. */
    byAd: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['adId', 'conversationId'],
        template: 'adref#${adId}#${conversationId}',
        casing: 'none',
      },
    },
    /** The business's referrals by when the conversation came from the ad, for a date range. */
    byTime: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'], template: 't#${tenantId}#adrefs', casing: 'none' },
      sk: {
        field: 'gsi1sk',
        composite: ['firstAt', 'adId', 'conversationId'],
        template: '${firstAt}#${adId}#${conversationId}',
        casing: 'none',
      },
    },
    /**
     * A contact's referrals, for the contact's export and erasure: beside the contact's
     * conversations in the same index partition (conversation records use `conversation#`).
     */
    byContact: {
      index: 'gsi2',
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'contactId'],
        template: 't#${tenantId}#contact#${contactId}',
        casing: 'none',
      },
      sk: {
        field: 'gsi2sk',
        composite: ['adId', 'conversationId'],
        template: 'adref#${adId}#${conversationId}',
        casing: 'none',
      },
    },
  },
});

export const REFERRAL_RECORDS = { adReferral: AdReferralRecord };
