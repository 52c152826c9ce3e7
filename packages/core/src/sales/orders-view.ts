import type { OrdersViewAnswer, OrdersViewQuery } from '@asistone/contract/sales';
import { customerNames, type StoreViewDeps } from '../shopify/store-views.js';
import { matchesChannel, type OrderChannels, salesChannelOf } from './channel-of.js';
import { conversationLeads } from './conversation-lead.js';
import { istanbulRange, ordersInRange, placedAt } from './orders-in-range.js';

/**
 * The back office's orders view: the orders of a range of Istanbul days across every channel,
 * newest first, each with its customer's name (opened for the team, as the store page does), its
 * exact total, its payment and shipping state, where it was sold and the inbox channel that led
 * to it. Read-only: Shopify is the source of truth and the copy is kept by the Shopify area.
 */

const DEFAULT_LIMIT = 100;
const iso = (ms: number | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

export async function ordersView(
  deps: StoreViewDeps,
  tenantId: string,
  query: Omit<OrdersViewQuery, 'limit'> & { limit?: number },
): Promise<OrdersViewAnswer> {
  const range = istanbulRange(query.from, query.to);
  const keys = await deps.keyring.forTenant(tenantId);
  const inRange = (await ordersInRange(deps, tenantId, range)).filter(
    (order) =>
      (!query.financialStatus || order.financialStatus === query.financialStatus) &&
      (!query.fulfillmentStatus || order.fulfillmentStatus === query.fulfillmentStatus),
  );
  const leads = await conversationLeads(deps, keys, tenantId, inRange, range);
  const channelsOf = (order: (typeof inRange)[number]): OrderChannels => ({
    salesChannel: salesChannelOf(order.sourceName),
    conversationChannel: leads.get(order.orderId) ?? null,
  });
  const matched = inRange.filter((order) => matchesChannel(channelsOf(order), query.channel));
  const shown = matched.slice(0, query.limit ?? DEFAULT_LIMIT);
  const names = await customerNames(deps, keys, tenantId, shown);
  return {
    from: range.from,
    to: range.to,
    matched: matched.length,
    orders: shown.map((order) => ({
      orderId: order.orderId,
      name: order.name,
      createdAt: iso(placedAt(order)),
      customerName: names.get(order.customerId ?? '') ?? null,
      total: (order.total as { amount: string; currencyCode: string } | undefined) ?? null,
      financialStatus: order.financialStatus ?? null,
      fulfillmentStatus: order.fulfillmentStatus,
      cancelledAt: iso(order.cancelledAt),
      ...channelsOf(order),
    })),
  };
}
