import { CONVERSATION_CHANNELS, type ConversationChannel } from '@asistone/contract/sales';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { customerIdsOf } from '../shopify/contact-data.js';
import type { OrderItem, StoreViewDeps } from '../shopify/store-views.js';
import type { DayRange } from './orders-in-range.js';
import { placedAt } from './orders-in-range.js';

/**
 * Which orders a conversation led to: the order's Shopify customer is an inbox contact (matched
 * as the conversation's Orders panel matches them: the phone or email blind index,
 * `customerIdsOf`) who wrote to the business within the 7 days before the order was placed.
 * The channel credited is the one of the customer's latest message before the order: that is
 * the conversation the sale came out of. Only customers' own messages count: a campaign or a
 * notice the business sent, unanswered, led to nothing the inbox can claim.
 */

/** How long before an order a customer's message still counts as having led to it. */
export const LEAD_WINDOW_MS = 7 * 86_400_000;

const COUNTED = new Set<string>(CONVERSATION_CHANNELS);

interface Inbound {
  channel: ConversationChannel;
  at: number;
}

/** The customers' messages per inbox contact, from `since` to `until`, over WhatsApp, Instagram and Messenger. */
async function inboundByContact(deps: StoreViewDeps, tenantId: string, since: number, until: number) {
  const byContact = new Map<string, Inbound[]>();
  // byRecency sorts by the last message: a conversation quiet since before `since` is not read.
  const { data: conversations } = await deps.store.entities.conversation.query
    .byRecency({ tenantId })
    .gte({ lastMessageAt: since })
    .go({ pages: 'all', attributes: ['conversationId', 'contactId', 'channelKind', 'lastInboundAt'] });
  for (const conversation of conversations) {
    if (!COUNTED.has(conversation.channelKind) || conversation.lastInboundAt < since) continue;
    const { data } = await deps.store.entities.message.query
      .byConversation({ tenantId, conversationId: conversation.conversationId })
      .between({ sentAt: since }, { sentAt: until })
      .go({ pages: 'all', attributes: ['sentAt', 'direction'] });
    const list = byContact.get(conversation.contactId) ?? [];
    for (const message of data) {
      if (message.direction === 'inbound') {
        list.push({ channel: conversation.channelKind as ConversationChannel, at: message.sentAt });
      }
    }
    if (list.length > 0) byContact.set(conversation.contactId, list);
  }
  return byContact;
}

/**
 * The inbox channel that led to each of `orders` (placed within `range`), by order id; orders
 * no conversation led to are absent.
 */
export async function conversationLeads(
  deps: StoreViewDeps,
  keys: TenantKeys,
  tenantId: string,
  orders: OrderItem[],
  range: DayRange,
): Promise<Map<string, ConversationChannel>> {
  const leads = new Map<string, ConversationChannel>();
  if (!orders.some((order) => order.customerId)) return leads;
  const byContact = await inboundByContact(deps, tenantId, range.start - LEAD_WINDOW_MS, range.end);
  const byCustomer = new Map<string, Inbound[]>();
  for (const [contactId, messages] of byContact) {
    const context = { tenantId, contactId, keys, storeOf: deps.storeOf, blobs: deps.blobs };
    for (const customerId of await customerIdsOf(deps.store, context)) {
      byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), ...messages]);
    }
  }
  for (const order of orders) {
    const placed = placedAt(order);
    const latest = (byCustomer.get(order.customerId ?? '') ?? [])
      .filter((message) => message.at <= placed && message.at >= placed - LEAD_WINDOW_MS)
      .sort((a, b) => b.at - a.at)[0];
    if (latest) leads.set(order.orderId, latest.channel);
  }
  return leads;
}
