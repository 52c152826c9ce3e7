import type { TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { InboxStore } from './records.js';

export type ChannelKind = 'whatsapp' | 'instagram' | 'messenger';

/** A message a customer sent to the business, in the inbox's own terms. */
export interface InboundMessage {
  tenantId: string;
  channel: { kind: ChannelKind; externalId: string };
  sender: { externalId: string; phone?: string; name?: string };
  providerMessageId: string;
  /** When the customer sent it, ms since the epoch. */
  sentAt: number;
  type: string;
  text?: string;
}

export interface RecordedMessage {
  contactId: string;
  conversationId: string;
  messageId: string;
  /** True when this message had been recorded before (a redelivery). */
  duplicate: boolean;
}

const PREVIEW_CHARS = 120;

/** Ids derived from blind indexes: the same customer and message always map to the same item. */
function idsFor(keys: TenantKeys, message: InboundMessage) {
  const { kind, externalId } = message.channel;
  const contactId = `ct_${keys.blindIndex('contact', `${kind}:${message.sender.externalId}`).slice(0, 24)}`;
  const conversationId = `cv_${keys.blindIndex('conversation', `${kind}:${externalId}:${contactId}`).slice(0, 24)}`;
  const messageId = `ms_${keys.blindIndex('message', `${kind}:${message.providerMessageId}`).slice(0, 24)}`;
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

  const { contactId, conversationId, messageId } = idsFor(keys, message);

  await store.entities.contact
    .upsert({
      tenantId,
      contactId,
      ...(message.sender.phone && {
        phone: keys.seal('contact', 'phone', contactId, message.sender.phone),
        phoneIndex: keys.blindIndex('phone', message.sender.phone),
      }),
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
      direction: 'inbound',
      type: message.type,
      status: 'received',
      providerMessageId: keys.seal('message', 'providerMessageId', messageId, message.providerMessageId),
      ...(message.text !== undefined && { text: keys.seal('message', 'text', messageId, message.text) }),
    })
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
      duplicate = true;
    });

  // Created once; later messages only move its clock forward.
  await store.entities.conversation
    .create({
      tenantId,
      conversationId,
      channelKind: message.channel.kind,
      channelId: message.channel.externalId,
      contactId,
    })
    .go()
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  const preview = message.text ?? `[${message.type}]`;
  await store.entities.conversation
    .patch({ tenantId, conversationId })
    .set({
      lastMessageAt: message.sentAt,
      lastInboundAt: message.sentAt,
      lastMessagePreview: keys.seal(
        'conversation',
        'lastMessagePreview',
        conversationId,
        preview.slice(0, PREVIEW_CHARS),
      ),
    })
    .where(({ lastMessageAt }, { lt }) => lt(lastMessageAt, message.sentAt))
    .go()
    .catch((error: unknown) => {
      // An older message arriving late: the conversation already shows a newer one.
      if (!isConditionFailure(error)) throw error;
    });

  return { contactId, conversationId, messageId, duplicate };
}
