import { toMinor } from '../platform/money.js';
import type { AdsLevel } from './marketing-api.js';

/**
 * One row of Meta's insights (strings, as Meta sends numbers) as the integers Asistone keeps:
 * counts as integers, money in the account currency's minor units, exactly. A row that does not
 * read as numbers is refused (undefined), never stored half-read.
 */

export interface InsightItem {
  level: AdsLevel;
  day: string;
  entityId: string;
  name: string;
  parentId?: string;
  parentName?: string;
  campaignId?: string;
  spendMinor: number;
  impressions: number;
  reach: number;
  clicks: number;
  linkClicks: number;
  purchases: number;
  purchaseValueMinor: number;
  messagingStarted: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9]{1,30}$/;

/** A count Meta sent as a string ("10234"); undefined when it is not a whole number. */
function count(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return 0;
  const text = String(value);
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function money(value: unknown, digits: number): number | undefined {
  if (value === undefined || value === null || value === '') return 0;
  try {
    const minor = toMinor(String(value), digits);
    return minor <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(minor) : undefined;
  } catch {
    return undefined;
  }
}

type Action = { action_type?: unknown; value?: unknown };

/** The value of the first action type present, in order of preference (Meta reports purchases under several). */
function action(list: unknown, types: string[]): unknown {
  const actions = (Array.isArray(list) ? list : []) as Action[];
  for (const type of types) {
    const found = actions.find((entry) => entry.action_type === type);
    if (found) return found.value;
  }
  return undefined;
}

const PURCHASE = ['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'];
const MESSAGING = ['onsite_conversion.messaging_conversation_started_7d'];

const ENTITY: Record<AdsLevel, { id: string; name: string; parent?: [string, string] }> = {
  account: { id: 'account_id', name: 'account_id' },
  campaign: { id: 'campaign_id', name: 'campaign_name' },
  adset: { id: 'adset_id', name: 'adset_name', parent: ['campaign_id', 'campaign_name'] },
  ad: { id: 'ad_id', name: 'ad_name', parent: ['adset_id', 'adset_name'] },
};

export function insightItemOf(raw: Record<string, unknown>, level: AdsLevel, digits: number): InsightItem | undefined {
  const fields = ENTITY[level];
  const entityId = String(raw[fields.id] ?? '');
  const day = String(raw.date_start ?? '');
  if (!ID.test(entityId) || !DAY.test(day)) return undefined;
  const numbers = {
    spendMinor: money(raw.spend, digits),
    impressions: count(raw.impressions),
    reach: count(raw.reach),
    clicks: count(raw.clicks),
    linkClicks: count(raw.inline_link_clicks),
    purchases: count(action(raw.actions, PURCHASE)),
    purchaseValueMinor: money(action(raw.action_values, PURCHASE), digits),
    messagingStarted: count(action(raw.actions, MESSAGING)),
  };
  if (Object.values(numbers).some((value) => value === undefined)) return undefined;
  const parentId = fields.parent ? String(raw[fields.parent[0]] ?? '') : '';
  const campaignId = String(raw.campaign_id ?? '');
  return {
    level,
    day,
    entityId,
    name: String(raw[fields.name] ?? entityId).slice(0, 200),
    ...(ID.test(parentId) && {
      parentId,
      parentName: String(raw[(fields.parent as [string, string])[1]] ?? parentId).slice(0, 200),
    }),
    ...(ID.test(campaignId) && level !== 'campaign' && level !== 'account' && { campaignId }),
    ...(numbers as { [K in keyof typeof numbers]: number }),
  };
}
