import type { CampaignCounts, RecipientState } from '@asistone/contract/campaigns';
import { type CampaignStore, COUNTER_SHARDS, minuteOf } from './campaign-records.js';

/**
 * The live counts of a campaign. Each change of a recipient's state subtracts one from the state
 * it left and adds one to the one it entered, on a shard chosen at random, so a campaign sending
 * a thousand messages a second spreads its counter writes over {@link COUNTER_SHARDS} items. A
 * state reached also adds one to the minute's timeline bucket (the funnel over time). Callers
 * move the recipient first with a conditional write and count only when it moved, so a retried or
 * redelivered change is counted once. When the campaign completes, {@link recount} checks the
 * shards against the recipients themselves and mends them.
 */

const COUNTED_STATES = [
  'holdout',
  'skipped',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'replied',
  'failed',
] as const satisfies readonly RecipientState[];

/** States the funnel chart follows over time. */
const TIMELINE_STATES = new Set<RecipientState>(['sent', 'delivered', 'read', 'replied', 'failed']);

export interface Transition {
  tenantId: string;
  campaignId: string;
  /** The state left; undefined when the recipient was just created. */
  from?: RecipientState | undefined;
  to: RecipientState;
  /** ms, for the timeline. */
  at: number;
  /** WhatsApp's error code and title, for a failure. */
  failureCode?: number | undefined;
  failureTitle?: string | undefined;
  /**
   * States passed on the way (a `read` status for a `sent` recipient passes `delivered`, which
   * WhatsApp may skip); each adds one to the timeline, so the funnel never shows more reads than
   * deliveries.
   */
  passed?: readonly RecipientState[] | undefined;
}

const shardOf = () => Math.floor(Math.random() * COUNTER_SHARDS);

/** Adds a recipient's change of state to the counts and the timeline. */
export async function countTransition(store: CampaignStore, change: Transition): Promise<void> {
  const { tenantId, campaignId, from, to } = change;
  if (from === to) return;
  const shard = shardOf();
  const add: Partial<Record<RecipientState, number>> = { [to]: 1 };
  if (from) add[from] = -1;
  const reached = [...(change.passed ?? []), to].filter((state) => TIMELINE_STATES.has(state));
  await Promise.all([
    store.entities.campaignCounter.update({ tenantId, campaignId, shard }).add(add).go({ response: 'none' }),
    reached.length > 0 ? addToTimeline(store, change, reached) : undefined,
    to === 'failed' && change.failureCode !== undefined
      ? addFailure(store, change, change.failureCode, change.failureTitle)
      : undefined,
  ]);
}

/**
 * Recipients just created, counted with one write (the fan-out counts a page's worth at once:
 * half its writes per recipient). Created states are never timeline states.
 */
export async function countCreated(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  created: Partial<Record<RecipientState, number>>,
): Promise<void> {
  if (Object.values(created).every((count) => !count)) return;
  await store.entities.campaignCounter
    .update({ tenantId, campaignId, shard: shardOf() })
    .add(created)
    .go({ response: 'none' });
}

async function addToTimeline(store: CampaignStore, change: Transition, reached: RecipientState[]) {
  const { tenantId, campaignId, at } = change;
  const add: Record<string, number> = {};
  for (const state of reached) add[state] = (add[state] ?? 0) + 1;
  await store.entities.campaignTimeline
    .update({ tenantId, campaignId, minute: minuteOf(at) })
    .add(add)
    .go({ response: 'none' });
}

/** Counts a failure under WhatsApp's code (the failure reasons the campaign page lists). */
async function addFailure(store: CampaignStore, change: Transition, code: number, title: string | undefined) {
  const { tenantId, campaignId } = change;
  await store.entities.campaignFailure
    .update({ tenantId, campaignId, code })
    .add({ count: 1 })
    .set(title ? { title: title.slice(0, 200) } : {})
    .go({ response: 'none' });
}

export const ZERO_COUNTS: CampaignCounts = {
  audience: 0,
  holdout: 0,
  skipped: 0,
  queued: 0,
  sending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  replied: 0,
  failed: 0,
};

/** The live counts: the shards summed (one Query of at most {@link COUNTER_SHARDS} items). */
export async function liveCounts(store: CampaignStore, tenantId: string, campaignId: string): Promise<CampaignCounts> {
  const { data } = await store.entities.campaignCounter.query.byCampaign({ tenantId, campaignId }).go({ pages: 'all' });
  const counts = { ...ZERO_COUNTS };
  for (const shard of data) {
    for (const state of COUNTED_STATES) counts[state] += shard[state] ?? 0;
  }
  counts.audience = COUNTED_STATES.reduce((sum, state) => sum + counts[state], 0);
  return counts;
}

/** The counts from the recipients themselves (a consistent Query of the campaign's partition). */
async function countRecipients(store: CampaignStore, tenantId: string, campaignId: string): Promise<CampaignCounts> {
  const counts = { ...ZERO_COUNTS };
  let cursor: string | null = null;
  do {
    const page: { data: { state: RecipientState }[]; cursor: string | null } =
      await store.entities.campaignRecipient.query
        .byCampaign({ tenantId, campaignId })
        .go({ cursor, attributes: ['state'], consistent: true, limit: 1000 });
    for (const { state } of page.data) counts[state] += 1;
    cursor = page.cursor;
  } while (cursor);
  counts.audience = COUNTED_STATES.reduce((sum, state) => sum + counts[state], 0);
  return counts;
}

const sameCounts = (a: CampaignCounts, b: CampaignCounts) => COUNTED_STATES.every((state) => a[state] === b[state]);

/**
 * The exact counts from the recipients, and the shards mended to match them. Every change is
 * counted once after its conditional write, so the shards drift only when a worker stopped
 * between the two. The mend is an addition of the difference (it commutes with the additions of
 * changes landing meanwhile), made only when the shards did not move while the recipients were
 * read: statuses still arriving leave it to the next recount.
 */
export async function recount(store: CampaignStore, tenantId: string, campaignId: string): Promise<CampaignCounts> {
  const before = await liveCounts(store, tenantId, campaignId);
  const exact = await countRecipients(store, tenantId, campaignId);
  const after = await liveCounts(store, tenantId, campaignId);
  if (!sameCounts(before, after)) return exact;
  const mend = Object.fromEntries(
    COUNTED_STATES.filter((state) => exact[state] !== after[state]).map((state) => [
      state,
      exact[state] - after[state],
    ]),
  );
  if (Object.keys(mend).length > 0) {
    await store.entities.campaignCounter.update({ tenantId, campaignId, shard: 0 }).add(mend).go({ response: 'none' });
  }
  return exact;
}
