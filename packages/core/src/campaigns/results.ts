import { campaignId as campaignIdShape, type RecipientState } from '@asistone/contract/campaigns';
import type { Logger } from '@aws-lambda-powertools/logger';
import { recordConsent } from '../inbox/consent.js';
import type { InboxStore } from '../inbox/records.js';
import type { StatusUpdate } from '../inbox/statuses.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { CampaignStore } from './campaign-records.js';
import { countTransition } from './counts.js';

/**
 * A campaign's results as they come back: WhatsApp's status webhooks (matched by the callback
 * data every campaign send carries, `cmp1:<campaignId>:<contactId>`) and the customer's replies
 * move each recipient forward along its road, never back. A status arrives late, twice or before
 * the one it follows; each move is one conditional write from the state it read, and only a
 * write that moved the recipient is counted, so the counts hold whatever the order.
 */

export type ResultsStore = CampaignStore & InboxStore;
export interface ResultsDeps {
  store: ResultsStore;
  keyring: TenantKeyring;
  log?: Pick<Logger, 'info' | 'warn'>;
}

/** How far along the road a state is; `failed`, `holdout` and `skipped` are off it. */
const RANK: Partial<Record<RecipientState, number>> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  replied: 5,
};
const ROAD: RecipientState[] = ['sent', 'delivered', 'read', 'replied'];

/** A failure is the outcome of a send: only a recipient being sent or sent can fail. */
const FAILS_FROM = new Set<RecipientState>(['sending', 'sent']);

/** A reply answers a message that went out (a `sending` one whose outcome was unknown did too). */
const REPLIED_FROM = new Set<RecipientState>(['sending', 'sent', 'delivered', 'read']);

/** WhatsApp's code for a customer who stopped the business's marketing messages. */
export const MARKETING_STOPPED_CODE = 131050;

/** A customer's message counts as a reply to a campaign sent to them within this many days. */
export const REPLY_WINDOW_DAYS = 3;

const CONTACT_ID = /^ct_[A-Za-z0-9_-]{8,64}$/;

/**
 * The campaign and contact a send's callback data names, or undefined when it is not exactly
 * ours: ids only, of their own shapes. The business is never in it (it comes from the number
 * the webhook is for), so a callback naming another business's campaign finds nothing.
 */
export function campaignCallbackOf(data: string | undefined): { campaignId: string; contactId: string } | undefined {
  const parts = data?.split(':');
  if (parts?.length !== 3 || parts[0] !== 'cmp1') return undefined;
  const [, campaignId = '', contactId = ''] = parts;
  if (!campaignIdShape.safeParse(campaignId).success || !CONTACT_ID.test(contactId)) return undefined;
  return { campaignId, contactId };
}

/** The state a recipient moves to, and the states passed on the way; undefined when it stays. */
export function nextState(
  current: RecipientState,
  target: RecipientState,
): { to: RecipientState; passed: RecipientState[] } | undefined {
  if (target === 'failed') return FAILS_FROM.has(current) ? { to: 'failed', passed: [] } : undefined;
  const from = RANK[current];
  const to = RANK[target];
  if (from === undefined || to === undefined || to <= from) return undefined;
  // The funnel's stages between the two (a read for a sent message passes delivered, which
  // WhatsApp may never report); `sending` and `queued` are not stages of the funnel.
  const passed = ROAD.filter((state) => (RANK[state] as number) > from && (RANK[state] as number) < to);
  return { to: target, passed };
}

const TIME_OF: Partial<Record<RecipientState, 'sentAt' | 'deliveredAt' | 'readAt' | 'repliedAt' | 'failedAt'>> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  replied: 'repliedAt',
  failed: 'failedAt',
};

interface Move {
  tenantId: string;
  campaignId: string;
  contactId: string;
  target: RecipientState;
  at: number;
  wamid?: string | undefined;
  failure?: { code?: number | undefined; title?: string | undefined } | undefined;
  /** Only from these states (a reply needs a sent message). */
  onlyFrom?: ReadonlySet<RecipientState>;
  /** Only when the recipient was sent before this (a reply after the send). */
  sentBefore?: number;
}

/**
 * Moves one recipient by rank with a conditional write on the state it read, and counts the
 * move. A lost race reads again (another status moved it meanwhile). Returns the state left,
 * or undefined when nothing moved (unknown recipient, a duplicate, an older status).
 */
async function moveRecipient(store: ResultsStore, move: Move): Promise<RecipientState | undefined> {
  const { tenantId, campaignId, contactId, target, at } = move;
  for (let attempt = 0; attempt < 5; attempt++) {
    const { data: recipient } = await store.entities.campaignRecipient
      .get({ tenantId, campaignId, contactId })
      .go({ consistent: true });
    if (!recipient) return undefined;
    if (move.onlyFrom && !move.onlyFrom.has(recipient.state)) return undefined;
    if (move.sentBefore !== undefined) {
      const sentAt = recipient.sentAt ?? recipient.claimedAt;
      if (sentAt === undefined || sentAt > move.sentBefore) return undefined;
    }
    const next = nextState(recipient.state, target);
    if (!next) return undefined;
    const times: Record<string, number> = {};
    for (const state of [...next.passed, next.to]) {
      const field = TIME_OF[state];
      if (field && recipient[field] === undefined) times[field] = at;
    }
    const failure = target === 'failed' ? move.failure : undefined;
    try {
      await store.entities.campaignRecipient
        .patch({ tenantId, campaignId, contactId })
        .set({
          state: next.to,
          ...times,
          ...(move.wamid && !recipient.wamid && { wamid: move.wamid }),
          ...(failure?.code !== undefined && { failureCode: failure.code }),
          ...(failure?.title && { failureTitle: failure.title.slice(0, 200) }),
        })
        .where((attr, { eq }) => eq(attr.state, recipient.state))
        .go({ response: 'none' });
    } catch (error) {
      if (isConditionFailure(error)) continue;
      throw error;
    }
    await countTransition(store, {
      tenantId,
      campaignId,
      from: recipient.state,
      to: next.to,
      at,
      passed: next.passed,
      failureCode: failure?.code,
      failureTitle: failure?.title,
    });
    return recipient.state;
  }
  return undefined;
}

/**
 * Applies one WhatsApp status of a campaign message to its recipient. `tenantId` is the owner of
 * the number the webhook came for. A failure with {@link MARKETING_STOPPED_CODE} also records the
 * customer's withdrawal of WhatsApp marketing consent in the ledger (once: the entry id comes
 * from the campaign and contact), so no later campaign reaches them.
 */
export async function applyCampaignStatus(deps: ResultsDeps, tenantId: string, update: StatusUpdate): Promise<void> {
  const callback = campaignCallbackOf(update.callbackData);
  if (!callback) {
    deps.log?.warn('campaign status skipped', { tenantId, reason: 'callback data is not a campaign send' });
    return;
  }
  const { campaignId, contactId } = callback;
  const { data: recipient } = await deps.store.entities.campaignRecipient
    .get({ tenantId, campaignId, contactId })
    .go({ consistent: true });
  if (!recipient) {
    // Not this business's campaign, or a recipient that never was.
    deps.log?.warn('campaign status skipped', { tenantId, campaignId, reason: 'no such recipient' });
    return;
  }
  const from = await moveRecipient(deps.store, {
    tenantId,
    campaignId,
    contactId,
    target: update.status,
    at: update.at,
    wamid: update.providerMessageId,
    failure: update.error,
  });
  if (update.status === 'failed' && update.error?.code === MARKETING_STOPPED_CODE) {
    const keys = await deps.keyring.forTenant(tenantId);
    await recordConsent(
      { store: deps.store, keys },
      {
        tenantId,
        contactId,
        channel: 'whatsapp',
        purpose: 'marketing',
        state: 'withdrawn',
        source: 'api',
        at: update.at,
        wording: `WhatsApp ${MARKETING_STOPPED_CODE}: ${update.error.title ?? 'the customer stopped marketing messages'}`,
        actor: 'whatsapp',
        entryId: `wa${MARKETING_STOPPED_CODE}_${campaignId}_${contactId}`,
      },
    );
  }
  deps.log?.info('campaign status applied', { tenantId, campaignId, status: update.status, moved: from !== undefined });
}

/**
 * A customer's message counts as a reply to the latest campaign sent to them in the last
 * {@link REPLY_WINDOW_DAYS} days (a tapped quick-reply button too). Safe to call for every
 * recorded message, a redelivery included: a recipient already `replied` stays.
 */
export async function noteCampaignReply(
  deps: Pick<ResultsDeps, 'store' | 'log'>,
  tenantId: string,
  contactId: string,
  at: number,
): Promise<string | undefined> {
  const since = at - REPLY_WINDOW_DAYS * 86_400_000;
  const { data } = await deps.store.entities.campaignRecipient.query
    .byContact({ tenantId, contactId })
    .go({ pages: 'all', attributes: ['campaignId', 'state', 'sentAt', 'claimedAt'] });
  const candidates = data
    .map((recipient) => ({ ...recipient, sentAt: recipient.sentAt ?? recipient.claimedAt }))
    .filter(
      (recipient): recipient is typeof recipient & { sentAt: number } =>
        recipient.sentAt !== undefined && recipient.sentAt >= since && recipient.sentAt <= at,
    )
    .sort((a, b) => b.sentAt - a.sentAt);
  const latest = candidates[0];
  if (!latest) return undefined;
  const from = await moveRecipient(deps.store, {
    tenantId,
    campaignId: latest.campaignId,
    contactId,
    target: 'replied',
    at,
    onlyFrom: REPLIED_FROM,
    sentBefore: at,
  });
  if (from !== undefined) deps.log?.info('campaign reply noted', { tenantId, campaignId: latest.campaignId });
  return from === undefined ? undefined : latest.campaignId;
}
