import type { ConversationChannel, SalesChannel } from '@asistone/contract/sales';

/**
 * Shopify's sales channel of an order, from its `sourceName`. Shopify writes `web` for the
 * online store, `pos` for Shopify POS and `shopify_draft_order` for a draft order the team made
 * (invoices, orders taken by phone or chat); apps write their own names, which are "other". An
 * order stored before the channel was kept has none: it is counted as online, where almost every
 * order of the shops we serve comes from, rather than left out of the report.
 */
export function salesChannelOf(sourceName: string | undefined): SalesChannel {
  if (sourceName === undefined || sourceName === 'web') return 'online';
  if (sourceName === 'pos') return 'pos';
  if (sourceName === 'shopify_draft_order') return 'draft';
  return 'other';
}

/** An order's two channels: where it was sold, and the inbox channel that led to it, if any. */
export interface OrderChannels {
  salesChannel: SalesChannel;
  conversationChannel: ConversationChannel | null;
}

/** Whether an order matches a channel filter: its sales channel, or the inbox channel that led to it. */
export const matchesChannel = (channels: OrderChannels, filter: string | undefined) =>
  filter === undefined || channels.salesChannel === filter || channels.conversationChannel === filter;
