import type { AdDay, AdFigures, AdLevel, AdRow, AdsInsightsAnswer } from '@asistone/contract/ads';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { currencyDigits, fromMinor, ratio, toMinor } from '../platform/money.js';
import type { AdsStore } from './records.js';
import { dayIn } from './sync.js';

/**
 * What the ads page reads for one account, level and range: Meta's figures summed exactly per
 * entity and per day, with the ratios computed from the sums; and beside them what the ads
 * brought: conversations that started from an ad (the inbox's referrals) and the orders those
 * customers placed within 28 days, in the account's currency. Only ids and numbers are read here:
 * the customers behind the referrals stay in the inbox and the store.
 */

/** A conversation started from an ad, as the inbox records it. */
export interface AdReferral {
  adId: string;
  contactId: string;
  firstAt: number;
}

/** An order of the contact's, with its exact total. */
export interface ContactOrder {
  createdAt: number;
  total: { amount: string; currencyCode: string } | null;
}

export interface AdsViewDeps {
  store: AdsStore;
  referrals(tenantId: string, fromMs: number, toMs: number): Promise<AdReferral[]>;
  ordersOf(tenantId: string, contactId: string): Promise<ContactOrder[]>;
}

/** Orders within this long after the conversation started count for the ad. */
export const ATTRIBUTION_MS = 28 * 86_400_000;
/** At most this many customers' orders are read for one view. */
const MAX_CONTACTS = 1_000;
const MAX_DAYS = 400;
const TOP_SERIES = 5;
const HIGHEST_ID = '9'.repeat(30);
const DAY_MS = 86_400_000;

interface Sums {
  spendMinor: bigint;
  impressions: number;
  reach: number;
  clicks: number;
  linkClicks: number;
  purchases: number;
  purchaseValueMinor: bigint;
  conversations: number;
  orders: number;
  revenueMinor: bigint;
}

const empty = (): Sums => ({
  spendMinor: 0n,
  impressions: 0,
  reach: 0,
  clicks: 0,
  linkClicks: 0,
  purchases: 0,
  purchaseValueMinor: 0n,
  conversations: 0,
  orders: 0,
  revenueMinor: 0n,
});

function figures(sums: Sums, digits: number): AdFigures {
  const unit = 10n ** BigInt(digits);
  return {
    spend: fromMinor(sums.spendMinor, digits),
    impressions: sums.impressions,
    reach: sums.reach,
    clicks: sums.clicks,
    linkClicks: sums.linkClicks,
    ctr: ratio(BigInt(sums.clicks) * 100n, BigInt(sums.impressions), 2),
    cpc: ratio(sums.spendMinor, BigInt(sums.clicks) * unit, digits),
    cpm: ratio(sums.spendMinor * 1000n, BigInt(sums.impressions) * unit, digits),
    purchases: sums.purchases,
    purchaseValue: fromMinor(sums.purchaseValueMinor, digits),
    roas: ratio(sums.purchaseValueMinor, sums.spendMinor, 2),
    conversations: sums.conversations,
    orders: sums.orders,
    revenue: fromMinor(sums.revenueMinor, digits),
  };
}

/** Midnight of a day in a time zone, in ms (the zone's offset that day, e.g. GMT+03:00). */
export function dayStartMs(day: string, timeZone: string): number {
  const noon = Date.parse(`${day}T12:00:00Z`);
  let offset = 'Z';
  try {
    const name = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(noon)
      .find((part) => part.type === 'timeZoneName')?.value;
    const match = /GMT([+-]\d{2}:\d{2})/.exec(name ?? '');
    if (match) offset = match[1] as string;
  } catch {
    offset = 'Z';
  }
  return Date.parse(`${day}T00:00:00${offset}`);
}

type Row = NonNullable<Awaited<ReturnType<ReturnType<AdsStore['entities']['adInsight']['get']>['go']>>['data']>;

async function rowsOf(store: AdsStore, tenantId: string, accountId: string, level: AdLevel, from: string, to: string) {
  const { data } = await store.entities.adInsight.query
    .byDay({ tenantId })
    .between({ accountId, level, day: from, entityId: '' }, { accountId, level, day: to, entityId: HIGHEST_ID })
    .go({ pages: 'all' });
  return data as Row[];
}

function merge(into: Sums, sums: Sums) {
  into.spendMinor += sums.spendMinor;
  into.impressions += sums.impressions;
  into.reach += sums.reach;
  into.clicks += sums.clicks;
  into.linkClicks += sums.linkClicks;
  into.purchases += sums.purchases;
  into.purchaseValueMinor += sums.purchaseValueMinor;
  into.conversations += sums.conversations;
  into.orders += sums.orders;
  into.revenueMinor += sums.revenueMinor;
}

function add(sums: Sums, row: Row) {
  sums.spendMinor += BigInt(row.spendMinor);
  sums.impressions += row.impressions;
  sums.reach += row.reach;
  sums.clicks += row.clicks;
  sums.linkClicks += row.linkClicks;
  sums.purchases += row.purchases;
  sums.purchaseValueMinor += BigInt(row.purchaseValueMinor);
}

export async function adsInsights(
  deps: AdsViewDeps,
  tenantId: string,
  query: { accountId: string; level: AdLevel; from: string; to: string },
): Promise<AdsInsightsAnswer> {
  const { accountId, level, from, to } = query;
  if (from > to) throw new ValidationError('The range ends before it starts', ['from', 'to']);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_DAYS) {
    throw new ValidationError(`Ask for at most ${MAX_DAYS} days at a time`, ['from', 'to']);
  }
  const account = (await deps.store.entities.adAccount.get({ tenantId, accountId }).go()).data;
  if (!account) throw new NotFoundError('No such ad account');
  const digits = currencyDigits(account.currency);
  const rows = await rowsOf(deps.store, tenantId, accountId, level, from, to);
  // Ads tell which ad set and campaign an ad referral counts for.
  const ads = level === 'ad' ? rows : await rowsOf(deps.store, tenantId, accountId, 'ad', from, to);
  const entityOfAd = new Map<string, string>();
  for (const ad of ads) {
    const entity =
      level === 'ad' ? ad.entityId : level === 'adset' ? ad.parentId : level === 'campaign' ? ad.campaignId : accountId;
    if (entity) entityOfAd.set(ad.entityId, entity);
  }

  const byEntity = new Map<string, { name: string; parent: string | null; sums: Sums; days: Map<string, Sums> }>();
  const byDay = new Map<string, Sums>();
  const entity = (id: string, name = id, parent: string | null = null) => {
    let found = byEntity.get(id);
    if (!found) {
      found = { name, parent, sums: empty(), days: new Map() };
      byEntity.set(id, found);
    }
    return found;
  };
  const dayOf = (map: Map<string, Sums>, day: string) => {
    let sums = map.get(day);
    if (!sums) {
      sums = empty();
      map.set(day, sums);
    }
    return sums;
  };
  for (const row of rows) {
    const item = entity(row.entityId, level === 'account' ? account.name : row.name, row.parentName ?? null);
    add(item.sums, row);
    add(dayOf(item.days, row.day), row);
    add(dayOf(byDay, row.day), row);
  }

  // What the ads brought: conversations by referral, and the orders of those customers.
  const start = dayStartMs(from, account.timezone);
  const end = dayStartMs(to, account.timezone) + DAY_MS;
  const referrals = (await deps.referrals(tenantId, start, end)).filter((referral) => entityOfAd.has(referral.adId));
  const orders = new Map<string, ContactOrder[]>();
  for (const referral of referrals) {
    const id = entityOfAd.get(referral.adId) as string;
    const day = dayIn(referral.firstAt, account.timezone);
    const item = entity(id);
    const counted = [item.sums, dayOf(item.days, day), dayOf(byDay, day)];
    for (const sums of counted) sums.conversations += 1;
    if (!orders.has(referral.contactId) && orders.size >= MAX_CONTACTS) continue;
    if (!orders.has(referral.contactId))
      orders.set(referral.contactId, await deps.ordersOf(tenantId, referral.contactId));
    for (const order of orders.get(referral.contactId) ?? []) {
      if (order.createdAt < referral.firstAt || order.createdAt > referral.firstAt + ATTRIBUTION_MS) continue;
      if (!order.total || order.total.currencyCode !== account.currency) continue;
      const minor = toMinor(order.total.amount, digits);
      for (const sums of counted) {
        sums.orders += 1;
        sums.revenueMinor += minor;
      }
    }
  }

  const totals = empty();
  for (const sums of byDay.values()) merge(totals, sums);
  const rowsOut: AdRow[] = [...byEntity.entries()]
    .map(([id, item]) => ({ id, name: item.name, parent: item.parent, ...figures(item.sums, digits) }))
    .sort((a, b) => Number(toMinor(b.spend, digits) - toMinor(a.spend, digits)) || a.name.localeCompare(b.name));
  const daysOf = (map: Map<string, Sums>): AdDay[] =>
    [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, sums]) => ({ day, ...figures(sums, digits) }));
  return {
    accountId,
    currency: account.currency,
    level,
    from,
    to,
    totals: figures(totals, digits),
    days: daysOf(byDay),
    rows: rowsOut,
    series: rowsOut.slice(0, TOP_SERIES).map((row) => ({
      id: row.id,
      name: row.name,
      days: daysOf((byEntity.get(row.id) as { days: Map<string, Sums> }).days),
    })),
  };
}

/** The export's columns, in order: the header even when no row is there. */
export const ADS_CSV_COLUMNS = [
  'level',
  'id',
  'name',
  'parent',
  'currency',
  'spend',
  'impressions',
  'reach',
  'clicks',
  'link_clicks',
  'ctr_percent',
  'cpc',
  'cpm',
  'purchases',
  'purchase_value',
  'roas',
  'conversations',
  'orders',
  'revenue',
  'from',
  'to',
] as const;

/** The table as CSV rows (the export), keyed by ADS_CSV_COLUMNS. */
export function adsCsvRows(answer: AdsInsightsAnswer): Record<string, unknown>[] {
  return answer.rows.map((row) => ({
    level: answer.level,
    id: row.id,
    name: row.name,
    parent: row.parent ?? '',
    currency: answer.currency,
    spend: row.spend,
    impressions: row.impressions,
    reach: row.reach,
    clicks: row.clicks,
    link_clicks: row.linkClicks,
    ctr_percent: row.ctr ?? '',
    cpc: row.cpc ?? '',
    cpm: row.cpm ?? '',
    purchases: row.purchases,
    purchase_value: row.purchaseValue,
    roas: row.roas ?? '',
    conversations: row.conversations,
    orders: row.orders,
    revenue: row.revenue,
    from: answer.from,
    to: answer.to,
  }));
}
