import type { CampaignAudience } from '@asistone/contract/campaign-audience';
import type { RecipientState } from '@asistone/contract/campaigns';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { type AudienceStore, audiencePagesWithCursor } from './audience.js';
import type { CampaignStore } from './campaign-records.js';
import { countCreated, liveCounts } from './counts.js';
import { BATCH_SIZE, eligibilityOfBatch, type SkipReason } from './eligibility.js';
import { inHoldout } from './holdout.js';
import { CAMPAIGN_FANOUT_QUEUE, CAMPAIGN_SEND_QUEUE, type CampaignFanoutMessage } from './send-queues.js';
import { campaignSettingsOf } from './settings.js';

/**
 * The fan-out: a sending campaign's audience turned into one recipient per contact and send
 * batches of at most a hundred. One audience page at a time (memory stays flat however large the
 * list), and after each page the cursor is kept on the campaign, so a crash, a time-out or a
 * pause resumes after the last finished page. Each recipient is created with a conditional
 * create, never overwritten: a page done twice creates nothing the second time and never resets
 * a recipient already sent. A page's batches are numbered from the page's position, so a replayed
 * page queues the same batches again, which the send step makes harmless.
 */

export type FanoutStore = CampaignStore & AudienceStore;

export interface FanoutDeps {
  store: FanoutStore;
  keyring: TenantKeyring;
  producer: Pick<Producer, 'send'>;
  /** Milliseconds this run may still work (the Lambda's time left, less a margin); unbounded without. */
  timeLeftMs?: () => number;
  now?: () => number;
}

export interface FanoutResult {
  outcome: 'not-sending' | 'continued' | 'done' | 'requeued';
  pages: number;
  created: number;
  batches: number;
}

/** Batches one page may make: an audience page is at most 500 contacts, five batches. */
const BATCHES_PER_PAGE = 10;
/** Recipients created at once. */
const PARALLEL_CREATES = 16;
/** A page is not started with less time than this left. */
const PAGE_MARGIN_MS = 30_000;
/**
 * A batch is sent a second after its recipients are written: the send step finds them by an index
 * that follows the table within a moment.
 */
const INDEX_SETTLE_SECONDS = 1;

export const batchNumber = (page: number, index: number) => page * BATCHES_PER_PAGE + index;

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

export async function fanOut(deps: FanoutDeps, message: CampaignFanoutMessage): Promise<FanoutResult> {
  const { store } = deps;
  const { tenantId, campaignId } = message;
  const now = deps.now ?? Date.now;
  const timeLeft = deps.timeLeftMs ?? (() => Number.POSITIVE_INFINITY);
  const result: FanoutResult = { outcome: 'done', pages: 0, created: 0, batches: 0 };

  const { data: campaign } = await store.entities.campaign.get({ tenantId, campaignId }).go({ consistent: true });
  // Paused or cancelled since this was queued: a resume queues the fan-out again.
  if (campaign?.state !== 'sending') return { ...result, outcome: 'not-sending' };
  if (campaign.fanout === 'done') {
    result.batches = await requeueWaitingBatches(deps, tenantId, campaignId);
    return { ...result, outcome: 'requeued' };
  }
  if (campaign.fanout !== 'running') {
    await store.entities.campaign.patch({ tenantId, campaignId }).set({ fanout: 'running' }).go({ response: 'none' });
  }

  const { settings } = await campaignSettingsOf(store, tenantId);
  const keys = await deps.keyring.forTenant(tenantId);
  let page = campaign.fanoutPage ?? 0;
  const audience = campaign.audience as CampaignAudience;

  for await (const { contactIds, next } of audiencePagesWithCursor(
    { store },
    tenantId,
    audience,
    campaign.fanoutCursor,
  )) {
    const at = now();
    const queued: string[] = [];
    for (let i = 0; i < contactIds.length; i += BATCH_SIZE) {
      const chunk = contactIds.slice(i, i + BATCH_SIZE);
      const answers = await eligibilityOfBatch({ store, keys }, { tenantId, settings, now: at }, chunk);
      const decided = chunk.map((contactId, index) => {
        const answer = answers[index];
        if (!answer?.ok) return { contactId, state: 'skipped' as const, skipReason: answer?.reason };
        if (inHoldout(campaignId, contactId, campaign.holdoutPercent)) return { contactId, state: 'holdout' as const };
        queued.push(contactId);
        return { contactId, state: 'queued' as const };
      });
      const batchOf = new Map(
        queued.map((contactId, index) => [contactId, batchNumber(page, Math.floor(index / BATCH_SIZE))]),
      );
      const created: Partial<Record<RecipientState, number>> = {};
      await inParallel(decided, PARALLEL_CREATES, async (recipient) => {
        const isNew = await createRecipient(store, {
          tenantId,
          campaignId,
          contactId: recipient.contactId,
          state: recipient.state,
          skipReason: recipient.state === 'skipped' ? recipient.skipReason : undefined,
          // Holdout and skipped recipients are filed under the page's negative batch, never sent.
          batch: batchOf.get(recipient.contactId) ?? -(page + 1),
          at,
        });
        if (!isNew) return;
        result.created++;
        created[recipient.state] = (created[recipient.state] ?? 0) + 1;
      });
      // Only those created now are counted: a replayed page adds nothing.
      await countCreated(store, tenantId, campaignId, created);
    }
    const batches = Math.ceil(queued.length / BATCH_SIZE);
    for (let index = 0; index < batches; index++) {
      await deps.producer.send(
        CAMPAIGN_SEND_QUEUE,
        { tenantId, campaignId, batch: batchNumber(page, index) },
        { delaySeconds: INDEX_SETTLE_SECONDS },
      );
    }
    result.batches += batches;
    result.pages++;
    page++;
    const kept = await checkpoint(store, tenantId, campaignId, page, next);
    // Another fan-out of the same campaign moved on first (a resume while this one ran), or the
    // campaign was paused or cancelled: this one stops.
    if (!kept) return { ...result, outcome: 'continued' };
    if (!next) break;
    if (timeLeft() < PAGE_MARGIN_MS) {
      await deps.producer.send(CAMPAIGN_FANOUT_QUEUE, { tenantId, campaignId });
      return { ...result, outcome: 'continued' };
    }
  }

  // Every recipient created was counted once in some state: the counts' sum is the audience.
  const { audience: audienceCount } = await liveCounts(store, tenantId, campaignId);
  await store.entities.campaign
    .patch({ tenantId, campaignId })
    .set({ fanout: 'done', audienceCount })
    .remove(['fanoutCursor'])
    .go({ response: 'none' });
  return result;
}

interface NewRecipient {
  tenantId: string;
  campaignId: string;
  contactId: string;
  state: RecipientState;
  skipReason: SkipReason | undefined;
  batch: number;
  at: number;
}

/** True when it was created now; false when the contact already has one (a replayed page, a second list). */
async function createRecipient(store: FanoutStore, recipient: NewRecipient): Promise<boolean> {
  const { tenantId, campaignId, contactId, state, skipReason, batch, at } = recipient;
  try {
    await store.entities.campaignRecipient
      .create({
        tenantId,
        campaignId,
        contactId,
        state,
        ...(skipReason && { skipReason }),
        batch,
        ...(state === 'queued' && { queuedAt: at, attempts: 0 }),
      })
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The cursor after a finished page, kept only if the campaign still sends and no other fan-out got further first. */
async function checkpoint(
  store: FanoutStore,
  tenantId: string,
  campaignId: string,
  page: number,
  next: string | undefined,
): Promise<boolean> {
  try {
    const update = store.entities.campaign.patch({ tenantId, campaignId }).set({
      fanoutPage: page,
      ...(next && { fanoutCursor: next }),
    });
    await update
      // Paused or cancelled meanwhile: the page's recipients stay, the cursor does not move, and a
      // resume does this page again (creating nothing twice).
      .where((attr, { eq, notExists }) =>
        page === 1
          ? `(${notExists(attr.fanoutPage)} OR ${eq(attr.fanoutPage, 0)}) AND ${eq(attr.state, 'sending')}`
          : `${eq(attr.fanoutPage, page - 1)} AND ${eq(attr.state, 'sending')}`,
      )
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * The batches that still have `queued` recipients (a resumed campaign, a lost message): one
 * send message each. Reads the campaign's recipients page by page (a resume is rare; the
 * scheduler calls this only when a campaign stopped moving).
 */
export async function requeueWaitingBatches(
  deps: { store: CampaignStore; producer: Pick<Producer, 'send'> },
  tenantId: string,
  campaignId: string,
  olderThan?: number,
): Promise<number> {
  const batches = await waitingBatches(deps.store, tenantId, campaignId, olderThan);
  for (const batch of batches) await deps.producer.send(CAMPAIGN_SEND_QUEUE, { tenantId, campaignId, batch });
  return batches.size;
}

/** Batch numbers with a `queued` recipient (last changed before `olderThan`, when given). */
export async function waitingBatches(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  olderThan?: number,
): Promise<Set<number>> {
  const batches = new Set<number>();
  let cursor: string | null = null;
  do {
    const page: { data: { batch?: number | undefined; updatedAt: number }[]; cursor: string | null } =
      await store.entities.campaignRecipient.query
        .byCampaign({ tenantId, campaignId })
        .where((attr, { eq }) => eq(attr.state, 'queued'))
        .go({ cursor, attributes: ['batch', 'updatedAt'], limit: 1000 });
    for (const { batch, updatedAt } of page.data) {
      if (batch !== undefined && batch >= 0 && (olderThan === undefined || updatedAt < olderThan)) batches.add(batch);
    }
    cursor = page.cursor;
  } while (cursor);
  return batches;
}
