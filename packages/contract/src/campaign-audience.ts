import * as z from 'zod';
import { type CampaignSelectionFilter, campaignSelectionFilter } from './campaign-lists.js';

/**
 * Who a WhatsApp campaign may reach, checked before anything is sent: the business's campaign
 * settings (how often one customer may receive a campaign, what a marketing message costs, how
 * İYS applies), and the audience check, which counts who would receive it, why each of the
 * others would not, and what the send would cost. Nothing is written by the check.
 */

export const CAMPAIGN_CURRENCIES = ['TRY', 'USD', 'EUR'] as const;
export type CampaignCurrency = (typeof CAMPAIGN_CURRENCIES)[number];

/**
 * `attested`: the business confirms its customers' consents are registered in İYS (Turkey's
 * registry of consents to commercial messages), so only grants marked as registered count for
 * Turkish numbers. `off`: the consent ledger alone decides.
 */
export const IYS_MODES = ['attested', 'off'] as const;
export type IysMode = (typeof IYS_MODES)[number];

/** Why a contact in the audience would not receive the campaign, in the order they are checked. */
export const SKIP_REASONS = [
  'erased',
  'no-whatsapp-address',
  'restricted',
  'consent-withdrawn',
  'no-consent',
  'no-iys-consent',
  'frequency-cap',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A money amount as the business types it: digits with at most four decimals ("0.0109", "1,25" refused). */
const amount = z
  .string()
  .trim()
  .regex(/^\d{1,6}(\.\d{1,4})?$/, 'Enter an amount like 0.4 or 1.25 (a dot before the decimals)')
  .refine((value) => Number(value) > 0, 'The price must be more than zero');

export const campaignSettings = z.object({
  frequencyCap: z.object({
    /** At most this many campaign messages per customer… */
    max: z.number().int().min(1).max(10),
    /** …within this many days, across all campaigns. */
    days: z.number().int().min(1).max(30),
  }),
  /** What the business pays per marketing message; without it the check cannot estimate a cost. */
  marketingPrice: z.object({ amount, currency: z.enum(CAMPAIGN_CURRENCIES) }).nullable(),
  iys: z.object({
    mode: z.enum(IYS_MODES),
    /** The brand code İYS gave the business (digits), shown for the merchant's own reference. */
    brandCode: z
      .string()
      .trim()
      .regex(/^\d{4,12}$/, 'An İYS brand code is 4 to 12 digits')
      .nullable(),
  }),
  /**
   * Campaign messages a second per WhatsApp number. 80 is every number's throughput; WhatsApp
   * raises eligible numbers to 1,000 (a number shared with the WhatsApp Business app stays at 20,
   * whatever is set here).
   */
  sendRate: z.number().int().min(1).max(1000).default(80),
});
export type CampaignSettings = z.output<typeof campaignSettings>;
export type CampaignSettingsBody = z.input<typeof campaignSettings>;

export const campaignSettingsAnswer = z.object({
  settings: campaignSettings,
  /** Null: never saved, these are the defaults. */
  updatedAt: z.string().nullable(),
});
export type CampaignSettingsAnswer = z.output<typeof campaignSettingsAnswer>;

/** Which of the inbox's customers: the same filter as a list made from an inbox selection. */
export const inboxAudienceFilter = campaignSelectionFilter;
export type InboxAudienceFilter = CampaignSelectionFilter;

const listId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a list id');

export const campaignAudience = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('lists'),
    listIds: z
      .array(listId)
      .min(1, 'Choose at least one list')
      .max(20)
      .refine((ids) => new Set(ids).size === ids.length, 'A list is chosen twice'),
  }),
  z.object({ kind: z.literal('inbox'), filter: inboxAudienceFilter }),
]);
export type CampaignAudience = z.output<typeof campaignAudience>;

export const audiencePreviewBody = z.object({ audience: campaignAudience });
export type AudiencePreviewBody = z.input<typeof audiencePreviewBody>;

/** Estimated cost: eligible × the business's price (decimal strings, exact). */
export const audienceCost = z.object({
  perMessage: z.string(),
  total: z.string(),
  currency: z.enum(CAMPAIGN_CURRENCIES),
});
export type AudienceCost = z.output<typeof audienceCost>;

export const audiencePreviewAnswer = z.object({
  /** Distinct customers in the audience (one in two lists counts once). */
  total: z.number().int(),
  eligible: z.number().int(),
  excluded: z.record(z.enum(SKIP_REASONS), z.number().int()),
  /** Null when the business has not set its marketing price. */
  cost: audienceCost.nullable(),
});
export type AudiencePreviewAnswer = z.output<typeof audiencePreviewAnswer>;

/** The most customers one check counts while the request waits. */
export const AUDIENCE_CHECK_LIMIT = 20_000;
