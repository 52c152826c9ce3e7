import type { TenantKeys } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import {
  type ChannelKind,
  contactIdOf,
  conversationIdOf,
  conversationOrder,
  type MessageDetails,
  PREVIEW_CHARS,
  requireReceivingChannel,
} from './inbound.js';
import type { InboxStore } from './records.js';
import { messageIdOf, pendingStatusOf, setMessageStatus, statusFieldsOf } from './statuses.js';

/**
 * What Asistone passes as `message.metadata` to the Send API, so the echo of its own send is
 * recognised at once (Messenger echoes it back; the outbound worker stores the message itself).
 */
export const OWN_SEND_METADATA_PREFIX = 'asistone:';

/**
 * A message the business sent from somewhere else (Meta Business Suite, the Instagram app,
 * another tool), which Meta echoes: the inbox shows it as the business's, so the thread is whole.
 */
export interface OutboundEcho {
  tenantId: string;
  channel: { kind: ChannelKind; externalId: string };
  /** The customer it went to: the provider's id for them (PSID, IGSID). */
  recipient: { externalId: string };
  providerMessageId: string;
  sentAt: number;
  timestampFlag?: 'future';
  receivedAt: number;
  position: number;
  type: string;
  text?: string;
  details?: MessageDetails;
  /** The app that sent it (Asistone's own app id for its sends). */
  appId?: string;
  /** What the sender passed as metadata to the Send API. */
  metadata?: string;
}

export type EchoOutcome = 'recorded' | 'duplicate' | 'own-send';

/** The stored message of a provider's message id, wherever it is (one index read). */
export async function findMessage(
  store: InboxStore,
  keys: TenantKeys,
  tenantId: string,
  kind: ChannelKind,
  providerMessageId: string,
) {
  const messageId = messageIdOf(keys, kind, providerMessageId);
  return (await store.entities.message.query.byMessageId({ tenantId, messageId }).go()).data[0];
}

/**
 * Records an echo as an outbound message of the customer's conversation, unless it is one of
 * Asistone's own sends: those carry its metadata, or are already stored under their provider id
 * by the outbound worker. The conversation moves forward (newest message, preview) but gets no
 * unread count and no window: the customer did not write.
 */
export async function recordEcho(
  deps: { store: InboxStore; keys: TenantKeys },
  echo: OutboundEcho,
): Promise<EchoOutcome> {
  const { store, keys } = deps;
  const { tenantId, channel } = echo;
  if (echo.metadata?.startsWith(OWN_SEND_METADATA_PREFIX)) return 'own-send';
  if (await findMessage(store, keys, tenantId, channel.kind, echo.providerMessageId)) return 'duplicate';
  // What the business sends from elsewhere on a channel it disconnected is not Asistone's to keep.
  await requireReceivingChannel(store, tenantId, channel);

  const contactId = contactIdOf(keys, channel.kind, echo.recipient.externalId);
  const conversationId = conversationIdOf(keys, channel.kind, channel.externalId, contactId);
  const messageId = messageIdOf(keys, channel.kind, echo.providerMessageId);
  // The business may write first (from Page Inbox): the contact exists from then on, with the
  // id replies go to, sealed.
  await store.entities.contact
    .upsert({ tenantId, contactId, userId: keys.seal('contact', 'userId', contactId, echo.recipient.externalId) })
    .go();
  const details: MessageDetails = { ...echo.details, sentElsewhere: { ...(echo.appId && { appId: echo.appId }) } };
  const created = await store.entities.message
    .create({
      tenantId,
      conversationId,
      messageId,
      sentAt: echo.sentAt,
      receivedAt: echo.receivedAt,
      ...(echo.timestampFlag && { timestampFlag: echo.timestampFlag }),
      direction: 'outbound',
      type: echo.type,
      status: 'sent',
      providerMessageId: keys.seal('message', 'providerMessageId', messageId, echo.providerMessageId),
      ...(echo.text !== undefined && { text: keys.seal('message', 'text', messageId, echo.text) }),
      details: keys.seal('message', 'details', messageId, JSON.stringify(details)),
    })
    .go()
    .then(
      () => true,
      (error: unknown) => {
        if (!isConditionFailure(error)) throw error;
        return false;
      },
    );
  if (!created) return 'duplicate';
  // A receipt (delivered, read) that arrived before the echo: one naming it, or a watermark.
  const key = { tenantId, conversationId, sentAt: echo.sentAt, messageId };
  const pending = await pendingStatusOf(store, tenantId, messageId);
  if (pending) await setMessageStatus(store, key, pending);
  const receipt = (await store.entities.receiptWatermark.get({ tenantId, conversationId }).go()).data;
  for (const status of ['delivered', 'read'] as const) {
    const upTo = status === 'read' ? receipt?.readUpTo : receipt?.deliveredUpTo;
    const at = status === 'read' ? receipt?.readAt : receipt?.deliveredAt;
    if (upTo === undefined || at === undefined || echo.sentAt > upTo) continue;
    const fields = statusFieldsOf({ tenantId, channelKind: channel.kind, providerMessageId: '', status, at });
    await setMessageStatus(store, key, fields);
  }

  const order = conversationOrder(echo);
  const preview = echo.text ?? `[${echo.type}]`;
  await store.entities.conversation
    .upsert({
      tenantId,
      conversationId,
      channelKind: channel.kind,
      channelId: channel.externalId,
      contactId,
      lastMessageAt: echo.sentAt,
      lastMessageOrder: order,
      lastOutboundAt: echo.sentAt,
      lastMessagePreview: keys.seal(
        'conversation',
        'lastMessagePreview',
        conversationId,
        preview.slice(0, PREVIEW_CHARS),
      ),
    })
    .ifNotExists({ status: 'open', lastReadAt: 0, unreadCount: 0, lastInboundAt: 0 })
    .where(
      ({ lastMessageAt, lastMessageOrder }, { lt, notExists }) =>
        `${lt(lastMessageOrder, order)} OR (${notExists(lastMessageOrder)} AND (${notExists(lastMessageAt)} OR ${lt(lastMessageAt, echo.sentAt)}))`,
    )
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  return 'recorded';
}

/**
 * The customer unsent a message: the fact stays (when, in which conversation), the content goes
 * (text and details removed), as the customer asked of it. `unknown` when the message is not
 * stored yet: the deletion is kept, and the message is stored without content when it comes.
 */
export async function markDeleted(
  deps: { store: InboxStore; keys: TenantKeys },
  target: { tenantId: string; kind: ChannelKind; providerMessageId: string; at: number },
): Promise<'deleted' | 'unknown'> {
  const { store, keys } = deps;
  const found = await findMessage(store, keys, target.tenantId, target.kind, target.providerMessageId);
  if (!found) {
    // Not stored yet (Meta does not keep order): kept, so the message is stored without content.
    const messageId = messageIdOf(keys, target.kind, target.providerMessageId);
    await store.entities.unsentMessage
      .create({ tenantId: target.tenantId, messageId, deletedAt: target.at })
      .go()
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
    return 'unknown';
  }
  const { tenantId, conversationId, sentAt, messageId } = found;
  await store.entities.message
    .patch({ tenantId, conversationId, sentAt, messageId })
    .set({ deletedAt: target.at })
    .remove(['text', 'details'])
    .go();
  return 'deleted';
}

/** The customer edited a message (Messenger `message_edit`): its text becomes the new one. */
export async function editText(
  deps: { store: InboxStore; keys: TenantKeys },
  target: { tenantId: string; kind: ChannelKind; providerMessageId: string; text: string },
): Promise<'edited' | 'unknown'> {
  const { store, keys } = deps;
  const found = await findMessage(store, keys, target.tenantId, target.kind, target.providerMessageId);
  if (!found || found.deletedAt !== undefined) return 'unknown';
  const { tenantId, conversationId, sentAt, messageId } = found;
  await store.entities.message
    .patch({ tenantId, conversationId, sentAt, messageId })
    .set({ text: keys.seal('message', 'text', messageId, target.text) })
    .go();
  return 'edited';
}

/** How many of the business's latest messages a watermark receipt looks at: receipts come often. */
const WATERMARK_SCAN = 50;

/**
 * Messenger's receipts without message ids: the customer has read (or received) every message
 * the business sent up to `watermark`. Applied to the conversation's latest outbound messages
 * sent by then (a bounded look back: older ones were covered by earlier receipts), each only if
 * it holds no later status. Returns how many were updated.
 */
export async function applyWatermark(
  deps: { store: InboxStore; keys: TenantKeys },
  target: {
    tenantId: string;
    channel: { kind: ChannelKind; externalId: string };
    customerId: string;
    status: 'delivered' | 'read';
    watermark: number;
    at: number;
  },
): Promise<number> {
  const { store, keys } = deps;
  const { tenantId, channel } = target;
  const contactId = contactIdOf(keys, channel.kind, target.customerId);
  const conversationId = conversationIdOf(keys, channel.kind, channel.externalId, contactId);
  const { data } = await store.entities.message.query
    .byConversation({ tenantId, conversationId })
    .lte({ sentAt: target.watermark })
    .go({ order: 'desc', limit: WATERMARK_SCAN });
  // Kept for messages stored later (an echo arriving after the receipt); only ever raised.
  const upTo = target.status === 'read' ? 'readUpTo' : 'deliveredUpTo';
  await store.entities.receiptWatermark
    .upsert({
      tenantId,
      conversationId,
      ...(target.status === 'read'
        ? { readUpTo: target.watermark, readAt: target.at }
        : { deliveredUpTo: target.watermark, deliveredAt: target.at }),
    })
    .where(
      (attributes, { lt, notExists }) => `${notExists(attributes[upTo])} OR ${lt(attributes[upTo], target.watermark)}`,
    )
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  const fields = statusFieldsOf({
    tenantId,
    channelKind: channel.kind,
    providerMessageId: '',
    status: target.status,
    at: target.at,
  });
  let updated = 0;
  for (const message of data) {
    if (message.direction !== 'outbound' || !['sent', 'delivered'].includes(message.status)) continue;
    await setMessageStatus(store, message, fields);
    updated++;
  }
  return updated;
}
