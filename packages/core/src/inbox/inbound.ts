import type { TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { InboxStore } from './records.js';
import { messageIdOf, pendingStatusOf, setMessageStatus } from './statuses.js';

export type ChannelKind = 'whatsapp' | 'instagram' | 'messenger';

/** What a message carries besides its text, sealed as one piece (it is personal). */
export interface MessageDetails {
  /** An emoji on an earlier message, by its provider id; an empty emoji removes the reaction. */
  reaction?: { messageId: string; emoji: string };
  /** Media the provider holds; its bytes are fetched later by id. */
  media?: { id: string; mimeType?: string; sha256?: string; filename?: string; voice?: boolean };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** Contact cards the customer shared, as the provider sent them. */
  contacts?: unknown[];
  /** A button or list item the customer tapped (`kind` names which), with its id and title. */
  reply?: { kind: string; id?: string; title?: string };
  order?: { catalogId: string; itemCount: number };
  system?: { kind?: string };
  /** The ad or post the customer came from, as the provider sent it. */
  referral?: Record<string, unknown>;
  /** A message the inbox cannot show yet: the provider's type name, kept so nothing is dropped. */
  unsupported?: { type: string; errorCode?: number };
}

/** A message a customer sent to the business, in the inbox's own terms. */
export interface InboundMessage {
  tenantId: string;
  channel: { kind: ChannelKind; externalId: string };
  /**
   * Who sent it: `externalId` is the provider's id for the person (a WhatsApp number), `userId`
   * the business-scoped user id; at least one is set.
   */
  sender: { externalId?: string; userId?: string; phone?: string; name?: string };
  providerMessageId: string;
  /** When the customer sent it, ms since the epoch (the receive time when its own stamp is implausible). */
  sentAt: number;
  /** Set when the provider's timestamp could not be the send time, so `sentAt` is the receive time. */
  timestampFlag?: 'future';
  /** When Asistone received the delivery that carried it, ms since the epoch. */
  receivedAt: number;
  /** Its place in that delivery: with `receivedAt`, orders messages sent in the same second. */
  position: number;
  type: string;
  text?: string;
  details?: MessageDetails;
}

export interface RecordedMessage {
  contactId: string;
  conversationId: string;
  messageId: string;
  /** True when this message had been recorded before (a redelivery). */
  duplicate: boolean;
}

const PREVIEW_CHARS = 120;

/**
 * A conversation's order of messages as one comparable string: send time, then receive time,
 * then place in the delivery. Stamps are whole seconds, so two messages of one second are told
 * apart by arrival; fixed width makes string order the numeric order.
 */
function orderOf(message: InboundMessage): string {
  return [message.sentAt, message.receivedAt, message.position].map((n) => String(n).padStart(15, '0')).join('#');
}

/**
 * Ids derived from blind indexes: the same customer and message always map to the same item.
 * A customer with a user id is looked up by it first, so one first seen with a phone number and
 * later without one stays one contact; otherwise the id comes from the number (or the user id).
 */
async function idsFor(store: InboxStore, keys: TenantKeys, message: InboundMessage) {
  const { kind, externalId } = message.channel;
  const { tenantId, sender } = message;
  const userIndex = sender.userId ? keys.blindIndex('user', `${kind}:${sender.userId}`) : undefined;
  const known = userIndex ? (await store.entities.contactUser.get({ tenantId, userIndex }).go()).data : undefined;
  const senderKey = sender.externalId ?? `user:${sender.userId}`;
  const contactId = known?.contactId ?? `ct_${keys.blindIndex('contact', `${kind}:${senderKey}`).slice(0, 24)}`;
  if (userIndex && !known) {
    // First sighting of this user id: link it (a concurrent first link names the same contact).
    await store.entities.contactUser
      .create({ tenantId, userIndex, contactId })
      .go()
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
  const conversationId = `cv_${keys.blindIndex('conversation', `${kind}:${externalId}:${contactId}`).slice(0, 24)}`;
  const messageId = messageIdOf(keys, kind, message.providerMessageId);
  return { contactId, conversationId, messageId };
}

/**
 * Records an inbound message: its contact, its conversation and the message itself, with every
 * personal field sealed. Each step is idempotent and order-tolerant, so a redelivered or late
 * message changes nothing twice and never moves a conversation backwards.
 */
export async function recordInbound(
  deps: { store: InboxStore; keys: TenantKeys },
  message: InboundMessage,
): Promise<RecordedMessage> {
  const { store, keys } = deps;
  const { tenantId } = message;
  const channel = await store.entities.channel
    .get({ tenantId, kind: message.channel.kind, externalId: message.channel.externalId })
    .go();
  if (!channel.data) {
    throw new PermanentError(`no ${message.channel.kind} channel ${message.channel.externalId} for this tenant`);
  }

  const { contactId, conversationId, messageId } = await idsFor(store, keys, message);

  await store.entities.contact
    .upsert({
      tenantId,
      contactId,
      ...(message.sender.phone && {
        phone: keys.seal('contact', 'phone', contactId, message.sender.phone),
        phoneIndex: keys.blindIndex('phone', message.sender.phone),
      }),
      ...(message.sender.userId && { userId: keys.seal('contact', 'userId', contactId, message.sender.userId) }),
      ...(message.sender.name && { name: keys.seal('contact', 'name', contactId, message.sender.name) }),
    })
    .go();

  let duplicate = false;
  await store.entities.message
    .create({
      tenantId,
      conversationId,
      messageId,
      sentAt: message.sentAt,
      receivedAt: message.receivedAt,
      ...(message.timestampFlag && { timestampFlag: message.timestampFlag }),
      direction: 'inbound',
      type: message.type,
      status: 'received',
      providerMessageId: keys.seal('message', 'providerMessageId', messageId, message.providerMessageId),
      ...(message.text !== undefined && { text: keys.seal('message', 'text', messageId, message.text) }),
      ...(message.details &&
        Object.keys(message.details).length > 0 && {
          details: keys.seal('message', 'details', messageId, JSON.stringify(message.details)),
        }),
    })
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
      duplicate = true;
    });

  // A status reported before the message was stored (read even for a redelivery, in case the
  // first attempt stopped here).
  const pending = await pendingStatusOf(store, tenantId, messageId);
  if (pending) await setMessageStatus(store, { tenantId, conversationId, sentAt: message.sentAt, messageId }, pending);

  // One write creates the conversation or moves it forward; its own fields are set only when
  // it is created, and an older message (arriving late) changes nothing.
  const preview = message.text ?? `[${message.type}]`;
  const order = orderOf(message);
  await store.entities.conversation
    .upsert({
      tenantId,
      conversationId,
      channelKind: message.channel.kind,
      channelId: message.channel.externalId,
      contactId,
      lastMessageAt: message.sentAt,
      lastMessageOrder: order,
      lastInboundAt: message.sentAt,
      lastMessagePreview: keys.seal(
        'conversation',
        'lastMessagePreview',
        conversationId,
        preview.slice(0, PREVIEW_CHARS),
      ),
    })
    .ifNotExists({ status: 'open', lastReadAt: 0 })
    // Conversations stored before the order existed compare by time alone.
    .where(
      ({ lastMessageAt, lastMessageOrder }, { lt, notExists }) =>
        `${lt(lastMessageOrder, order)} OR (${notExists(lastMessageOrder)} AND (${notExists(lastMessageAt)} OR ${lt(lastMessageAt, message.sentAt)}))`,
    )
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });

  return { contactId, conversationId, messageId, duplicate };
}
