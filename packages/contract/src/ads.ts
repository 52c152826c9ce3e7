import * as z from 'zod';

/**
 * Meta ad insights. A business connects its ad accounts (read-only), Asistone pulls each
 * account's daily numbers per campaign, ad set and ad, and joins them to what the ads brought
 * into the inbox (click-to-WhatsApp and Messenger ad referrals) and the store (those
 * customers' orders). Money is an exact decimal string in the account's currency; ratios are
 * computed from the exact sums and rounded only for display.
 */

export const AD_LEVELS = ['account', 'campaign', 'adset', 'ad'] as const;
export type AdLevel = (typeof AD_LEVELS)[number];

/** Meta's ad account id without the `act_` prefix. */
export const adAccountId = z.string().regex(/^[0-9]{1,20}$/, 'An ad account number');

/** `POST /businesses/:id/ads/connect`: the Facebook Login code for ad accounts (read-only). */
export const adsConnectBody = z.object({
  code: z.string().min(1).max(2000),
  redirectUri: z.url().max(2000).optional(),
});
export type AdsConnectBody = z.input<typeof adsConnectBody>;

export const AD_BACKFILL_STATES = ['waiting', 'running', 'done', 'failed'] as const;

export const adAccountView = z.object({
  accountId: z.string(),
  name: z.string(),
  currency: z.string(),
  timezone: z.string(),
  /** `reconnect`: Meta no longer accepts the token (expired or withdrawn); the history stays. */
  status: z.enum(['connected', 'reconnect', 'disconnected']),
  connectedAt: z.string(),
  /** When the token stops working (ISO), if Meta said; a reminder goes a week before. */
  tokenExpiresAt: z.string().nullable(),
  backfill: z.object({
    state: z.enum(AD_BACKFILL_STATES),
    /** The first and last day the history covers (ISO dates). */
    from: z.string(),
    through: z.string().nullable(),
    /** Share of the history's report runs finished, 0 to 1. */
    progress: z.number(),
  }),
  /** The last day synced (ISO date), null before the first sync. */
  syncedThrough: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  /** Meta asked Asistone to slow down until then (ISO). */
  pausedUntil: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type AdAccountView = z.output<typeof adAccountView>;

export const adAccountsAnswer = z.object({ accounts: z.array(adAccountView) });
export type AdAccountsAnswer = z.output<typeof adAccountsAnswer>;

export const adsInsightsQuery = z.object({
  accountId: adAccountId,
  level: z.enum(AD_LEVELS).default('campaign'),
  from: z.iso.date(),
  to: z.iso.date(),
});
export type AdsInsightsQuery = z.input<typeof adsInsightsQuery>;

/** One entity's (or one day's) figures. Decimal strings for money and ratios; null when undefined (nothing spent). */
export const adFigures = z.object({
  spend: z.string(),
  impressions: z.number().int(),
  /** Meta's reach: people, not additive across days or entities (summed days overstate it). */
  reach: z.number().int(),
  clicks: z.number().int(),
  linkClicks: z.number().int(),
  /** Percent. */
  ctr: z.string().nullable(),
  cpc: z.string().nullable(),
  cpm: z.string().nullable(),
  /** Meta's reported purchases and their value. */
  purchases: z.number().int(),
  purchaseValue: z.string(),
  /** Meta's purchase value over spend. */
  roas: z.string().nullable(),
  /** Conversations that started from the ad, by the inbox's referrals. */
  conversations: z.number().int(),
  /** Orders those customers placed within 28 days of the conversation, and their total. */
  orders: z.number().int(),
  revenue: z.string(),
});
export type AdFigures = z.output<typeof adFigures>;

export const adRow = adFigures.extend({
  id: z.string(),
  name: z.string(),
  /** The campaign (or ad set) it belongs to, for ad sets and ads. */
  parent: z.string().nullable(),
});
export type AdRow = z.output<typeof adRow>;

export const adDay = adFigures.extend({ day: z.string() });
export type AdDay = z.output<typeof adDay>;

export const adsInsightsAnswer = z.object({
  accountId: z.string(),
  currency: z.string(),
  level: z.enum(AD_LEVELS),
  from: z.string(),
  to: z.string(),
  totals: adFigures,
  /** The account's days (all entities of the level summed). */
  days: z.array(adDay),
  /** One row per entity of the level over the range, by spend. */
  rows: z.array(adRow),
  /** Per day for the five entities that spent most: the charts' lines. */
  series: z.array(z.object({ id: z.string(), name: z.string(), days: z.array(adDay) })),
});
export type AdsInsightsAnswer = z.output<typeof adsInsightsAnswer>;

export const AD_RECOMMENDATION_KINDS = ['budget-shift', 'pause', 'creative', 'other'] as const;

/** A figure a recommendation rests on, as the insights table shows it. */
export const adEvidence = z.object({
  level: z.enum(AD_LEVELS),
  id: z.string(),
  name: z.string(),
  metric: z.string(),
  value: z.string(),
});

export const adRecommendation = z.object({
  kind: z.enum(AD_RECOMMENDATION_KINDS),
  title: z.string(),
  why: z.string(),
  evidence: z.array(adEvidence).min(1),
});
export type AdRecommendation = z.output<typeof adRecommendation>;

export const adsRecommendationsBody = z.object({
  accountId: adAccountId,
  /** The table the model reads: campaigns by default. */
  level: z.enum(AD_LEVELS).default('campaign'),
  from: z.iso.date(),
  to: z.iso.date(),
});

export const adsRecommendationsAnswer = z.object({
  accountId: z.string(),
  from: z.string(),
  to: z.string(),
  createdAt: z.string(),
  recommendations: z.array(adRecommendation),
  /** Proposals dropped because a figure they cited is not in the table. */
  dropped: z.number().int(),
});
export type AdsRecommendationsAnswer = z.output<typeof adsRecommendationsAnswer>;
