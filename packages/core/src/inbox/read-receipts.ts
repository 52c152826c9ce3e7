import { isSendFailure, openSealed, recipientOf, sendingChannel } from './channel-sender.js';
import type { OutboundDeps, OutboundRequest } from './outbound.js';
import type { InboxStore } from './records.js';
import { withRetries } from './send-pace.js';

/** Read receipts (WhatsApp blue ticks) and "typing…": courtesies to the customer, never worth a late retry. */

/** The newest customer message of a conversation, to mark read (or to type against). */
export async function newestInbound(store: InboxStore, tenantId: string, conversationId: string) {
  const { data } = await store.entities.message.query
    .byConversation({ tenantId, conversationId })
    .go({ order: 'desc', limit: 25 });
  return data.find((message) => message.direction === 'inbound');
}

export async function markRead(deps: OutboundDeps, request: Extract<OutboundRequest, { kind: 'mark-read' }>) {
  const { store } = deps;
  const { data: conversation } = await store.entities.conversation
    .get({ tenantId: request.tenantId, conversationId: request.conversationId })
    .go();
  if (conversation?.channelKind !== 'whatsapp') return;
  const keys = await deps.keyring.forTenant(request.tenantId);
  const channel = await sendingChannel(store, keys, request.tenantId, conversation.channelKind, conversation.channelId);
  if (!channel) return;
  const { data: message } = await store.entities.message
    .get({
      tenantId: request.tenantId,
      conversationId: request.conversationId,
      sentAt: request.sentAt,
      messageId: request.messageId,
    })
    .go();
  const providerMessageId = openSealed(
    keys,
    'message',
    'providerMessageId',
    request.messageId,
    message?.providerMessageId,
  );
  if (!providerMessageId) return;
  try {
    await withRetries(() => deps.sender.markRead(channel, providerMessageId, request.typing), deps.attempts);
  } catch (error) {
    // A read receipt is a courtesy: a refusal is logged, only a busy provider is tried again.
    if (isSendFailure(error) && !error.retryable) {
      deps.log.warn('read receipt refused by the provider', { reason: error.kind, code: error.code });
      return;
    }
    throw error;
  }
}

export async function showTyping(deps: OutboundDeps, request: Extract<OutboundRequest, { kind: 'typing' }>) {
  const { store } = deps;
  const { data: conversation } = await store.entities.conversation
    .get({ tenantId: request.tenantId, conversationId: request.conversationId })
    .go();
  if (!conversation || conversation.channelKind === 'sandbox') return;
  const keys = await deps.keyring.forTenant(request.tenantId);
  const channel = await sendingChannel(store, keys, request.tenantId, conversation.channelKind, conversation.channelId);
  if (!channel) return;
  const to = await recipientOf(store, keys, request.tenantId, conversation.channelKind, conversation.contactId);
  try {
    await deps.sender.typing(channel, to);
  } catch (error) {
    // "typing…" that did not show is not worth a retry: it would show too late.
    deps.log.info('typing indicator not shown', { reason: isSendFailure(error) ? error.kind : 'error' });
  }
}
