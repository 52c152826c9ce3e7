import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import { PlanLimitError, ReadOnlyError } from '../billing/limits.js';
import { returnAllowance, type UsageStore, useAllowance } from '../billing/usage.js';
import { NotFoundError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { type AttributionStore, refreshAttribution } from './attribution.js';
import { type Audience, type AudienceStore, audienceSize } from './audience.js';
import type { CampaignStore } from './campaign-records.js';
import { liveCounts, recount } from './counts.js';
import { requeueWaitingBatches } from './fanout.js';
import { transitionCampaign } from './lifecycle.js';
import { CAMPAIGN_FANOUT_QUEUE, CAMPAIGN_SCHEDULER_SCHEDULE, CAMPAIGN_SEND_QUEUE } from './send-queues.js';

/**
 * Each minute, for every business's scheduled, sending and paused campaigns (a Query of the
 * active campaigns' index per state, never a Scan):
 * - starts those due (`scheduled` → `sending` with one conditional write, then one fan-out
 *   message: of two runs, or a run and the merchant, one wins), their audience counted against
 *   the plan's month first; one the month cannot hold, or of a read-only business, goes back to
 *   a draft instead (sending it days later, once paid, could be out of date);
 * - queues the fan-out again when it stopped moving (its message lost), and the batches whose
 *   recipients wait longer than a send message can live (a batch left in the dead-letter queue);
 * - completes those with nothing left to send: the fan-out done, no recipient `queued`, and any
 *   still `sending` claimed more than 15 minutes ago (their outcome is unknown, never resent).
 *   The counts are recounted from the recipients and kept on the campaign;
 * - logs the alarm line for each campaign WhatsApp stopped (a policy block, a locked account,
 *   a paused template) in the last day;
 * - refreshes the orders attributed to completed campaigns, and recounts them, hourly while
 *   their window is open, and once more after it closes, which takes them out of its view.
 */

export type SchedulerStore = CampaignStore & AuditStore & AttributionStore & AudienceStore & UsageStore;

export interface SchedulerDeps {
  store: SchedulerStore;
  producer: Pick<Producer, 'send'>;
  log?: {
    info(message: string, attributes: Record<string, unknown>): void;
    warn(message: string, attributes: Record<string, unknown>): void;
  };
}

export interface SchedulerRun {
  started: number;
  completed: number;
  /** Fan-outs and batches queued again. */
  requeued: number;
  /** Campaigns WhatsApp stopped within the alarm's day (each logs the alarm line). */
  pausedByProvider: number;
  /** Completed campaigns whose attributed orders were computed again. */
  attributed: number;
}

/**
 * The alarm's line (stacks/Jobs.ts counts it in this schedule's log): the send step pauses a
 * campaign WhatsApp refused and logs it there; each run here logs it again for every campaign
 * so paused in the last day, so the alarm stays raised a day after the pause, and names it.
 */
export const PAUSED_BY_PROVIDER_MESSAGE = CAMPAIGN_SCHEDULER_SCHEDULE.alarm.logMessage;
const ALARM_DAY_MS = 86_400_000;

/** A recipient claimed longer ago than this, with no answer, counts as done (outcome unknown). */
export const UNKNOWN_AFTER_MS = 15 * 60_000;
/** A fan-out that has not checkpointed for this long lost its message (its visibility timeout). */
const FANOUT_STALL_MS = CAMPAIGN_FANOUT_QUEUE.visibilityTimeoutSeconds * 1000;
/**
 * A queued recipient untouched this long belongs to a lost batch: a send message retried as often
 * as the queue allows, each time held as long as its visibility timeout.
 */
export const BATCH_STALL_MS = CAMPAIGN_SEND_QUEUE.visibilityTimeoutSeconds * 1000 * CAMPAIGN_SEND_QUEUE.maxReceiveCount;
/** The stall check reads the campaign's recipients: at most this often per campaign. */
const STALL_CHECK_EVERY_MS = 15 * 60_000;

export async function runCampaignScheduler(deps: SchedulerDeps, now = Date.now()): Promise<SchedulerRun> {
  const run: SchedulerRun = { started: 0, completed: 0, requeued: 0, pausedByProvider: 0, attributed: 0 };
  for (const state of ['scheduled', 'sending', 'paused', 'completed'] as const) {
    const { data } = await deps.store.entities.campaign.query
      .active({ state })
      .go({ pages: 'all', attributes: ['tenantId', 'campaignId', 'state'] });
    for (const { tenantId, campaignId } of data) {
      if (state === 'scheduled') {
        if (await startIfDue(deps, tenantId, campaignId, now)) run.started++;
      } else if (state === 'completed') {
        if (await attributeIfDue(deps, tenantId, campaignId, now)) run.attributed++;
      } else if (state === 'paused') {
        if (await warnIfPausedByProvider(deps, tenantId, campaignId, now)) run.pausedByProvider++;
      } else {
        const outcome = await lookAfter(deps, tenantId, campaignId, now);
        if (outcome === 'completed') run.completed++;
        if (outcome === 'requeued') run.requeued++;
      }
    }
  }
  deps.log?.info('campaigns scheduled', { ...run });
  return run;
}

/** How often the orders of a campaign whose window is open are attributed again. */
export const ATTRIBUTION_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Attributes the orders again when the last computation is an hour old; once the window has
 * closed, a last time, marked final (which takes the campaign out of the scheduler's view).
 */
async function attributeIfDue(deps: SchedulerDeps, tenantId: string, campaignId: string, now: number) {
  const { data } = await deps.store.entities.campaign
    .get({ tenantId, campaignId })
    .go({ attributes: ['state', 'startedAt', 'attributionDays', 'attributionAt'] });
  if (data?.state !== 'completed') return false;
  const closed = data.startedAt === undefined || now > data.startedAt + data.attributionDays * DAY_MS;
  if (!closed && (data.attributionAt ?? 0) > now - ATTRIBUTION_EVERY_MS) return false;
  if (data.startedAt !== undefined) await refreshAttribution(deps.store, tenantId, campaignId, now);
  // Statuses and replies keep counting after completion; a recount mends any that raced the last one.
  await recount(deps.store, tenantId, campaignId);
  if (closed)
    await transitionCampaign(deps.store, tenantId, campaignId, ['completed'], 'completed', { attributionFinal: true });
  return true;
}

async function warnIfPausedByProvider(deps: SchedulerDeps, tenantId: string, campaignId: string, now: number) {
  const { data } = await deps.store.entities.campaign
    .get({ tenantId, campaignId })
    .go({ attributes: ['state', 'pauseReason', 'updatedAt'] });
  if (data?.state !== 'paused' || !data.pauseReason || data.pauseReason === 'merchant') return false;
  if (data.updatedAt < now - ALARM_DAY_MS) return false;
  deps.log?.warn(PAUSED_BY_PROVIDER_MESSAGE, { tenantId, campaignId, reason: data.pauseReason });
  return true;
}

async function startIfDue(deps: SchedulerDeps, tenantId: string, campaignId: string, now: number) {
  const { data } = await deps.store.entities.campaign.get({ tenantId, campaignId }).go({ consistent: true });
  if (data?.state !== 'scheduled' || data.scheduledAt === undefined || data.scheduledAt > now) return false;
  // A list deleted since counts nothing; the fan-out then meets the missing list as it always did.
  const recipients = await audienceSize(deps, tenantId, data.audience as Audience).catch((error: unknown) => {
    if (error instanceof NotFoundError) return 0;
    throw error;
  });
  try {
    await useAllowance(deps, tenantId, 'campaignMessages', recipients, now);
  } catch (error) {
    if (!(error instanceof PlanLimitError || error instanceof ReadOnlyError)) throw error;
    await notStarted(deps, tenantId, campaignId, error, now);
    return false;
  }
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, ['scheduled'], 'sending', {
    startedAt: now,
    fanout: 'pending',
  });
  if (!moved) {
    await returnAllowance(deps, tenantId, 'campaignMessages', recipients, now);
    return false;
  }
  await deps.producer.send(CAMPAIGN_FANOUT_QUEUE, { tenantId, campaignId });
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'campaign.started',
      actorId: 'system',
      target: { type: 'campaign', id: campaignId },
      detail: { from: 'scheduled' },
    },
    now,
  );
  return true;
}

/** A due campaign the plan does not let start: back to a draft, audited and logged with why. */
async function notStarted(
  deps: SchedulerDeps,
  tenantId: string,
  campaignId: string,
  refusal: PlanLimitError | ReadOnlyError,
  now: number,
) {
  const moved = await transitionCampaign(deps.store, tenantId, campaignId, ['scheduled'], 'draft', {
    remove: ['scheduledAt'],
  });
  if (!moved) return;
  const reason = refusal instanceof PlanLimitError ? 'plan-limit' : 'read-only';
  await recordAuditEvent(
    deps.store,
    tenantId,
    {
      action: 'campaign.unscheduled',
      actorId: 'system',
      target: { type: 'campaign', id: campaignId },
      detail: { reason },
    },
    now,
  );
  deps.log?.warn('campaign not started', { tenantId, campaignId, reason });
}

async function lookAfter(
  deps: SchedulerDeps,
  tenantId: string,
  campaignId: string,
  now: number,
): Promise<'completed' | 'requeued' | 'sending'> {
  const { store } = deps;
  const { data: campaign } = await store.entities.campaign.get({ tenantId, campaignId }).go({ consistent: true });
  if (campaign?.state !== 'sending') return 'sending';
  if (campaign.fanout !== 'done') {
    if (campaign.updatedAt < now - FANOUT_STALL_MS) {
      await deps.producer.send(CAMPAIGN_FANOUT_QUEUE, { tenantId, campaignId });
      return 'requeued';
    }
    return 'sending';
  }
  const counts = await liveCounts(store, tenantId, campaignId);
  if (counts.queued > 0) {
    // Batches that stopped moving: the send step makes a second copy harmless.
    if (campaign.updatedAt >= now - STALL_CHECK_EVERY_MS) return 'sending';
    await store.entities.campaign.patch({ tenantId, campaignId }).set({ updatedAt: now }).go({ response: 'none' });
    const batches = await requeueWaitingBatches(deps, tenantId, campaignId, now - BATCH_STALL_MS);
    if (batches > 0) return 'requeued';
  }
  // The recipients themselves decide (the counts are estimates until the recount).
  if (!(await nothingLeft(store, tenantId, campaignId, now))) return 'sending';
  const finalCounts = await recount(store, tenantId, campaignId);
  const moved = await transitionCampaign(store, tenantId, campaignId, ['sending'], 'completed', {
    completedAt: now,
    finalCounts,
  });
  if (!moved) return 'sending';
  await recordAuditEvent(
    store,
    tenantId,
    {
      action: 'campaign.sent',
      actorId: 'system',
      target: { type: 'campaign', id: campaignId },
      detail: { sent: String(finalCounts.sent + finalCounts.delivered + finalCounts.read + finalCounts.replied) },
    },
    now,
  );
  return 'completed';
}

/** No recipient `queued`, and none `sending` claimed within {@link UNKNOWN_AFTER_MS}. */
async function nothingLeft(store: CampaignStore, tenantId: string, campaignId: string, now: number) {
  let cursor: string | null = null;
  do {
    const page: { data: { state: string; claimedAt?: number | undefined }[]; cursor: string | null } =
      await store.entities.campaignRecipient.query
        .byCampaign({ tenantId, campaignId })
        .where((attr, { eq }) => `${eq(attr.state, 'queued')} OR ${eq(attr.state, 'sending')}`)
        .go({ cursor, attributes: ['state', 'claimedAt'], consistent: true, limit: 1000 });
    for (const recipient of page.data) {
      if (recipient.state === 'queued') return false;
      if ((recipient.claimedAt ?? 0) > now - UNKNOWN_AFTER_MS) return false;
    }
    cursor = page.cursor;
  } while (cursor);
  return true;
}
