import type {
  CampaignFailures,
  CampaignProgress,
  CampaignRecipients,
  CampaignTimelineBucket,
} from '@asistone/contract/campaign-results';
import type { CampaignCounts, RecipientState } from '@asistone/contract/campaigns';
import type { InboxStore } from '../inbox/records.js';
import { openOrUndefined, type TenantKeyring, type TenantKeys } from '../platform/crypto/keyring.js';
import { ValidationError } from '../platform/errors.js';
import type { CampaignStore } from './campaign-records.js';
import { requireCampaign } from './campaigns.js';
import { liveCounts } from './counts.js';
import { maskPhone } from './phone-mask.js';

/**
 * Reading a campaign's results, for its page: nothing here writes. Progress is one read of the
 * campaign and one query of its ten counter shards, cheap enough to poll every two seconds.
 */

export type ResultsViewStore = CampaignStore & InboxStore;
export interface ResultsViewDeps {
  store: ResultsViewStore;
  keyring: TenantKeyring;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The counts from the shards. While sending they are live estimates; the recount at completion
 * makes them exact, and each status or reply after it (a read, a reply a day later) still adds to
 * them, so the page keeps counting after the campaign completes (the scheduler recounts again
 * with each hourly attribution, which mends a change that raced the recount).
 */
export async function campaignProgress(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
): Promise<CampaignProgress> {
  const campaign = await requireCampaign(store, tenantId, campaignId);
  const counts: CampaignCounts = await liveCounts(store, tenantId, campaignId);
  // The shards are estimates: a state left before the count of its entry landed may dip below 0.
  for (const state of Object.keys(counts) as (keyof CampaignCounts)[]) counts[state] = Math.max(0, counts[state]);
  const audience = Math.max(counts.audience, campaign.audienceCount ?? 0);
  const open = counts.queued + counts.sending;
  const percentDone =
    campaign.state === 'completed'
      ? 100
      : audience === 0
        ? 0
        : Math.min(100, Math.max(0, Math.round(((audience - open) / audience) * 1000) / 10));
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    state: campaign.state,
    pauseReason: campaign.pauseReason ?? null,
    startedAt: iso(campaign.startedAt),
    completedAt: iso(campaign.completedAt),
    counts: { ...counts, audience },
    final: campaign.state === 'completed' && campaign.finalCounts !== undefined,
    percentDone,
  };
}

/** At most this many minutes are answered (the newest are dropped past it: months of late reads). */
const TIMELINE_MAX_MINUTES = 5000;

export async function campaignTimeline(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
): Promise<{ buckets: CampaignTimelineBucket[] }> {
  await requireCampaign(store, tenantId, campaignId);
  const { data } = await store.entities.campaignTimeline.query
    .byCampaign({ tenantId, campaignId })
    .go({ limit: TIMELINE_MAX_MINUTES });
  return {
    buckets: data.map((minute) => ({
      at: new Date(Number(minute.minute)).toISOString(),
      sent: minute.sent ?? 0,
      delivered: minute.delivered ?? 0,
      read: minute.read ?? 0,
      replied: minute.replied ?? 0,
      failed: minute.failed ?? 0,
    })),
  };
}

export async function campaignFailures(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
): Promise<CampaignFailures> {
  await requireCampaign(store, tenantId, campaignId);
  const { data } = await store.entities.campaignFailure.query.byCampaign({ tenantId, campaignId }).go({ pages: 'all' });
  return {
    failures: data
      .map((failure) => ({ code: failure.code, title: failure.title ?? null, count: failure.count ?? 0 }))
      .filter((failure) => failure.count > 0)
      .sort((a, b) => b.count - a.count || a.code - b.code),
  };
}

type RecipientItem = Awaited<
  ReturnType<ReturnType<CampaignStore['entities']['campaignRecipient']['query']['byCampaign']>['go']>
>['data'][number];

/** One page of recipients (ElectroDB's cursor), optionally of one state. */
export async function recipientItems(
  store: CampaignStore,
  tenantId: string,
  campaignId: string,
  options: { state?: RecipientState | undefined; cursor?: string | undefined; limit: number },
): Promise<{ data: RecipientItem[]; cursor: string | null }> {
  const query = store.entities.campaignRecipient.query.byCampaign({ tenantId, campaignId });
  const { state } = options;
  const filtered = state ? query.where((attr, { eq }) => eq(attr.state, state)) : query;
  try {
    const page = await filtered.go({ limit: options.limit, ...(options.cursor && { cursor: options.cursor }) });
    return { data: page.data, cursor: page.cursor ?? null };
  } catch (error) {
    // A cursor that is not one of ours.
    if ((error as { name?: string }).name === 'ElectroError') throw new ValidationError('Invalid cursor', ['cursor']);
    throw error;
  }
}

/** The contacts of a page of recipients, opened (names and numbers are sealed on the contact). */
export async function contactsOf(store: InboxStore, keys: TenantKeys, tenantId: string, contactIds: string[]) {
  const { data } =
    contactIds.length > 0
      ? await store.entities.contact.get(contactIds.map((contactId) => ({ tenantId, contactId }))).go()
      : { data: [] };
  return new Map(
    data.map((contact) => [
      contact.contactId,
      {
        name: openOrUndefined(keys, 'contact', 'name', contact.contactId, contact.name) ?? null,
        phone: openOrUndefined(keys, 'contact', 'phone', contact.contactId, contact.phone) ?? null,
      },
    ]),
  );
}

export async function recipientPage(
  deps: ResultsViewDeps,
  tenantId: string,
  campaignId: string,
  options: { state?: RecipientState | undefined; cursor?: string | undefined; limit: number },
): Promise<CampaignRecipients> {
  await requireCampaign(deps.store, tenantId, campaignId);
  const page = await recipientItems(deps.store, tenantId, campaignId, options);
  const keys = await deps.keyring.forTenant(tenantId);
  const contacts = await contactsOf(
    deps.store,
    keys,
    tenantId,
    page.data.map((recipient) => recipient.contactId),
  );
  return {
    recipients: page.data.map((recipient) => {
      const contact = contacts.get(recipient.contactId);
      return {
        contactId: recipient.contactId,
        phone: contact?.phone ? maskPhone(contact.phone) : null,
        name: contact?.name ?? null,
        state: recipient.state,
        failureCode: recipient.failureCode ?? null,
        failureTitle: recipient.failureTitle ?? null,
        sentAt: iso(recipient.sentAt),
        deliveredAt: iso(recipient.deliveredAt),
        readAt: iso(recipient.readAt),
        repliedAt: iso(recipient.repliedAt),
        failedAt: iso(recipient.failedAt),
      };
    }),
    cursor: page.cursor,
  };
}
