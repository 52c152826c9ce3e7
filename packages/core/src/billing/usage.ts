import type { LimitName, Usage } from '@asistone/contract/billing';
import type { ACCOUNT_RECORDS } from '../accounts/records.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { PlanLimitError } from './limits.js';
import { entitlementOf, writableEntitlementOf } from './plans.js';
import type { BILLING_ACCOUNT_RECORDS } from './records.js';
import type { USAGE_RECORDS } from './usage-records.js';

/**
 * A business's use against its plan. Two kinds of limit:
 * - monthly (`aiReplies`, `campaignMessages`): counted in the month's usage item, Istanbul time,
 *   by {@link useAllowance}: one conditional UpdateItem that adds the use only if the month's
 *   total stays within the plan. No read comes before it, so any number of workers using the
 *   last few units at once cannot take more than the plan allows, and a refused use changes
 *   nothing;
 * - standing (`channels`, `seats`): what exists now, counted when one more is asked for
 *   ({@link ensureRoom}): the channels connected (the sandbox, which reaches no customer, is not
 *   one) and the team's members with its pending invitations.
 * A read-only business uses nothing: both refuse it.
 */

export type UsageStore = Store<typeof BILLING_ACCOUNT_RECORDS & typeof USAGE_RECORDS>;
/** What the usage view also reads: the channels (tenancy) and the team (accounts). */
export type UsageViewStore = UsageStore & Store<typeof TENANCY_RECORDS & typeof ACCOUNT_RECORDS>;

export interface UsageDeps {
  store: UsageStore;
}

/** The limits counted per month. */
export type MonthlyLimit = Extract<LimitName, 'aiReplies' | 'campaignMessages'>;
/** The limits counted from what exists. */
export type StandingLimit = Extract<LimitName, 'channels' | 'seats'>;

const ISTANBUL_MONTH = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Istanbul',
  year: 'numeric',
  month: '2-digit',
});

/** `2026-12`: the month in Istanbul at `now` (ms). A month starts at Istanbul's midnight. */
export function monthOf(now: number): string {
  const parts = ISTANBUL_MONTH.formatToParts(now);
  const year = parts.find((part) => part.type === 'year')?.value;
  const month = parts.find((part) => part.type === 'month')?.value;
  return `${year}-${month}`;
}

/** What was used of a monthly limit in the month of `now`. */
export async function usedThisMonth(
  store: UsageStore,
  tenantId: string,
  limit: MonthlyLimit,
  now: number,
): Promise<number> {
  const { data } = await store.entities.billingUsage
    .get({ tenantId, month: monthOf(now) })
    .go({ consistent: true, attributes: [limit] });
  return data?.[limit] ?? 0;
}

/**
 * Counts `count` units of a monthly limit, or refuses them all: {@link PlanLimitError} when the
 * month's total would pass the plan's number (the usage unchanged), ReadOnlyError when the
 * business is read-only. Answers the month's total after this use.
 */
export async function useAllowance(
  deps: UsageDeps,
  tenantId: string,
  limit: MonthlyLimit,
  count: number,
  now = Date.now(),
): Promise<{ month: string; used: number; allowed: number }> {
  const { limits } = await writableEntitlementOf(deps.store, tenantId);
  const allowed = limits[limit];
  const month = monthOf(now);
  if (count <= 0) return { month, used: await usedThisMonth(deps.store, tenantId, limit, now), allowed };
  if (count > allowed)
    throw new PlanLimitError(limit, allowed, await usedThisMonth(deps.store, tenantId, limit, now), count);
  try {
    const { data } = await deps.store.entities.billingUsage
      .update({ tenantId, month })
      .add(limit === 'aiReplies' ? { aiReplies: count } : { campaignMessages: count })
      // Within the plan after this use: x + count <= allowed.
      .where((attr, { notExists, lte }) => `${notExists(attr[limit])} OR ${lte(attr[limit], allowed - count)}`)
      .go({ response: 'all_new' });
    return { month, used: data[limit] ?? count, allowed };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new PlanLimitError(limit, allowed, await usedThisMonth(deps.store, tenantId, limit, now), count);
  }
}

/**
 * Gives back units counted for work that was then not done (a campaign that did not start
 * after all), in the month they were counted in. Never below zero.
 */
export async function returnAllowance(
  deps: UsageDeps,
  tenantId: string,
  limit: MonthlyLimit,
  count: number,
  usedAt: number,
): Promise<void> {
  if (count <= 0) return;
  try {
    await deps.store.entities.billingUsage
      .patch({ tenantId, month: monthOf(usedAt) })
      .add(limit === 'aiReplies' ? { aiReplies: -count } : { campaignMessages: -count })
      .where((attr, { gte }) => gte(attr[limit], count))
      .go({ response: 'none' });
  } catch (error) {
    // Less counted than given back (or no item): nothing to return.
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Refuses one more channel or seat beyond the plan: `inUse` is what exists now, `adding` what
 * the request would add. A read-only business adds nothing.
 */
export async function ensureRoom(
  deps: UsageDeps,
  tenantId: string,
  limit: StandingLimit,
  inUse: number,
  adding: number,
): Promise<void> {
  const { limits } = await writableEntitlementOf(deps.store, tenantId);
  if (adding > 0 && inUse + adding > limits[limit]) {
    throw new PlanLimitError(limit, limits[limit], inUse, adding);
  }
}

/** The business's channels that count against its plan: connected (or expiring) Meta channels. */
export async function connectedChannels(
  store: Store<typeof TENANCY_RECORDS>,
  tenantId: string,
): Promise<{ kind: string; externalId: string }[]> {
  const { data } = await store.entities.channel.query
    .byTenant({ tenantId })
    .go({ pages: 'all', attributes: ['kind', 'externalId', 'status'] });
  return data
    .filter((channel) => channel.kind !== 'sandbox' && channel.status !== 'disconnected')
    .map(({ kind, externalId }) => ({ kind, externalId }));
}

/**
 * Refuses connecting `channels` when the new ones among them (one already connected is only
 * reconnected) would pass the plan's number. Called before anything is connected.
 */
export async function ensureChannelRoom(
  deps: { store: UsageStore & Store<typeof TENANCY_RECORDS> },
  tenantId: string,
  channels: readonly { kind: string; externalId: string }[],
): Promise<void> {
  const connected = await connectedChannels(deps.store, tenantId);
  const known = new Set(connected.map((channel) => `${channel.kind}#${channel.externalId}`));
  const fresh = new Set(
    channels
      .filter((channel) => channel.kind !== 'sandbox')
      .map((channel) => `${channel.kind}#${channel.externalId}`)
      .filter((key) => !known.has(key)),
  );
  await ensureRoom(deps, tenantId, 'channels', connected.length, fresh.size);
}

/**
 * The team's seats in use: its members (the owner too) and its pending invitations, but for
 * those to `exceptEmailIndex` (a new invitation to the same address replaces them).
 */
export async function seatsInUse(
  store: Store<typeof ACCOUNT_RECORDS>,
  tenantId: string,
  now: number,
  exceptEmailIndex?: string,
): Promise<number> {
  const [members, invites] = await Promise.all([
    store.entities.membership.query.byBusiness({ tenantId }).go({ pages: 'all', attributes: ['userId'] }),
    store.entities.invite.query
      .byBusiness({ tenantId })
      .go({ pages: 'all', attributes: ['status', 'expiresAt', 'emailIndex'] }),
  ]);
  const pending = invites.data.filter(
    (invite) => invite.status === 'pending' && invite.expiresAt > now / 1000 && invite.emailIndex !== exceptEmailIndex,
  );
  return members.data.length + pending.length;
}

/** The business's use this month against its plan (contract `Usage`), for the billing page. */
export async function usageView(deps: { store: UsageViewStore }, tenantId: string, now = Date.now()): Promise<Usage> {
  const month = monthOf(now);
  const [entitlement, counted, channels, seats] = await Promise.all([
    entitlementOf(deps.store, tenantId),
    deps.store.entities.billingUsage.get({ tenantId, month }).go({ consistent: true }),
    connectedChannels(deps.store, tenantId),
    seatsInUse(deps.store, tenantId, now),
  ]);
  return {
    month,
    used: {
      channels: channels.length,
      seats,
      aiReplies: counted.data?.aiReplies ?? 0,
      campaignMessages: counted.data?.campaignMessages ?? 0,
    },
    limits: { ...entitlement.limits },
  };
}
