import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { ChannelKind } from './inbound.js';
import type { REFERRAL_RECORDS } from './referral-records.js';

/**
 * Conversations that came from an ad, as facts the ads area can count and join: one record per
 * ad and conversation (referral-records.ts), written when a customer's message carries the ad.
 */

export type ReferralStore = Store<typeof REFERRAL_RECORDS>;

/** Meta's ids are decimal digits; anything longer than this is not an id. */
const AD_ID = /^\d{1,32}$/;

/**
 * The ad a message's referral names, or undefined when it names none (a post, a link, a
 * malformed id). WhatsApp says `source_type: 'ad'` with the ad id as `source_id`; Messenger and
 * Instagram give `ad_id`, with `source: 'ADS'` when they give a source at all. Ids only as
 * strings: Meta's ids exceed what a JSON number holds exactly.
 */
export function adIdOf(referral: Record<string, unknown> | undefined): string | undefined {
  if (!referral) return undefined;
  const id =
    referral.source_type !== undefined
      ? referral.source_type === 'ad'
        ? referral.source_id
        : undefined
      : referral.source === undefined || referral.source === 'ADS'
        ? referral.ad_id
        : undefined;
  return typeof id === 'string' && AD_ID.test(id) ? id : undefined;
}

export interface ReferredMessage {
  tenantId: string;
  adId: string;
  conversationId: string;
  contactId: string;
  channelKind: ChannelKind;
  /** When the customer sent the message, ms. */
  sentAt: number;
}

/**
 * Counts one message that carried an ad. Call it once per message (inbound.ts does, only for the
 * delivery that stored the message): a call counts, however it races with others. Conditional
 * writes, no read: the record is created with this message, or else moved forward (a newer
 * message, the usual case), or back (an older one arriving late: its time becomes the first),
 * or only counted (one in between). Each write's condition picks exactly one of them, and
 * `firstAt` only ever moves earlier, `lastAt` only later.
 */
export async function recordAdReferral(store: ReferralStore, message: ReferredMessage): Promise<void> {
  const { tenantId, adId, conversationId, contactId, channelKind, sentAt } = message;
  const key = { tenantId, adId, conversationId };
  const lost = (error: unknown) => {
    if (!isConditionFailure(error)) throw error;
    return false;
  };
  const done = () => true;
  const created = await store.entities.adReferral
    .create({ ...key, contactId, channelKind, firstAt: sentAt, lastAt: sentAt, count: 1 })
    .go({ response: 'none' })
    .then(done, lost);
  if (created) return;
  const newer = await store.entities.adReferral
    .patch(key)
    .set({ lastAt: sentAt })
    .add({ count: 1 })
    .where(({ lastAt }, { lte }) => lte(lastAt, sentAt))
    .go({ response: 'none' })
    .then(done, lost);
  if (newer) return;
  const older = await store.entities.adReferral
    .patch(key)
    .set({ firstAt: sentAt })
    .add({ count: 1 })
    .where(({ firstAt }, { gt }) => gt(firstAt, sentAt))
    .go({ response: 'none' })
    .then(done, lost);
  if (older) return;
  await store.entities.adReferral.patch(key).add({ count: 1 }).go({ response: 'none' });
}

/** A conversation that came from an ad, for the ads area. */
export interface AdReferralView {
  adId: string;
  conversationId: string;
  contactId: string;
  channelKind: ChannelKind;
  /** When the customer first wrote from the ad, ms. */
  firstAt: number;
  count: number;
}

/** Only the view's fields, whatever else the record holds. */
const viewOf = (item: AdReferralView): AdReferralView => ({
  adId: item.adId,
  conversationId: item.conversationId,
  contactId: item.contactId,
  channelKind: item.channelKind,
  firstAt: item.firstAt,
  count: item.count,
});

/**
 * The business's referrals whose first message was sent from `fromMs` (inclusive) to `toMs`
 * (exclusive), oldest first, every page. The index's sort key is the padded time followed by
 * `#`, so the bounds as bare times select exactly that half-open range.
 */
export async function adReferralsBetween(
  store: ReferralStore,
  tenantId: string,
  fromMs: number,
  toMs: number,
): Promise<AdReferralView[]> {
  const from = Math.max(0, Math.floor(fromMs));
  const to = Math.max(0, Math.ceil(toMs));
  if (to <= from) return [];
  const { data } = await store.entities.adReferral.query
    .byTime({ tenantId })
    .between({ firstAt: from }, { firstAt: to })
    .go({ pages: 'all' });
  return data.map(viewOf);
}

/** One ad's referrals, every page (by the record's own key prefix, `adref#<adId>#`). */
export async function adReferralsOfAd(store: ReferralStore, tenantId: string, adId: string): Promise<AdReferralView[]> {
  if (!AD_ID.test(adId)) return [];
  const { data } = await store.entities.adReferral.query.byAd({ tenantId, adId }).go({ pages: 'all' });
  return data.map(viewOf);
}
