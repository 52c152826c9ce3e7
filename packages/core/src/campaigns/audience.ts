import {
  AUDIENCE_CHECK_LIMIT,
  type AudiencePreviewAnswer,
  type CampaignAudience,
  type InboxAudienceFilter,
} from '@asistone/contract/campaign-audience';
import type { InboxStore } from '../inbox/records.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { costPreview } from './cost.js';
import { BATCH_SIZE, type EligibilityDeps, eligibilityOfBatch, noSkips } from './eligibility.js';
import type { CampaignListStore } from './list-records.js';
import { campaignSettingsOf } from './settings.js';
import type { CampaignSettingsStore } from './settings-records.js';

/**
 * A campaign's audience: the customers on the chosen lists, or the inbox's WhatsApp customers
 * matching a filter, as pages of contact ids, each contact once. Lists are read page by page
 * and a contact already on an earlier chosen list is left out by looking it up there (one
 * BatchGet per hundred), so nothing grows with the list's size and a cursor resumes exactly.
 */

export type Audience = CampaignAudience;

export type AudienceStore = InboxStore & CampaignSettingsStore & CampaignListStore;

const PAGE = 500;

interface AudienceCursor {
  /** The list being read (lists), 0 for the inbox. */
  l: number;
  /** The store's cursor within it. */
  c: string | null;
}

const encode = (cursor: AudienceCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decode(cursor: string | undefined): AudienceCursor {
  if (!cursor) return { l: 0, c: null };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as AudienceCursor;
    if (Number.isInteger(parsed.l) && parsed.l >= 0 && (parsed.c === null || typeof parsed.c === 'string')) {
      return parsed;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new ValidationError('Not a position in this audience', ['cursor']);
}

/** The chosen lists, each of this business, or 404 (another business's list reads as absent). */
export async function requireLists(store: CampaignListStore, tenantId: string, listIds: readonly string[]) {
  for (const listId of listIds) {
    const { data } = await store.entities.campaignList.get({ tenantId, listId }).go({ attributes: ['listId'] });
    if (!data) throw new NotFoundError('No such list');
  }
}

/**
 * Pages of contact ids of the audience, each contact once across pages; each page comes with
 * the cursor that continues after it (for a fan-out that stops and resumes).
 */
export async function* audiencePagesWithCursor(
  deps: { store: AudienceStore },
  tenantId: string,
  audience: Audience,
  cursor?: string,
): AsyncIterable<{ contactIds: string[]; next?: string }> {
  if (audience.kind === 'lists') {
    await requireLists(deps.store, tenantId, audience.listIds);
    yield* listPages(deps.store, tenantId, audience.listIds, decode(cursor));
  } else {
    yield* inboxPages(deps.store, tenantId, audience.filter, decode(cursor));
  }
}

/** The audience's contact ids, page by page, deduplicated across lists. */
export async function* audiencePages(
  deps: { store: AudienceStore },
  tenantId: string,
  audience: Audience,
  cursor?: string,
): AsyncIterable<string[]> {
  for await (const page of audiencePagesWithCursor(deps, tenantId, audience, cursor)) yield page.contactIds;
}

/**
 * How many customers the audience has now, each once (no eligibility read: keys only, page by
 * page). A campaign counts this many campaign messages of the plan's month when it starts.
 */
export async function audienceSize(deps: { store: AudienceStore }, tenantId: string, audience: Audience) {
  let size = 0;
  for await (const page of audiencePages(deps, tenantId, audience)) size += page.length;
  return size;
}

async function* listPages(
  store: CampaignListStore,
  tenantId: string,
  listIds: readonly string[],
  from: AudienceCursor,
): AsyncIterable<{ contactIds: string[]; next?: string }> {
  for (let l = from.l; l < listIds.length; l++) {
    const listId = listIds[l] as string;
    let storeCursor = l === from.l ? from.c : null;
    do {
      const page = await store.entities.campaignListMember.query
        .byList({ tenantId, listId })
        .go({ cursor: storeCursor, limit: PAGE, attributes: ['contactId'] });
      storeCursor = page.cursor;
      const ids = page.data.map((member) => member.contactId);
      const fresh = l === 0 ? ids : await notOnEarlierLists(store, tenantId, listIds.slice(0, l), ids);
      const next: AudienceCursor | undefined = storeCursor
        ? { l, c: storeCursor }
        : l + 1 < listIds.length
          ? { l: l + 1, c: null }
          : undefined;
      yield { contactIds: fresh, ...(next && { next: encode(next) }) };
    } while (storeCursor);
  }
}

/** Those of `ids` on none of `earlier` lists (each counted with the first list that has them). */
async function notOnEarlierLists(
  store: CampaignListStore,
  tenantId: string,
  earlier: readonly string[],
  ids: readonly string[],
): Promise<string[]> {
  let left = [...ids];
  for (const listId of earlier) {
    // Filtered after each list: fewer keys to look up on the next.
    const onIt = new Set<string>();
    for (let i = 0; i < left.length; i += BATCH_SIZE) {
      const keys = left.slice(i, i + BATCH_SIZE).map((contactId) => ({ tenantId, listId, contactId }));
      let pending = keys;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error('The store left keys unprocessed too many times');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const answer = await store.entities.campaignListMember
          .get(pending)
          .go({ attributes: ['contactId'], unprocessed: 'item' });
        for (const member of answer.data) onIt.add(member.contactId);
        pending = answer.unprocessed as typeof keys;
      }
    }
    left = left.filter((contactId) => !onIt.has(contactId));
  }
  return left;
}

/**
 * The inbox's WhatsApp customers matching the filter, from its conversations newest first
 * (byRecency). A customer who wrote to two of the business's numbers has two conversations:
 * counted once (the ids seen are kept for the run: an inbox is far smaller than a list).
 */
async function* inboxPages(
  store: InboxStore,
  tenantId: string,
  filter: InboxAudienceFilter,
  from: AudienceCursor,
): AsyncIterable<{ contactIds: string[]; next?: string }> {
  const after = filter.lastInboundAfter ? Date.parse(filter.lastInboundAfter) : undefined;
  const before = filter.lastInboundBefore ? Date.parse(filter.lastInboundBefore) : undefined;
  const labels = filter.labels && filter.labels.length > 0 ? new Set(filter.labels) : undefined;
  const seen = new Set<string>();
  let storeCursor = from.c;
  do {
    const page = await store.entities.conversation.query.byRecency({ tenantId }).go({
      cursor: storeCursor,
      limit: PAGE,
      order: 'desc',
      attributes: ['contactId', 'channelKind', 'labels', 'lastInboundAt'],
    });
    storeCursor = page.cursor;
    const matching = page.data.filter(
      (conversation) =>
        conversation.channelKind === 'whatsapp' &&
        (!labels || (conversation.labels ?? []).some((label) => labels.has(label))) &&
        // A conversation the customer never wrote in (lastInboundAt 0) has no last interaction to match.
        (after === undefined || conversation.lastInboundAt >= after) &&
        (before === undefined || (conversation.lastInboundAt > 0 && conversation.lastInboundAt < before)),
    );
    let ids: string[] = [];
    for (const conversation of matching) {
      if (seen.has(conversation.contactId)) continue;
      seen.add(conversation.contactId);
      ids.push(conversation.contactId);
    }
    if (filter.consent === 'granted') ids = await withGrantedConsent(store, tenantId, ids);
    yield { contactIds: ids, ...(storeCursor && { next: encode({ l: 0, c: storeCursor }) }) };
  } while (storeCursor);
}

/** Those of `ids` whose WhatsApp marketing consent stands granted. */
async function withGrantedConsent(store: InboxStore, tenantId: string, ids: string[]): Promise<string[]> {
  const granted = new Set<string>();
  for (let i = 0; i < ids.length; i += BATCH_SIZE) {
    let pending = ids
      .slice(i, i + BATCH_SIZE)
      .map((contactId) => ({ tenantId, contactId, channel: 'whatsapp' as const, purpose: 'marketing' as const }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('The store left keys unprocessed too many times');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const answer = await store.entities.consentState
        .get(pending)
        .go({ consistent: true, attributes: ['contactId', 'state'], unprocessed: 'item' });
      for (const state of answer.data) if (state.state === 'granted') granted.add(state.contactId);
      pending = answer.unprocessed as typeof pending;
    }
  }
  return ids.filter((contactId) => granted.has(contactId));
}

export interface PreviewDeps {
  store: AudienceStore;
  keyring: TenantKeyring;
}

/** How many contacts' eligibility is read at once (each is three BatchGets). */
const PARALLEL_BATCHES = 4;

/**
 * Who would receive a campaign to this audience now, why each of the others would not, and what
 * it would cost. Read only. Counted while the request waits, up to {@link AUDIENCE_CHECK_LIMIT}
 * customers: a bigger audience is refused with that limit named rather than answered late.
 */
export async function previewAudience(
  deps: PreviewDeps,
  tenantId: string,
  audience: Audience,
  now = Date.now(),
): Promise<AudiencePreviewAnswer> {
  const { settings } = await campaignSettingsOf(deps.store, tenantId);
  const eligibility: EligibilityDeps = { store: deps.store, keys: await deps.keyring.forTenant(tenantId) };
  const excluded = noSkips();
  let total = 0;
  let eligible = 0;
  for await (const page of audiencePages(deps, tenantId, audience)) {
    total += page.length;
    if (total > AUDIENCE_CHECK_LIMIT) {
      throw new ConflictError(
        `This audience has more than ${AUDIENCE_CHECK_LIMIT.toLocaleString('en')} customers, more than one check counts`,
      );
    }
    const batches: string[][] = [];
    for (let i = 0; i < page.length; i += BATCH_SIZE) batches.push(page.slice(i, i + BATCH_SIZE));
    for (let i = 0; i < batches.length; i += PARALLEL_BATCHES) {
      const answers = await Promise.all(
        batches
          .slice(i, i + PARALLEL_BATCHES)
          .map((batch) => eligibilityOfBatch(eligibility, { tenantId, settings, now }, batch)),
      );
      for (const answer of answers.flat()) {
        if (answer.ok) eligible++;
        else excluded[answer.reason]++;
      }
    }
  }
  return { total, eligible, excluded, cost: costPreview(eligible, settings) };
}
