import type { CampaignCounts, RecipientState } from '@asistone/contract/campaigns';
import { type CampaignStore, COUNTER_SHARDS, minuteOf } from './campaign-records.js';

/**
 * The live counts of a campaign. Each change of a recipient's state subtracts one from the state
 * it left and adds one to the one it entered, on a shard chosen at random, so a campaign sending
 * a thousand messages a second spreads its counter writes over {@link COUNTER_SHARDS} items. A
 * state reached also adds one to the minute's timeline bucket (the funnel over time). Callers
 * move the recipient first with a conditional write and count only when it moved, so a retried or
 * redelivered change is counted once. A status webhook counts its one change at once
 * ({@link countTransition}); the send step counts a block of sends together ({@link CountTally}).
 * When the campaign completes, {@link recount} checks the shards against the recipients
 * themselves and mends them.
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

/** The timeline states a change reaches, the states it passed on the way first. */
const reachedOf = (change: Pick<Transition, 'to' | 'passed'>) =>
  [...(change.passed ?? []), change.to].filter((state) => TIMELINE_STATES.has(state));

/** Adds a recipient's change of state to the counts and the timeline. */
export async function countTransition(store: CampaignStore, change: Transition): Promise<void> {
  const { tenantId, campaignId, from, to } = change;
  if (from === to) return;
  const add: Partial<Record<RecipientState, number>> = { [to]: 1 };
  if (from) add[from] = -1;
  const reached = reachedOf(change);
  const timeline: Record<string, number> = {};
  for (const state of reached) timeline[state] = (timeline[state] ?? 0) + 1;
  await Promise.all([
    addToCounter(store, tenantId, campaignId, add),
    reached.length > 0 ? addToTimeline(store, tenantId, campaignId, minuteOf(change.at), timeline) : undefined,
    to === 'failed' && change.failureCode !== undefined
      ? addFailure(store, tenantId, campaignId, change.failureCode, 1, change.failureTitle)
      : undefined,
  ]);
}

/**
 * Changes counted in memory and written together. The send step counts a block of sends with one
 * counter ADD, one timeline ADD per minute and one per failure code, where counting each change as
 * it happens would cost two or three writes per message, as many as sending it. A worker that
 * stops before it flushes loses at most one block's counts: the recount at completion mends them.
 */
export class CountTally {
  private counts: Partial<Record<RecipientState, number>> = {};
  private readonly timeline = new Map<string, Record<string, number>>();
  private readonly failures = new Map<number, { count: number; title: string | undefined }>();

  constructor(
    private readonly store: CampaignStore,
    private readonly tenantId: string,
    private readonly campaignId: string,
  ) {}

  add(change: Omit<Transition, 'tenantId' | 'campaignId'>): void {
    const { from, to } = change;
    if (from === to) return;
    this.counts[to] = (this.counts[to] ?? 0) + 1;
    if (from) this.counts[from] = (this.counts[from] ?? 0) - 1;
    for (const state of reachedOf(change)) {
      const minute = minuteOf(change.at);
      const bucket = this.timeline.get(minute) ?? {};
      bucket[state] = (bucket[state] ?? 0) + 1;
      this.timeline.set(minute, bucket);
    }
    if (to === 'failed' && change.failureCode !== undefined) {
      const failure = this.failures.get(change.failureCode) ?? { count: 0, title: change.failureTitle };
      failure.count += 1;
      this.failures.set(change.failureCode, failure);
    }
  }

  /** Writes what was counted since the last flush (nothing when nothing changed). */
  async flush(): Promise<void> {
    const counts = Object.fromEntries(Object.entries(this.counts).filter(([, delta]) => delta !== 0));
    const timeline = [...this.timeline];
    const failures = [...this.failures];
    this.counts = {};
    this.timeline.clear();
    this.failures.clear();
    const { store, tenantId, campaignId } = this;
    await Promise.all([
      Object.keys(counts).length > 0 ? addToCounter(store, tenantId, campaignId, counts) : undefined,
      ...timeline.map(([minute, add]) => addToTimeline(store, tenantId, campaignId, minute, add)),
      ...failures.map(([code, { count, title }]) => addFailure(store, tenantId, campaignId, code, count, title)),
    ]);
  }
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
  await addToCounter(store, tenantId, campaignId, created);
}

const addToCounter = (
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  add: Partial<Record<RecipientState, number>>,
) =>
  store.entities.campaignCounter.update({ tenantId, campaignId, shard: shardOf() }).add(add).go({ response: 'none' });

const addToTimeline = (
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  minute: string,
  add: Record<string, number>,
) => store.entities.campaignTimeline.update({ tenantId, campaignId, minute }).add(add).go({ response: 'none' });

/** Counts failures under WhatsApp's code (the failure reasons the campaign page lists). */
const addFailure = (
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  code: number,
  count: number,
  title: string | undefined,
) =>
  store.entities.campaignFailure
    .update({ tenantId, campaignId, code })
    .add({ count })
    .set(title ? { title: title.slice(0, 200) } : {})
    .go({ response: 'none' });

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
