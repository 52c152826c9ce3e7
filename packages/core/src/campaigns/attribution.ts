import type { AttributionGroup, CampaignAttribution } from '@asistone/contract/campaign-results';
import type { RecipientState } from '@asistone/contract/campaigns';
import type { InboxStore } from '../inbox/records.js';
import type { ShopifyLocalStore } from '../shopify/store-records.js';
import type { CampaignStore } from './campaign-records.js';
import { requireCampaign } from './campaigns.js';
import { liveCounts } from './counts.js';

/**
 * What a campaign sold: orders placed within `attributionDays` after it started, by its
 * recipients (sent or further) and, for comparison, by its holdout (kept back at random, never
 * sent). A recipient is matched to the store through their number's blind index: contact →
 * Shopify customers with that phone → their orders in the window, cancelled ones left out.
 * Guest orders (no customer) cannot be matched: an order's phone is sealed and not indexed.
 *
 * The comparison is what the campaign changed: conversion (buyers / group size) of the
 * recipients against the holdout's, as a difference and as a ratio. No holdout, no lift.
 *
 * Computed on request for a campaign of up to {@link ATTRIBUTION_INLINE_LIMIT} recipients and
 * kept on the campaign with its time; a bigger one is computed by {@link refreshAttribution}
 * outside the API (three reads per recipient do not fit a request for 100,000).
 */

export type AttributionStore = CampaignStore & InboxStore & ShopifyLocalStore;

export const ATTRIBUTION_INLINE_LIMIT = 2000;
/** A cached result younger than this is answered as it is. */
export const ATTRIBUTION_FRESH_MS = 10 * 60_000;
const DAY = 86_400_000;

const TREATED = new Set<RecipientState>(['sent', 'delivered', 'read', 'replied']);

/** Exact decimal sums per currency (Shopify's amounts are decimal strings; never a float). */
class Money {
  private readonly sums = new Map<string, { units: bigint; scale: number }>();
  add(currency: string, amount: string) {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
    if (!match) return;
    const [, sign = '', whole = '0', fraction = ''] = match;
    const current = this.sums.get(currency) ?? { units: 0n, scale: 0 };
    const scale = Math.max(current.scale, fraction.length);
    const value = BigInt(`${sign}${whole}${fraction.padEnd(scale, '0')}`);
    const units = current.units * 10n ** BigInt(scale - current.scale) + value;
    this.sums.set(currency, { units, scale });
  }
  list() {
    return [...this.sums.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, { units, scale }]) => {
        const negative = units < 0n;
        const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
        const amount = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return { currency, amount: negative ? `-${amount}` : amount };
      });
  }
}

class Group {
  n = 0;
  buyers = 0;
  orders = 0;
  readonly revenue = new Money();
  view(): AttributionGroup {
    return {
      n: this.n,
      buyers: this.buyers,
      orders: this.orders,
      revenue: this.revenue.list(),
      conversionRate: this.n === 0 ? null : this.buyers / this.n,
    };
  }
}

/** A contact's orders in the window: by their phone's blind index, through Shopify's customers. */
async function ordersInWindow(store: AttributionStore, tenantId: string, phoneIndex: string, from: number, to: number) {
  const { data: customers } = await store.entities.shopCustomer.query
    .byPhone({ tenantId, phoneIndex })
    .go({ pages: 'all', attributes: ['customerId'] });
  const orders = [];
  for (const { customerId } of customers) {
    const { data } = await store.entities.shopOrder.query
      .byCustomer({ tenantId, customerRef: customerId })
      .go({ pages: 'all', attributes: ['orderId', 'createdAt', 'cancelledAt', 'total', 'currencyCode'] });
    for (const order of data) {
      if (order.cancelledAt !== undefined || order.createdAt === undefined) continue;
      if (order.createdAt >= from && order.createdAt <= to) orders.push(order);
    }
  }
  return orders;
}

/**
 * Computes the attribution over every recipient and holdout, page by page, stores each one's
 * order count and the totals on the campaign. Safe to run again (it replaces what it wrote).
 */
export async function refreshAttribution(
  store: AttributionStore,
  tenantId: string,
  campaignId: string,
  now = Date.now(),
): Promise<CampaignAttribution> {
  const campaign = await requireCampaign(store, tenantId, campaignId);
  if (campaign.startedAt === undefined) return pendingAttribution();
  const from = campaign.startedAt;
  const to = from + campaign.attributionDays * DAY;
  const treated = new Group();
  const holdout = new Group();
  let cursor: string | null = null;
  do {
    const page: {
      data: { contactId: string; state: RecipientState; attributedOrders?: number | undefined }[];
      cursor: string | null;
    } = await store.entities.campaignRecipient.query
      .byCampaign({ tenantId, campaignId })
      .go({ cursor, limit: 100, attributes: ['contactId', 'state', 'attributedOrders'] });
    const counted = page.data.filter((recipient) => TREATED.has(recipient.state) || recipient.state === 'holdout');
    const { data: contacts } =
      counted.length > 0
        ? await store.entities.contact
            .get(counted.map(({ contactId }) => ({ tenantId, contactId })))
            .go({ attributes: ['contactId', 'phoneIndex'] })
        : { data: [] };
    const phoneOf = new Map(contacts.map((contact) => [contact.contactId, contact.phoneIndex]));
    await Promise.all(
      counted.map(async (recipient) => {
        const group = recipient.state === 'holdout' ? holdout : treated;
        group.n += 1;
        const phoneIndex = phoneOf.get(recipient.contactId);
        const orders = phoneIndex ? await ordersInWindow(store, tenantId, phoneIndex, from, to) : [];
        if (orders.length > 0) group.buyers += 1;
        group.orders += orders.length;
        for (const order of orders) {
          if (order.total) group.revenue.add(order.total.currencyCode, order.total.amount);
        }
        if ((recipient.attributedOrders ?? 0) !== orders.length) {
          await store.entities.campaignRecipient
            .patch({ tenantId, campaignId, contactId: recipient.contactId })
            .set({ attributedOrders: orders.length })
            .go({ response: 'none' })
            .catch(() => undefined);
        }
      }),
    );
    cursor = page.cursor;
  } while (cursor);
  const result = attributionOf(treated.view(), holdout.view(), from, to, now);
  await store.entities.campaign
    .patch({ tenantId, campaignId })
    .set({ attribution: result, attributionAt: now })
    .go({ response: 'none' });
  return result;
}

function attributionOf(
  recipients: AttributionGroup,
  holdout: AttributionGroup,
  from: number,
  to: number,
  now: number,
): CampaignAttribution {
  const enoughData = recipients.n > 0 && holdout.n > 0;
  const treatedRate = recipients.conversionRate ?? 0;
  const holdoutRate = holdout.conversionRate ?? 0;
  return {
    status: 'ready',
    computedAt: new Date(now).toISOString(),
    windowStart: new Date(from).toISOString(),
    windowEnd: new Date(to).toISOString(),
    recipients,
    holdout,
    lift: enoughData
      ? {
          absolute: treatedRate - holdoutRate,
          relative: holdoutRate > 0 ? (treatedRate - holdoutRate) / holdoutRate : null,
        }
      : null,
    enoughData,
  };
}

function pendingAttribution(): CampaignAttribution {
  return {
    status: 'pending',
    computedAt: null,
    windowStart: null,
    windowEnd: null,
    recipients: null,
    holdout: null,
    lift: null,
    enoughData: false,
  };
}

/**
 * The attribution for the campaign page: the stored one when it is fresh or final (computed
 * after the window closed), else computed now for a small campaign; a big one answers what was
 * stored last (or pending) until the scheduler's refresh.
 */
export async function campaignAttribution(
  store: AttributionStore,
  tenantId: string,
  campaignId: string,
  now = Date.now(),
): Promise<CampaignAttribution> {
  const campaign = await requireCampaign(store, tenantId, campaignId);
  if (campaign.startedAt === undefined) return pendingAttribution();
  const stored = campaign.attribution as CampaignAttribution | undefined;
  const closesAt = campaign.startedAt + campaign.attributionDays * DAY;
  const at = campaign.attributionAt ?? 0;
  if (stored && (at > closesAt || now - at < ATTRIBUTION_FRESH_MS)) return stored;
  const size = campaign.audienceCount ?? (await liveCounts(store, tenantId, campaignId)).audience;
  if (size <= ATTRIBUTION_INLINE_LIMIT) return refreshAttribution(store, tenantId, campaignId, now);
  return stored ?? pendingAttribution();
}
