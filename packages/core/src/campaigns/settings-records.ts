import { Entity } from 'electrodb';
import {
  atLocations,
  type ContactData,
  type ContactDataContext,
  type ContactRows,
  type DataClass,
} from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * What campaigns need to decide who may receive one, in the business's partition (`t#<tenant>`):
 * the campaign settings (one item: frequency cap, the marketing price the business pays, how
 * İYS applies) and, per contact, how many campaign messages reached them in the current cap
 * window. The touch is written by the send step and read by the audience check, so a customer
 * is not sent more campaigns than the business allows across all of them.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const CampaignSettingsRecord = new Entity({
  model: { entity: 'campaignSettings', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** At most `max` campaign messages per contact within `days` days. */
    capMax: { type: 'number', required: true },
    capDays: { type: 'number', required: true },
    /** What one marketing message costs the business, a decimal string (no float rounding of money). */
    priceAmount: { type: 'string' },
    priceCurrency: { type: ['TRY', 'USD', 'EUR'] as const },
    iysMode: { type: ['attested', 'off'] as const, required: true },
    /** The business's İYS brand code, as the merchant typed it (not personal). */
    iysBrandCode: { type: 'string' },
    /** Campaign messages a second per WhatsApp number (absent: 80). */
    sendRate: { type: 'number' },
    updatedBy: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'cmpsettings', casing: 'none' },
    },
  },
});

/**
 * How many campaign messages reached one contact since `windowStart` (ms). A fixed window: the
 * send step starts a new one when the old one is over, and adds one per message sent.
 */
export const CampaignTouchRecord = new Entity({
  model: { entity: 'campaignTouch', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    contactId: { type: 'string', required: true, readOnly: true },
    windowStart: { type: 'number', required: true },
    count: { type: 'number', required: true },
    lastSentAt: { type: 'number' },
  },
  indexes: {
    byContact: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['contactId'], template: 'cmptouch#${contactId}', casing: 'none' },
    },
  },
});

export const CAMPAIGN_SETTINGS_RECORDS = {
  campaignSettings: CampaignSettingsRecord,
  campaignTouch: CampaignTouchRecord,
};
export type CampaignSettingsStore = Store<typeof CAMPAIGN_SETTINGS_RECORDS>;

export const CAMPAIGN_SETTINGS_DATA_CLASSES: DataClass[] = [
  {
    name: 'campaigns.settings',
    description: 'Campaign frequency cap, marketing price per message, İYS mode and brand code',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cmpsettings' }]),
  },
  {
    name: 'campaigns.touches',
    description: 'Per contact: how many campaign messages reached them in the frequency-cap window, and when',
    // Keyed by the contact: it says a customer received marketing, so it is theirs.
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'cmptouch#' }]),
  },
];

const touchStore = (ctx: ContactDataContext) => ctx.storeOf(CAMPAIGN_SETTINGS_RECORDS);
const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/** A contact's campaign touch, in their export and gone with their erasure. */
export const CAMPAIGN_TOUCH_CONTACT_DATA: ContactData[] = [
  {
    dataClass: 'campaigns.touches',
    async export(ctx): Promise<ContactRows> {
      const { data } = await touchStore(ctx)
        .entities.campaignTouch.get({ tenantId: ctx.tenantId, contactId: ctx.contactId })
        .go();
      if (!data) return {};
      return {
        campaign_touches: [{ windowStart: iso(data.windowStart), count: data.count, lastSentAt: iso(data.lastSentAt) }],
      };
    },
    async erase(ctx) {
      const store = touchStore(ctx);
      const { data } = await store.entities.campaignTouch
        .get({ tenantId: ctx.tenantId, contactId: ctx.contactId })
        .go();
      if (!data) return { items: 0, objects: 0 };
      await store.entities.campaignTouch.delete({ tenantId: ctx.tenantId, contactId: ctx.contactId }).go();
      return { items: 1, objects: 0 };
    },
  },
];
