import type { OutboundEcho } from '../../inbox/echoes.js';
import type { ChannelKind, InboundMessage, MessageDetails } from '../../inbox/inbound.js';
import type { StatusUpdate } from '../../inbox/statuses.js';
import { type MessagingAttachment, MessagingEvent, MessagingMessage, MessagingReaction } from './messaging-payload.js';

export type MessagingKind = Extract<ChannelKind, 'messenger' | 'instagram'>;

/** What one `messaging[]` event comes to, in the inbox's terms (or why it could not be read). */
export type MessagingAction =
  | { kind: 'inbound'; message: InboundMessage }
  | { kind: 'echo'; echo: OutboundEcho }
  | { kind: 'deleted'; providerMessageId: string; at: number }
  | { kind: 'edited'; providerMessageId: string; text: string; at: number }
  | { kind: 'statuses'; updates: StatusUpdate[] }
  /** Messenger: the customer has read (or received) everything the business sent up to `watermark`. */
  | { kind: 'watermark'; customerId: string; status: 'delivered' | 'read'; watermark: number; at: number }
  /** A kind of event the inbox does not keep (opt-ins, a read watermark...), named. */
  | { kind: 'not-handled'; what: string }
  | { rejected: string };

/** As on WhatsApp (whatsapp-inbound.ts): a stamp this far past arrival is not the send time. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Attachment types as the inbox names message types; media among them are fetched by URL. */
const ATTACHMENT_TYPES: Record<string, string> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
  sticker: 'sticker',
  location: 'location',
  share: 'share',
  ig_reel: 'share',
  reel: 'share',
  ig_post: 'share',
  fallback: 'share',
  template: 'share',
  story_mention: 'story_mention',
};
const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'file', 'sticker']);

function issuesOf(error: { issues: { path: PropertyKey[] }[] }, what: string): string {
  const fields = [...new Set(error.issues.map((issue) => issue.path.map(String).join('.') || `(${what})`))];
  return `${what} does not match the expected shape (${fields.join(', ')})`;
}

function typeOf(message: MessagingMessage): string {
  if (message.is_unsupported) return 'unsupported';
  const first = message.attachments?.[0];
  if (first) {
    if (first.type === 'image' && first.payload?.sticker_id !== undefined) return 'sticker';
    return ATTACHMENT_TYPES[first.type] ?? 'unsupported';
  }
  return message.text !== undefined ? 'text' : 'unsupported';
}

function detailsOf(message: MessagingMessage): MessageDetails {
  const attachments = message.attachments ?? [];
  const media = attachments.find(
    (item): item is MessagingAttachment & { payload: { url: string } } =>
      MEDIA_TYPES.has(item.type) && typeof item.payload?.url === 'string',
  );
  const mention = attachments.find((item) => item.type === 'story_mention');
  const story = message.reply_to?.story;
  const first = attachments[0];
  return {
    ...(media && { media: { url: media.payload.url } }),
    // Every attachment as sent (type, link, title), so a message with several loses none.
    ...(attachments.length > 0 && {
      attachments: attachments.map((item) => ({
        type: item.type,
        ...(item.payload?.url && { url: item.payload.url }),
        ...(item.payload?.title && { title: item.payload.title }),
      })),
    }),
    ...(story && {
      story: { kind: 'reply' as const, ...(story.id && { id: story.id }), ...(story.url && { url: story.url }) },
    }),
    ...(mention && { story: { kind: 'mention' as const, ...(mention.payload?.url && { url: mention.payload.url }) } }),
    ...(message.reply_to?.mid && { replyTo: message.reply_to.mid }),
    ...(message.quick_reply && {
      reply: { kind: 'quick_reply', id: message.quick_reply.payload, ...(message.text && { title: message.text }) },
    }),
    ...(message.referral && { referral: message.referral }),
    ...(typeOf(message) === 'unsupported' && {
      unsupported: { type: message.is_unsupported ? 'unsupported' : (first?.type ?? 'empty') },
    }),
  };
}

function textOf(message: MessagingMessage): string | undefined {
  return message.text ?? message.attachments?.find((item) => item.payload?.title)?.payload?.title ?? undefined;
}

/**
 * Maps one `messaging[]` (or `standby[]`) event of a Page or Instagram account to what the inbox
 * does with it. `businessId` is the entry's id: the customer is whichever side is not the
 * business (the sender of a message, the recipient of an echo). Customers are known only by
 * their page- or Instagram-scoped id (PSID, IGSID): no phone number, no name in the payload.
 */
export function actionFromMessagingEvent(
  tenantId: string,
  kind: MessagingKind,
  businessId: string,
  item: unknown,
  receivedAt: number,
  position: number,
): MessagingAction {
  const parsed = MessagingEvent.safeParse(item);
  if (!parsed.success) return { rejected: issuesOf(parsed.error, 'event') };
  const event = parsed.data;
  const trusted = event.timestamp <= receivedAt + FUTURE_TOLERANCE_MS;
  const sentAt = trusted ? event.timestamp : receivedAt;
  const timing = { sentAt, ...(!trusted && { timestampFlag: 'future' as const }), receivedAt, position };
  const channel = { kind, externalId: businessId };
  const fromCustomer = event.sender.id !== businessId;
  const customerId = fromCustomer ? event.sender.id : event.recipient.id;
  const inbound = (message: Omit<InboundMessage, 'tenantId' | 'channel' | 'sender' | keyof typeof timing>) => ({
    kind: 'inbound' as const,
    message: { tenantId, channel, sender: { externalId: customerId }, ...timing, ...message },
  });

  if (event.message !== undefined) {
    const message = MessagingMessage.safeParse(event.message);
    if (!message.success) return { rejected: issuesOf(message.error, 'message') };
    const m = message.data;
    if (m.is_deleted) return { kind: 'deleted', providerMessageId: m.mid, at: sentAt };
    if (m.is_echo || !fromCustomer) {
      return {
        kind: 'echo',
        echo: {
          tenantId,
          channel,
          recipient: { externalId: customerId },
          providerMessageId: m.mid,
          ...timing,
          type: typeOf(m),
          ...(textOf(m) !== undefined && { text: textOf(m) }),
          details: detailsOf(m),
          ...(m.app_id !== undefined && { appId: String(m.app_id) }),
          ...(m.metadata !== undefined && { metadata: m.metadata }),
        },
      };
    }
    return inbound({ providerMessageId: m.mid, type: typeOf(m), text: textOf(m), details: detailsOf(m) });
  }

  if (event.reaction !== undefined) {
    const reaction = MessagingReaction.safeParse(event.reaction);
    if (!reaction.success) return { rejected: issuesOf(reaction.error, 'reaction') };
    const r = reaction.data;
    // A reaction has no id of its own: this one is named by what it is, so a redelivery is one.
    return inbound({
      providerMessageId: `reaction:${r.mid}:${event.sender.id}:${event.timestamp}:${r.action}`,
      type: 'reaction',
      details: { reaction: { messageId: r.mid, emoji: r.action === 'unreact' ? '' : (r.emoji ?? r.reaction ?? '') } },
    });
  }

  if (event.postback) {
    const { mid, title, payload } = event.postback;
    return inbound({
      providerMessageId: mid ?? `postback:${event.sender.id}:${event.timestamp}:${payload ?? ''}`,
      type: 'interactive',
      text: title,
      details: { reply: { kind: 'postback', ...(payload !== undefined && { id: payload }), ...(title && { title }) } },
    });
  }

  if (event.message_edit) {
    const { mid, text } = event.message_edit;
    return text === undefined
      ? { kind: 'not-handled', what: 'message_edit without text' }
      : { kind: 'edited', providerMessageId: mid, text, at: sentAt };
  }

  // Receipts for what the business sent: Messenger deliveries name their messages; an Instagram
  // read (messaging_seen) names one; a Messenger read gives only a watermark time.
  const status = (providerMessageId: string, value: 'delivered' | 'read'): StatusUpdate => ({
    tenantId,
    channelKind: kind,
    providerMessageId,
    status: value,
    at: event.timestamp,
  });
  if (event.delivery?.mids?.length) {
    return { kind: 'statuses', updates: event.delivery.mids.map((mid) => status(mid, 'delivered')) };
  }
  if (event.read?.mid) return { kind: 'statuses', updates: [status(event.read.mid, 'read')] };
  const watermark = event.read?.watermark ?? event.delivery?.watermark;
  if (watermark !== undefined) {
    const status = event.read ? ('read' as const) : ('delivered' as const);
    return { kind: 'watermark', customerId, status, watermark, at: event.timestamp };
  }
  if (event.read) return { kind: 'not-handled', what: 'read without mid or watermark' };
  if (event.delivery) return { kind: 'not-handled', what: 'delivery without mids or watermark' };
  if (event.referral) return { kind: 'not-handled', what: 'referral' };
  const known = ['optin', 'account_linking', 'pass_thread_control', 'take_thread_control', 'request_thread_control'];
  return { kind: 'not-handled', what: known.find((name) => name in event) ?? 'unknown event' };
}
