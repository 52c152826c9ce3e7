import type { InboundMessage, MessageDetails } from '../../inbox/inbound.js';
import type { StatusUpdate } from '../../inbox/statuses.js';
import { classifyStatusError } from './graph-errors.js';
import { WhatsAppContact, WhatsAppMessage, WhatsAppStatus, type WhatsAppValue } from './whatsapp-payload.js';

/** The message types the inbox understands; any other is kept as `unsupported`, named. */
const KNOWN_TYPES = new Set([
  'text',
  'reaction',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'order',
  'system',
]);

function mediaOf(message: WhatsAppMessage) {
  return message.image ?? message.video ?? message.document ?? message.audio ?? message.sticker;
}

/** The text a person sees for a message: its body, its media's caption, or the reply they tapped. */
function textOf(message: WhatsAppMessage): string | undefined {
  if (message.text) return message.text.body;
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  return mediaOf(message)?.caption ?? reply?.title ?? message.button?.text ?? message.system?.body;
}

/** What the message carries besides its text; the media itself is fetched later by its id. */
function detailsOf(message: WhatsAppMessage): MessageDetails {
  const media = mediaOf(message);
  const interactive = message.interactive;
  const tapped = interactive?.button_reply ?? interactive?.list_reply;
  const known = KNOWN_TYPES.has(message.type);
  const details: MessageDetails = {
    ...(message.reaction && {
      reaction: { messageId: message.reaction.message_id, emoji: message.reaction.emoji ?? '' },
    }),
    ...(media && {
      media: {
        id: media.id,
        ...(media.mime_type && { mimeType: media.mime_type }),
        ...(media.sha256 && { sha256: media.sha256 }),
        ...(media.filename && { filename: media.filename }),
        ...(media.voice && { voice: true }),
      },
    }),
    ...(message.location && { location: message.location }),
    ...(message.contacts && { contacts: message.contacts }),
    ...(interactive && { reply: { kind: interactive.type, ...(tapped && { id: tapped.id, title: tapped.title }) } }),
    ...(message.button && {
      reply: { kind: 'template_button', id: message.button.payload, title: message.button.text },
    }),
    ...(message.order && {
      order: { catalogId: message.order.catalog_id, itemCount: message.order.product_items?.length ?? 0 },
    }),
    ...(message.system && { system: { kind: message.system.type } }),
    ...(message.referral && { referral: message.referral }),
    ...(!known && {
      unsupported: {
        type: message.unsupported?.type ?? message.type,
        ...(message.errors?.[0]?.code !== undefined && { errorCode: message.errors[0].code }),
      },
    }),
  };
  return details;
}

/**
 * How far past its arrival a message's own timestamp may be and still be its send time (clock
 * skew). Meta stamps in seconds; a millisecond or garbled stamp would otherwise date the message
 * thousands of years ahead and keep it the conversation's newest for good.
 */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** A message of a change, mapped, or why it could not be (never its content: it is personal). */
export type WhatsAppInbound = { message: InboundMessage } | { rejected: string };

/**
 * Maps one `messages` change value to the inbox's inbound messages, each on its own: a message
 * that does not match the expected shape is returned as rejected, with the fields at fault.
 */
export function inboundFromWhatsApp(tenantId: string, value: WhatsAppValue, receivedAt: number): WhatsAppInbound[] {
  const names = new Map<string, string | undefined>();
  for (const item of value.contacts ?? []) {
    const contact = WhatsAppContact.safeParse(item);
    if (!contact.success) continue;
    // A contact names its sender by number, by user id, or (since 2026) both.
    for (const id of [contact.data.wa_id, contact.data.user_id]) if (id) names.set(id, contact.data.profile?.name);
  }
  return (value.messages ?? []).map((item, position): WhatsAppInbound => {
    const parsed = WhatsAppMessage.safeParse(item);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(message)'))];
      return { rejected: `message does not match the expected shape (${fields.join(', ')})` };
    }
    const message = parsed.data;
    const claimed = Number(message.timestamp) * 1000;
    const trusted = claimed <= receivedAt + FUTURE_TOLERANCE_MS;
    return {
      message: {
        tenantId,
        channel: { kind: 'whatsapp', externalId: value.metadata.phone_number_id },
        sender: {
          ...(message.from && {
            externalId: message.from,
            // wa_id is the number in international form without the plus.
            phone: `+${message.from}`,
          }),
          ...(message.from_user_id && { userId: message.from_user_id }),
          name: names.get(message.from ?? '') ?? names.get(message.from_user_id ?? ''),
        },
        providerMessageId: message.id,
        sentAt: trusted ? claimed : receivedAt,
        ...(!trusted && { timestampFlag: 'future' as const }),
        receivedAt,
        position,
        type: KNOWN_TYPES.has(message.type) ? message.type : 'unsupported',
        text: textOf(message),
        details: detailsOf(message),
      },
    };
  });
}

/** A status of a change, mapped, or why it could not be. */
export type WhatsAppStatusUpdate = { update: StatusUpdate } | { rejected: string };

/** Maps one `messages` change value's delivery statuses, each on its own. */
export function statusesFromWhatsApp(tenantId: string, value: WhatsAppValue): WhatsAppStatusUpdate[] {
  return (value.statuses ?? []).map((item): WhatsAppStatusUpdate => {
    const parsed = WhatsAppStatus.safeParse(item);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(status)'))];
      return { rejected: `status does not match the expected shape (${fields.join(', ')})` };
    }
    const status = parsed.data;
    const error = status.errors?.[0];
    return {
      update: {
        tenantId,
        channelKind: 'whatsapp',
        providerMessageId: status.id,
        status: status.status,
        at: Number(status.timestamp) * 1000,
        // Classified here, where Meta's codes are known: the inbox keeps the reason as it is.
        ...(error && { error: { code: error.code, title: error.title, reason: classifyStatusError(error.code) } }),
        ...(status.pricing?.category && { pricingCategory: status.pricing.category }),
        ...(typeof status.biz_opaque_callback_data === 'string' && {
          callbackData: status.biz_opaque_callback_data.slice(0, 512),
        }),
      },
    };
  });
}
