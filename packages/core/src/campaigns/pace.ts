import { setTimeout as sleep } from 'node:timers/promises';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';

/**
 * How fast one WhatsApp number sends campaign messages, shared by every worker sending through it.
 *
 * - **Rate.** WhatsApp takes 80 messages a second per number by default and up to 1,000 once it
 *   raises the number's throughput (20 on a number shared with the WhatsApp Business app),
 *   inbound and outbound counted together, and answers 130429 above it. The rate set for the
 *   number is multiplied by a factor that drops by a tenth when 130429s persist (never below a
 *   fifth) and recovers by 5 points for each 10 s without a cut: additive increase,
 *   multiplicative decrease. Sends are spaced 3% under that rate: WhatsApp counts them in a
 *   one-second window, and a few milliseconds of jitter in a call would otherwise put one send
 *   too many in it.
 * - **Refusals.** A refused message is tried again a second later. A lone refusal is that jitter:
 *   the second's window frees up within a slot or two, so the number keeps its pace. Only when a
 *   second brings {@link REFUSED_SHARE} of its sends back refused (at least {@link MIN_REFUSALS})
 *   is the number over its limit: the rate is cut once for that second and the number waits.
 * - **Slots.** A worker reserves a block of about a quarter of a second of sends with one
 *   conditional write on the number's pace item (the next free time moves on by the block), then
 *   spaces the block's sends evenly: about four writes a second per number, not one per message.
 * - **Daily tier.** Meta limits how many unique customers a business portfolio starts
 *   conversations with in a rolling 24 hours (`messagingLimit`: TIER_250 … TIER_UNLIMITED),
 *   whichever of its numbers sends. Customers are counted per business in hourly buckets (one a
 *   campaign message reached in the last 24 hours is given back: see touch.ts); beyond the limit
 *   a recipient waits for the oldest bucket to leave the window.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const CampaignPaceRecord = new Entity({
  model: { entity: 'campaignPace', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** The WhatsApp phone_number_id. */
    phoneNumberId: { type: 'string', required: true, readOnly: true },
    /** The earliest time (ms) the next block of sends may start. */
    nextAt: { type: 'number', required: true },
    /** Messages a second the business set for this number (absent: the default). */
    rate: { type: 'number' },
    /** The factor after the last cut, and when that was (ms). */
    factor: { type: 'number' },
    throttledAt: { type: 'number' },
    /** The second of refusals being counted: when its first came (ms), and how many so far. */
    episodeAt: { type: 'number' },
    refusals: { type: 'number' },
  },
  indexes: {
    byNumber: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['phoneNumberId'], template: 'cmppace#${phoneNumberId}', casing: 'none' },
    },
  },
});

/** Customers the business's campaigns reached in one hour (ms of the hour's start, zero-padded so they sort). */
export const CampaignTierRecord = new Entity({
  model: { entity: 'campaignTier', version: '2', service: 'asistone' },
  attributes: {
    ...key,
    hour: { type: 'string', required: true, readOnly: true },
    count: { type: 'number' },
    /** When DynamoDB may drop it (s): a day after the window it counts in has passed. */
    expiresAt: { type: 'number' },
  },
  indexes: {
    byHour: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['hour'], template: 'cmptier#${hour}', casing: 'none' },
    },
  },
});

export const CAMPAIGN_PACE_RECORDS = { campaignPace: CampaignPaceRecord, campaignTier: CampaignTierRecord };
export type CampaignPaceStore = Store<typeof CAMPAIGN_PACE_RECORDS>;

export const CAMPAIGN_PACE_DATA_CLASSES: DataClass[] = [
  {
    name: 'campaigns.pace',
    description:
      'Per WhatsApp number: the campaign send rate and its slow-down after throttling; per business: customers reached per hour',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [
      { partition: `t#${tenantId}`, skPrefix: 'cmppace#' },
      { partition: `t#${tenantId}`, skPrefix: 'cmptier#' },
    ]),
  },
];

export const DEFAULT_SEND_RATE = 80;
export const MAX_SEND_RATE = 1_000;
/** A number shared with the WhatsApp Business app (coexistence) takes 20 a second. */
export const COEXISTENCE_SEND_RATE = 20;
/** A block covers this much time of sends. */
const BLOCK_MS = 250;
const MIN_FACTOR = 0.2;
const DECREASE = 0.9;
const RECOVERY_STEP = 0.05;
const RECOVERY_EVERY_MS = 10_000;
/** WhatsApp counts a number's throughput over a second: refusals within one are one episode. */
const THROTTLE_EPISODE_MS = 1_000;
/** The share of a second's sends refused that means the number is over its limit, not jittering. */
const REFUSED_SHARE = 0.2;
const MIN_REFUSALS = 3;
/** How long the number waits after a cut when Meta names no wait: its one-second window empties. */
const CUT_PAUSE_MS = 1_000;
/** The share of the rate actually used (see above). */
const HEADROOM = 0.97;
const HOUR_MS = 3_600_000;
const WINDOW_HOURS = 24;

export interface PaceKey {
  tenantId: string;
  phoneNumberId: string;
  /** A coexistence number's rate is never above {@link COEXISTENCE_SEND_RATE}. */
  coexistence?: boolean | undefined;
  /** The business's campaign rate (its campaign settings); a rate set for the number itself wins. */
  rate?: number | undefined;
}

/** The factor now: the stored one recovered by the quiet time since the last throttling. */
export function factorAt(stored: { factor?: number | undefined; throttledAt?: number | undefined }, now: number) {
  const base = stored.factor ?? 1;
  if (base >= 1 || stored.throttledAt === undefined) return Math.min(1, base);
  const steps = Math.floor(Math.max(0, now - stored.throttledAt) / RECOVERY_EVERY_MS);
  return Math.min(1, base + steps * RECOVERY_STEP);
}

function rateOf(item: { rate?: number | undefined } | undefined, pace: PaceKey): number {
  const set = Math.min(MAX_SEND_RATE, Math.max(1, item?.rate ?? pace.rate ?? DEFAULT_SEND_RATE));
  return pace.coexistence ? Math.min(set, COEXISTENCE_SEND_RATE) : set;
}

/** Sets the number's campaign rate (messages a second, 1 to {@link MAX_SEND_RATE}). */
export async function setSendRate(store: CampaignPaceStore, tenantId: string, phoneNumberId: string, rate: number) {
  if (!Number.isFinite(rate) || rate < 1 || rate > MAX_SEND_RATE) {
    throw new RangeError(`A send rate is 1 to ${MAX_SEND_RATE} messages a second`);
  }
  await store.entities.campaignPace
    .update({ tenantId, phoneNumberId })
    .set({ rate: Math.round(rate) })
    .add({ nextAt: 0 })
    .go({ response: 'none' });
}

/** Sends reserved: `count` of them, the first at `startAt`, each `intervalMs` after the one before. */
export interface SlotBlock {
  startAt: number;
  intervalMs: number;
  count: number;
}

/**
 * Reserves the next block of at most `wanted` send slots of the number, with one conditional
 * write (a worker that loses the race to another reads again and takes the block after).
 */
export async function reserveSlots(
  store: CampaignPaceStore,
  pace: PaceKey,
  wanted: number,
  now: () => number = Date.now,
): Promise<SlotBlock> {
  const { tenantId, phoneNumberId } = pace;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { data } = await store.entities.campaignPace.get({ tenantId, phoneNumberId }).go({ consistent: true });
    const at = now();
    const rate = rateOf(data ?? undefined, pace) * factorAt(data ?? {}, at) * HEADROOM;
    const intervalMs = 1000 / rate;
    const count = Math.max(1, Math.min(wanted, Math.ceil((rate * BLOCK_MS) / 1000)));
    const startAt = Math.max(at, data?.nextAt ?? 0);
    const nextAt = startAt + count * intervalMs;
    try {
      if (data) {
        await store.entities.campaignPace
          .patch({ tenantId, phoneNumberId })
          .set({ nextAt })
          .where((attr, { eq }) => eq(attr.nextAt, data.nextAt))
          .go({ response: 'none' });
      } else {
        await store.entities.campaignPace.create({ tenantId, phoneNumberId, nextAt }).go({ response: 'none' });
      }
      return { startAt, intervalMs, count };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Another worker took this block: a short, random pause spreads the next tries.
      await sleep(Math.random() * 5);
    }
  }
  throw new Error('The number’s pace item stayed contended');
}

/** A 130429 (or another throttling answer) for one message of the number. */
export interface Refusal {
  /** The wait Meta named (Retry-After), if it named one: no send of the number goes before it. */
  retryAfterMs?: number | undefined;
}

/**
 * Counts a refusal in the number's current second of refusals and, when that second reaches the
 * share of refusals that means the number is over its limit, cuts the factor by a tenth (from what
 * it has recovered to) and holds the number's sends for a second. The cut happens once a second,
 * by the worker whose refusal reached the threshold: the sends in flight when the number hit its
 * limit are all refused together, and cutting for each would take the rate to its floor.
 */
export async function slowDown(store: CampaignPaceStore, pace: PaceKey, refusal: Refusal, now = Date.now()) {
  const { tenantId, phoneNumberId } = pace;
  const { data } = await store.entities.campaignPace.get({ tenantId, phoneNumberId }).go({ consistent: true });
  const factor = factorAt(data ?? {}, now);
  const threshold = Math.max(MIN_REFUSALS, Math.ceil(rateOf(data ?? undefined, pace) * factor * REFUSED_SHARE));
  let refusals = 1;
  if (data?.episodeAt !== undefined && now - data.episodeAt < THROTTLE_EPISODE_MS) {
    const { data: counted } = await store.entities.campaignPace
      .update({ tenantId, phoneNumberId })
      .add({ refusals: 1 })
      .go({ response: 'updated_new' });
    refusals = counted.refusals ?? 1;
  } else {
    // A new second of refusals (two workers opening it at once lose one count: harmless).
    await store.entities.campaignPace
      .update({ tenantId, phoneNumberId })
      .set({ episodeAt: now, refusals: 1 })
      .add({ nextAt: 0 })
      .go({ response: 'none' });
  }
  const waitUntil = refusal.retryAfterMs ? now + refusal.retryAfterMs : undefined;
  if (refusals !== threshold) {
    if (waitUntil !== undefined && waitUntil > (data?.nextAt ?? 0)) {
      await store.entities.campaignPace
        .update({ tenantId, phoneNumberId })
        .set({ nextAt: waitUntil })
        .go({ response: 'none' });
    }
    return;
  }
  await store.entities.campaignPace
    .update({ tenantId, phoneNumberId })
    .set({
      factor: Math.max(MIN_FACTOR, factor * DECREASE),
      throttledAt: now,
      nextAt: Math.max(data?.nextAt ?? 0, waitUntil ?? now + CUT_PAUSE_MS),
    })
    .go({ response: 'none' });
}

/** Meta's daily limits by tier; a tier not known yet counts as the lowest. */
const TIER_LIMITS: Record<string, number> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

export function dailyLimitOf(messagingLimit: string | undefined): number {
  return (messagingLimit && TIER_LIMITS[messagingLimit]) || 250;
}

const hourOf = (ms: number) => String(Math.floor(ms / HOUR_MS) * HOUR_MS).padStart(15, '0');

/**
 * Takes up to `wanted` of the business's daily tier: how many may be sent now, and when the next
 * one may, if fewer than wanted (the oldest bucket of the window leaving it). One Query of the
 * day's buckets and one conditional ADD on this hour's.
 */
export async function takeTier(
  store: CampaignPaceStore,
  pace: PaceKey,
  limit: number,
  wanted: number,
  now = Date.now(),
): Promise<{ granted: number; nextAt?: number }> {
  if (wanted <= 0) return { granted: 0 };
  if (limit === Number.POSITIVE_INFINITY) return { granted: wanted };
  const { tenantId } = pace;
  const current = hourOf(now);
  const from = hourOf(now - (WINDOW_HOURS - 1) * HOUR_MS);
  for (let attempt = 0; attempt < 10; attempt++) {
    const { data } = await store.entities.campaignTier.query
      .byHour({ tenantId })
      .between({ hour: from }, { hour: current })
      .go({ pages: 'all', consistent: true });
    const earlier = data.filter((bucket) => bucket.hour !== current);
    const used = data.reduce((sum, bucket) => sum + (bucket.count ?? 0), 0);
    const granted = Math.min(wanted, Math.max(0, limit - used));
    const oldest = earlier.find((bucket) => (bucket.count ?? 0) > 0);
    const freedAt = oldest ? Number(oldest.hour) + WINDOW_HOURS * HOUR_MS : Number(current) + WINDOW_HOURS * HOUR_MS;
    if (granted === 0) return { granted: 0, nextAt: freedAt };
    const mine = data.find((bucket) => bucket.hour === current)?.count ?? 0;
    try {
      await store.entities.campaignTier
        .update({ tenantId, hour: current })
        .add({ count: granted })
        .set({ expiresAt: Math.floor((now + 2 * WINDOW_HOURS * HOUR_MS) / 1000) })
        .where((attr, { eq, notExists }) =>
          mine === 0 ? `${notExists(attr.count)} OR ${eq(attr.count, 0)}` : eq(attr.count, mine),
        )
        .go({ response: 'none' });
      return granted < wanted ? { granted, nextAt: freedAt } : { granted };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  // Contended for long: nothing taken now; the recipients wait a little.
  return { granted: 0, nextAt: now + 1_000 };
}

/** Gives back tier taken for customers not reached (released, refused before sending) or already counted today. */
export async function returnTier(store: CampaignPaceStore, pace: PaceKey, count: number, takenAt: number) {
  if (count <= 0) return;
  await store.entities.campaignTier
    .update({ tenantId: pace.tenantId, hour: hourOf(takenAt) })
    .add({ count: -count })
    .go({ response: 'none' });
}
