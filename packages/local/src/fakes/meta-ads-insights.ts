import { createHash } from 'node:crypto';
import { addDays, daysBetween, earlier, istanbulDay, later, weekday } from './meta-ads-days.js';
import type { FakeAdAccount } from './meta-state.js';

/**
 * The fake ad accounts' insights, computed rather than stored: each ad's figures for a day come
 * from a hash of (ad id, day), so a day reads the same on every call and after a restart, and an
 * ad set, campaign or account is the exact sum of its ads' integers. Rows are shaped as the
 * Insights API sends them: every number a string, money in the account currency with 2 decimals.
 */

export type InsightLevel = 'account' | 'campaign' | 'adset' | 'ad';
export const INSIGHT_LEVELS: readonly InsightLevel[] = ['account', 'campaign', 'adset', 'ad'];

export interface InsightQuery {
  level: InsightLevel;
  fields: string[];
  since: string;
  until: string;
  /** `daily`: one row per day (time_increment=1); `all_days`: one row per entity for the range. */
  increment: 'daily' | 'all_days';
}

/** The fields the fake answers (Meta has more; asking for any other is a 400 there as here). */
export const INSIGHT_FIELDS = new Set([
  'account_id',
  'account_name',
  'account_currency',
  'campaign_id',
  'campaign_name',
  'adset_id',
  'adset_name',
  'ad_id',
  'ad_name',
  'objective',
  'date_start',
  'date_stop',
  'impressions',
  'reach',
  'frequency',
  'clicks',
  'inline_link_clicks',
  'spend',
  'ctr',
  'cpc',
  'cpm',
  'actions',
  'action_values',
  'cost_per_action_type',
  'purchase_roas',
]);

/** One ad's (or a sum of ads') delivery for a day or a range; money in kuruş. */
export interface Totals {
  impressions: number;
  reach: number;
  clicks: number;
  inlineLinkClicks: number;
  spend: number;
  purchases: number;
  purchaseValue: number;
  conversations: number;
}

const zero = (): Totals => ({
  impressions: 0,
  reach: 0,
  clicks: 0,
  inlineLinkClicks: 0,
  spend: 0,
  purchases: 0,
  purchaseValue: 0,
  conversations: 0,
});

function add(into: Totals, more: Totals): void {
  into.impressions += more.impressions;
  into.reach += more.reach;
  into.clicks += more.clicks;
  into.inlineLinkClicks += more.inlineLinkClicks;
  into.spend += more.spend;
  into.purchases += more.purchases;
  into.purchaseValue += more.purchaseValue;
  into.conversations += more.conversations;
}

type Eight = [number, number, number, number, number, number, number, number];

/** Eight numbers in [0, 1) from sha256 of the text. */
function uniforms(text: string): Eight {
  const digest = createHash('sha256').update(text).digest();
  const at = (i: number) => digest.readUInt32BE(i * 4) / 2 ** 32;
  return [at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7)];
}

/** An ad's delivery on a day. About one ad-day in twelve delivers nothing (paused, out of budget). */
export function adDay(adId: string, day: string, firstDay: string): Totals {
  const [u0, u1, u2, u3, u4, u5, u6, u7] = uniforms(`${adId}|${day}`);
  // The account's first day always delivers, so firstDay is the first row Meta would return.
  if (u7 < 0.08 && day !== firstDay) return zero();
  const [scale] = uniforms(adId);
  const weekend = [0, 6].includes(weekday(day)) ? 0.7 : 1;
  const impressions = Math.max(1, Math.round(1500 * (0.5 + scale) * weekend * (0.6 + 0.8 * u0)));
  const reach = Math.max(1, Math.floor(impressions * (0.55 + 0.35 * u1)));
  const clicks = Math.floor(impressions * (0.008 + 0.025 * u2));
  const inlineLinkClicks = Math.floor(clicks * (0.6 + 0.35 * u3));
  // A CPM of 40-120 TRY: 4-12 kuruş an impression.
  const spend = Math.round(impressions * (4 + 8 * u4));
  const purchases = Math.floor(inlineLinkClicks * 0.1 * u5);
  const purchaseValue = purchases * Math.round(35_000 + 90_000 * u6);
  const conversations = Math.floor(inlineLinkClicks * 0.1 * u7);
  return { impressions, reach, clicks, inlineLinkClicks, spend, purchases, purchaseValue, conversations };
}

/** What a row at a level names, and which ads it sums. */
interface Entity {
  sortId: string;
  names: Record<string, string>;
  adIds: string[];
}

function entitiesOf(account: FakeAdAccount, level: InsightLevel): Entity[] {
  if (level === 'account') {
    const adIds = account.campaigns.flatMap((c) => c.adsets.flatMap((s) => s.ads.map((ad) => ad.id)));
    return [{ sortId: account.accountId, names: {}, adIds }];
  }
  const entities: Entity[] = [];
  for (const campaign of account.campaigns) {
    const names = { campaign_id: campaign.id, campaign_name: campaign.name, objective: campaign.objective };
    if (level === 'campaign') {
      const adIds = campaign.adsets.flatMap((s) => s.ads.map((ad) => ad.id));
      entities.push({ sortId: campaign.id, names, adIds });
      continue;
    }
    for (const adset of campaign.adsets) {
      const withAdset = { ...names, adset_id: adset.id, adset_name: adset.name };
      if (level === 'adset') {
        entities.push({ sortId: adset.id, names: withAdset, adIds: adset.ads.map((ad) => ad.id) });
        continue;
      }
      for (const ad of adset.ads)
        entities.push({ sortId: ad.id, names: { ...withAdset, ad_id: ad.id, ad_name: ad.name }, adIds: [ad.id] });
    }
  }
  return entities.sort((a, b) => a.sortId.localeCompare(b.sortId));
}

/** How many entities a level has: the rows a day costs, for the too-much-data rule. */
export const entityCount = (account: FakeAdAccount, level: InsightLevel) => entitiesOf(account, level).length;

const money = (kurus: number) => `${Math.floor(kurus / 100)}.${String(kurus % 100).padStart(2, '0')}`;
/** Up to 6 decimals, trailing zeros dropped, as Meta prints ratios ("3.04", "1.666667"). */
const ratio = (value: number) => String(Number(value.toFixed(6)));

function metrics(t: Totals): Record<string, unknown> {
  const counts: [string, number][] = [
    ['link_click', t.inlineLinkClicks],
    ['purchase', t.purchases],
    ['omni_purchase', t.purchases],
    ['onsite_conversion.messaging_conversation_started_7d', t.conversations],
  ];
  const actions = counts.filter(([, n]) => n > 0).map(([type, n]) => ({ action_type: type, value: String(n) }));
  const values =
    t.purchaseValue > 0
      ? ['purchase', 'omni_purchase'].map((type) => ({ action_type: type, value: money(t.purchaseValue) }))
      : [];
  const costs = counts
    .filter(([, n]) => n > 0)
    .map(([type, n]) => ({ action_type: type, value: ratio(t.spend / 100 / n) }));
  return {
    impressions: String(t.impressions),
    reach: String(t.reach),
    frequency: ratio(t.impressions / t.reach),
    clicks: String(t.clicks),
    inline_link_clicks: String(t.inlineLinkClicks),
    spend: money(t.spend),
    ctr: ratio((t.clicks / t.impressions) * 100),
    cpm: ratio((t.spend / 100 / t.impressions) * 1000),
    ...(t.clicks > 0 ? { cpc: ratio(t.spend / 100 / t.clicks) } : {}),
    ...(actions.length > 0 ? { actions } : {}),
    ...(values.length > 0 ? { action_values: values } : {}),
    ...(costs.length > 0 && t.spend > 0 ? { cost_per_action_type: costs } : {}),
    ...(t.spend > 0
      ? { purchase_roas: [{ action_type: 'omni_purchase', value: ratio(t.purchaseValue / t.spend) }] }
      : {}),
  };
}

function row(
  account: FakeAdAccount,
  entity: Entity,
  totals: Totals,
  dates: { start: string; stop: string },
  fields: Set<string>,
) {
  const all: Record<string, unknown> = {
    account_id: account.accountId,
    account_name: account.name,
    account_currency: account.currency,
    ...entity.names,
    ...metrics(totals),
  };
  const picked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) if (fields.has(name)) picked[name] = value;
  return { ...picked, date_start: dates.start, date_stop: dates.stop };
}

/**
 * The rows Meta would answer, sorted by date then id. Only days from the account's first day to
 * yesterday (as of `nowMs`) deliver; an entity with no impressions has no row, as at Meta.
 */
export function insightRows(account: FakeAdAccount, query: InsightQuery, nowMs: number): Record<string, unknown>[] {
  const yesterday = addDays(istanbulDay(nowMs), -1);
  const from = later(query.since, account.firstDay);
  const to = earlier(query.until, yesterday);
  const days = Array.from({ length: daysBetween(from, to) }, (_, i) => addDays(from, i));
  const entities = entitiesOf(account, query.level);
  const fields = new Set(query.fields);
  const sum = (entity: Entity, range: string[]) => {
    const totals = zero();
    for (const day of range) for (const adId of entity.adIds) add(totals, adDay(adId, day, account.firstDay));
    return totals;
  };
  if (query.increment === 'all_days') {
    return entities.flatMap((entity) => {
      const totals = sum(entity, days);
      return totals.impressions > 0
        ? [row(account, entity, totals, { start: query.since, stop: query.until }, fields)]
        : [];
    });
  }
  return days.flatMap((day) =>
    entities.flatMap((entity) => {
      const totals = sum(entity, [day]);
      return totals.impressions > 0 ? [row(account, entity, totals, { start: day, stop: day }, fields)] : [];
    }),
  );
}
