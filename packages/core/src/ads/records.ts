import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Meta ad insights in the business's partition (`t#<tenant>`): one item per connected ad account
 * (its sealed token and where its sync stands) and one per account, level, day and entity with
 * Meta's numbers, integers only (money in the account currency's minor units). No customer data:
 * Meta's figures are about ads; the joins to conversations and orders are made when read.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

/** The directory of ad accounts the sync visits (not a business: no tenant owns it). */
export const AD_ACCOUNTS_DIRECTORY = 'ad-accounts';

/** One report run of the history: a level and a range of days, and where Meta's run stands. */
export interface BackfillJob {
  level: 'account' | 'campaign' | 'adset' | 'ad';
  since: string;
  until: string;
  state: 'waiting' | 'running' | 'done';
  reportRunId?: string;
  /** The page cursor of the finished run's rows, when a stop came mid-way. */
  after?: string;
}

export const AdAccountRecord = new Entity({
  model: { entity: 'adAccount', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    accountId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    timezone: { type: 'string', required: true },
    status: { type: ['connected', 'reconnect', 'disconnected'] as const, required: true },
    /** Sealed: the person's long-lived token with `ads_read`. Removed at disconnect. */
    token: { type: 'string' },
    tokenExpiresAt: { type: 'number' },
    /** When the week-before reminder to reconnect went. */
    reminderSentAt: { type: 'number' },
    connectedAt: { type: 'number', required: true },
    connectedBy: { type: 'string', required: true },
    /** The history's report runs, oldest first (contract AD_BACKFILL_STATES from them). */
    backfill: { type: 'any' },
    backfillFrom: { type: 'string', required: true },
    backfillState: { type: ['waiting', 'running', 'done', 'failed'] as const, required: true },
    /** The last day the daily sync wrote (ISO date, the account's time zone). */
    syncedThrough: { type: 'string' },
    lastSyncedAt: { type: 'number' },
    /** Meta asked for a pause (throttling, or usage near its limit): nothing is called before. */
    pausedUntil: { type: 'number' },
    /** Consecutive throttled runs, for the back-off. */
    throttles: { type: 'number' },
    lastError: { type: 'string' },
    /** A sync run holds the account until then, so two runs never pull at once. */
    leaseUntil: { type: 'number' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byAccount: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['accountId'], template: 'adaccount#${accountId}', casing: 'none' },
    },
    /** Every business's ad accounts, for the sync schedule (a handful per business). */
    directory: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: [], template: `t#${AD_ACCOUNTS_DIRECTORY}`, casing: 'none' },
      sk: {
        field: 'gsi2sk',
        composite: ['tenantId', 'accountId'],
        template: '${tenantId}#${accountId}',
        casing: 'none',
      },
    },
  },
});

/** Meta's numbers for one entity on one day, at one level. */
export const AdInsightRecord = new Entity({
  model: { entity: 'adInsight', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    accountId: { type: 'string', required: true, readOnly: true },
    level: { type: ['account', 'campaign', 'adset', 'ad'] as const, required: true, readOnly: true },
    day: { type: 'string', required: true, readOnly: true },
    entityId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    /** The campaign of an ad set, the ad set of an ad (id and name). */
    parentId: { type: 'string' },
    parentName: { type: 'string' },
    campaignId: { type: 'string' },
    spendMinor: { type: 'number', required: true },
    impressions: { type: 'number', required: true },
    reach: { type: 'number', required: true },
    clicks: { type: 'number', required: true },
    linkClicks: { type: 'number', required: true },
    purchases: { type: 'number', required: true },
    purchaseValueMinor: { type: 'number', required: true },
    /** Meta's own count of messaging conversations started (beside the inbox's referrals). */
    messagingStarted: { type: 'number', required: true },
    fetchedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byDay: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['accountId', 'level', 'day', 'entityId'],
        template: 'adins#${accountId}#${level}#${day}#${entityId}',
        casing: 'none',
      },
    },
  },
});

/** A recommendation run: what the model proposed from the numbers, kept to read again. */
export const AdRecommendationRecord = new Entity({
  model: { entity: 'adRecommendation', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    accountId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true },
    from: { type: 'string', required: true },
    to: { type: 'string', required: true },
    /** contract AdRecommendation[]: figures and words about ads, no person. */
    recommendations: { type: 'any', required: true },
    dropped: { type: 'number', required: true },
    requestedBy: { type: 'string', required: true },
  },
  indexes: {
    byAccount: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['accountId', 'createdAt'],
        template: 'adreco#${accountId}#${createdAt}',
        casing: 'none',
      },
    },
  },
});

export const ADS_RECORDS = {
  adAccount: AdAccountRecord,
  adInsight: AdInsightRecord,
  adRecommendation: AdRecommendationRecord,
};
export type AdsStore = Store<typeof ADS_RECORDS>;

const root = (tenantId: string, prefix: string) => [{ partition: `t#${tenantId}`, skPrefix: prefix }];

/**
 * Ad accounts keep their history after a disconnect until the business is deleted (the privacy
 * policy); the token goes at disconnect. Figures and recommendations are about ads, not people.
 */
export const ADS_DATA_CLASSES: DataClass[] = [
  {
    name: 'ads.accounts',
    description: 'Connected Meta ad accounts: id, name, currency, sealed read-only token and sync state',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => root(tenantId, 'adaccount#')),
  },
  {
    name: 'ads.insights',
    description: "Meta's daily figures per ad account, campaign, ad set and ad (spend, reach, clicks, purchases)",
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => root(tenantId, 'adins#')),
  },
  {
    name: 'ads.recommendations',
    description: 'AI recommendations on ads with the figures they cite (no personal data)',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => root(tenantId, 'adreco#')),
  },
];
