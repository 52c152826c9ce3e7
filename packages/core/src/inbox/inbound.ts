import type { TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { InboxStore } from './records.js';
import { adIdOf, recordAdReferral } from './referrals.js';
import { messageIdOf, pendingStatusOf, setMessageStatus } from './statuses.js';

/** Meta's three channels, and the sandbox, where a business plays its own customer. */
export type ChannelKind = 'whatsapp' | 'instagram' | 'messenger' | 'sandbox';

/** What a message carries besides its text, sealed as one piece (it is personal). */
export interface MessageDetails {
  /** An emoji on an earlier message, by its provider id; an empty emoji removes the reaction. */
  reaction?: { messageId: string; emoji: string };
  /**
   * Media the provider holds, fetched into the business's storage by the media worker
   * (inbox/media.ts): WhatsApp names it by `id`, Messenger and Instagram by a `url`.
   */
  media?: { id?: string; url?: string; mimeType?: string; sha256?: string; filename?: string; voice?: boolean };
  /** Messenger and Instagram: every attachment as sent (type, link, title). */
  attachments?: { type: string; url?: string; title?: string }[];
  /** Instagram: a reply to the business's story, or a mention of the business in the customer's. */
  story?: { kind: 'reply' | 'mention'; id?: string; url?: string };
  /** The provider id of the message this one answers. */
  replyTo?: string;
  /** An echo: sent by the business from another tool (Page Inbox, the phone app), by that app. */
  sentElsewhere?: { appId?: string };
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

export const PREVIEW_CHARS = 120;

/**
 * The channel is there but the business disconnected it: it takes no new messages. The worker
 * counts these as for no known business, like deliveries for an id nobody owns (the channel
 * directory keeps owners in memory for a minute, so a delivery may still be routed here).
 */
export class ChannelNotConnectedError extends PermanentError {
  override name = 'ChannelNotConnectedError';
  constructor(kind: string) {
    super(`${kind} channel disconnected`);
  }
}

/**
 * The channel a message is for, required to exist and not be disconnected (an `expiring` or
 * `expired` Instagram token still receives: only sending needs the token).
 */
export async function requireReceivingChannel(
  store: InboxStore,
  tenantId: string,
  channel: { kind: ChannelKind; externalId: string },
) {
  const found = await store.entities.channel.get({ tenantId, kind: channel.kind, externalId: channel.externalId }).go();
  if (!found.data) throw new PermanentError(`no ${channel.kind} channel ${channel.externalId} for this tenant`);
  if (found.data.status === 'disconnected') throw new ChannelNotConnectedError(channel.kind);
  return found.data;
}

/**
 * A conversation's order of messages as one comparable string: send time, then receive time,
 * then place in the delivery. Stamps are whole seconds, so two messages of one second are told
 * apart by arrival; fixed width makes string order the numeric order. Every message that moves
 * a conversation forward (inbound, echoes, replies) is ordered by this one function.
 */
export function conversationOrder(message: { sentAt: number; receivedAt: number; position: number }): string {
  return [message.sentAt, message.receivedAt, message.position].map((n) => String(n).padStart(15, '0')).join('#');
}

/** The conversation of a customer (by the provider's id for them) on one channel. */
export function conversationIdOf(
  keys: TenantKeys,
  kind: ChannelKind,
  channelExternalId: string,
  contactId: string,
): string {
  return `cv_${keys.blindIndex('conversation', `${kind}:${channelExternalId}:${contactId}`).slice(0, 24)}`;
}

/** A customer's contact id from the provider's id for them (number, PSID, IGSID, or `user:<id>`). */
export function contactIdOf(keys: TenantKeys, kind: ChannelKind, senderKey: string): string {
  return `ct_${keys.blindIndex('contact', `${kind}:${senderKey}`).slice(0, 24)}`;
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
  const contactId = known?.contactId ?? contactIdOf(keys, kind, senderKey);
  if (userIndex && !known) {
    // First sighting of this user id: link it (a concurrent first link names the same contact).
    await store.entities.contactUser
      .create({ tenantId, userIndex, contactId })
      .go()
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
  const conversationId = conversationIdOf(keys, kind, externalId, contactId);
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
  await requireReceivingChannel(store, tenantId, message.channel);

  const { contactId, conversationId, messageId } = await idsFor(store, keys, message);
  const scopedId = message.sender.userId ?? (message.sender.phone ? undefined : message.sender.externalId);

  await store.entities.contact
    .upsert({
      tenantId,
      contactId,
      ...(message.sender.phone && {
        phone: keys.seal('contact', 'phone', contactId, message.sender.phone),
        phoneIndex: keys.blindIndex('phone', message.sender.phone),
      }),
      // Without a number, the provider's id for the person (WhatsApp user id, Messenger PSID,
      // Instagram IGSID) is what replies are addressed to: kept sealed.
      ...(scopedId && { userId: keys.seal('contact', 'userId', contactId, scopedId) }),
      ...(message.sender.name && { name: keys.seal('contact', 'name', contactId, message.sender.name) }),
    })
    .go();

  // A message whose own stamp was replaced by its receive time is keyed by that time, which a
  // later redelivery does not share: look for it by id first (only for these rare messages).
  const earlier = message.timestampFlag
    ? (await store.entities.message.query.byMessageId({ tenantId, messageId }).go()).data[0]
    : undefined;
  let duplicate = earlier !== undefined;
  // Messenger and Instagram customers can unsend, and the deletion may come first: the message
  // is then stored as the fact it was, without its content (echoes.ts markDeleted).
  const unsent =
    !earlier && (message.channel.kind === 'messenger' || message.channel.kind === 'instagram')
      ? (await store.entities.unsentMessage.get({ tenantId, messageId }).go()).data
      : undefined;
  if (!earlier) {
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
        ...(unsent
          ? { deletedAt: unsent.deletedAt }
          : {
              ...(message.text !== undefined && { text: keys.seal('message', 'text', messageId, message.text) }),
              ...(message.details &&
                Object.keys(message.details).length > 0 && {
                  details: keys.seal('message', 'details', messageId, JSON.stringify(message.details)),
                }),
            }),
      })
      .go()
      .catch((error: unknown) => {
        if (isConditionFailure(error)) duplicate = true;
        // DynamoDB refuses an item over 400 KB: no retry makes such a message fit.
        else if (hasValidationCause(error)) {
          throw new PermanentError('message too large to store');
        } else throw error;
      });
  }
  const sentAt = earlier?.sentAt ?? message.sentAt;

  // A status reported before the message was stored (read even for a redelivery, in case the
  // first attempt stopped here).
  const pending = await pendingStatusOf(store, tenantId, messageId);
  if (pending) await setMessageStatus(store, { tenantId, conversationId, sentAt, messageId }, pending);

  const counted = unsent ? { ...message, sentAt, text: undefined, type: 'deleted' } : { ...message, sentAt };
  await countInConversation(store, keys, counted, { contactId, conversationId, duplicate });

  // The ad the customer wrote from, counted by the delivery that stored the message (as the
  // conversation counts it). A message unsent before it was stored keeps none of its content,
  // its referral included.
  const adId = duplicate || unsent ? undefined : adIdOf(message.details?.referral);
  if (adId) {
    await recordAdReferral(store, {
      tenantId,
      adId,
      conversationId,
      contactId,
      channelKind: message.channel.kind,
      sentAt,
    });
  }

  return { contactId, conversationId, messageId, duplicate };
}

/** True when DynamoDB refused the request itself (size, shape), wrapped by ElectroDB or not. */
function hasValidationCause(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if ((current as { name?: string }).name === 'ValidationException') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * The conversation side of an inbound message, in one write when it is the newest (the usual
 * case): creates the conversation or moves it forward (newest message, preview), counts the
 * message unread, opens the customer's window (`lastInboundAt`) and reopens the conversation.
 *
 * Only the attempt that stored the message counts it and reopens (the message's conditional
 * create picks exactly one, however many deliveries race): a redelivery may still move the
 * conversation forward (each delivery has its own receive time, so its order differs), but
 * neither counts again nor reopens a conversation the team resolved since. The price: a worker
 * stopped between storing a message and this write leaves it uncounted (shown, not unread).
 *
 * A customer message means the team owes an answer, so any status (resolved, pending) becomes
 * open again; assignee, labels and read time are the team's and never touched here.
 */
async function countInConversation(
  store: InboxStore,
  keys: TenantKeys,
  message: InboundMessage,
  ids: { contactId: string; conversationId: string; duplicate: boolean },
): Promise<void> {
  const { tenantId } = message;
  const { contactId, conversationId } = ids;
  const preview = message.text ?? `[${message.type}]`;
  const order = conversationOrder(message);
  const moved = await store.entities.conversation
    .upsert({
      tenantId,
      conversationId,
      channelKind: message.channel.kind,
      channelId: message.channel.externalId,
      contactId,
      ...(!ids.duplicate && { status: 'open' as const }),
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
    .add({ unreadCount: ids.duplicate ? 0 : 1 })
    .ifNotExists(ids.duplicate ? { lastReadAt: 0, status: 'open' } : { lastReadAt: 0 })
    // Conversations stored before the order existed compare by time alone.
    .where(
      ({ lastMessageAt, lastMessageOrder }, { lt, notExists }) =>
        `${lt(lastMessageOrder, order)} OR (${notExists(lastMessageOrder)} AND (${notExists(lastMessageAt)} OR ${lt(lastMessageAt, message.sentAt)}))`,
    )
    .go()
    .then(
      () => true,
      (error: unknown) => {
        if (!isConditionFailure(error)) throw error;
        return false;
      },
    );
  if (moved || ids.duplicate) return;

  // An older message arriving late (the conversation already shows a newer one), or the same
  // message whose redelivery, racing, moved the conversation first: still unread, still
  // reopens. Rare (Meta does not keep order), so its extra write is accepted. Its window opens
  // only if the conversation's is older (the newest may be the business's).
  const late = () => store.entities.conversation.patch({ tenantId, conversationId }).add({ unreadCount: 1 });
  await late()
    .set({ status: 'open', lastInboundAt: message.sentAt })
    .where(({ lastInboundAt }, { lt }) => lt(lastInboundAt, message.sentAt))
    .go()
    .catch(async (error: unknown) => {
      if (!isConditionFailure(error)) throw error;
      await late().set({ status: 'open' }).go();
    });
}
