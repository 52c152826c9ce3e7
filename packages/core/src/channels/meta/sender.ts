import type { ChannelSender, OutboundContent, Recipient, SendingChannel } from '../../inbox/channel-sender.js';
import { OWN_SEND_METADATA_PREFIX } from '../../inbox/echoes.js';
import type { GraphClient } from './graph.js';
import { GraphError } from './graph-errors.js';

/**
 * The outbound worker's way to Meta: a reply in the inbox's terms becomes a Cloud API message
 * (WhatsApp) or a Send API message (Messenger, Instagram). Errors stay GraphErrors, whose kind
 * and retryable flag the worker reads.
 */

/** The Cloud API body of a reply: `to` is the wa_id; a customer known only by user id gets `recipient`. */
export function whatsappBody(to: Recipient, content: OutboundContent): Record<string, unknown> {
  // Since 2026 a customer may be known by business-scoped user id alone (no number): Meta
  // takes it in `recipient` instead of `to`.
  const address = to.externalId ? { to: to.externalId } : { recipient: to.userId };
  const base = { recipient_type: 'individual', ...address };
  if (content.kind === 'text') return { ...base, type: 'text', text: { body: content.text, preview_url: true } };
  if (content.kind === 'template') {
    return {
      ...base,
      type: 'template',
      template: {
        name: content.name,
        language: { code: content.language },
        ...(content.variables.length > 0 && {
          components: [{ type: 'body', parameters: content.variables.map((text) => ({ type: 'text', text })) }],
        }),
      },
    };
  }
  // Audio carries no caption on WhatsApp.
  const caption = content.caption && content.mediaKind !== 'audio' ? { caption: content.caption } : {};
  const fileName = content.fileName && content.mediaKind === 'document' ? { filename: content.fileName } : {};
  return { ...base, type: content.mediaKind, [content.mediaKind]: { link: content.url, ...caption, ...fileName } };
}

/**
 * The Send API body: a reply within 24 h is a RESPONSE; after that, up to 7 days, a person's
 * reply goes with the HUMAN_AGENT tag (the only tag Instagram has).
 */
export function messagingBody(
  to: Recipient,
  content: OutboundContent,
  humanAgentTag: boolean,
  reference?: string,
): Record<string, unknown> {
  if (content.kind === 'template')
    throw new GraphError({ status: 400, code: 100, title: 'Templates are WhatsApp only' });
  const message =
    content.kind === 'text'
      ? { text: content.text }
      : {
          attachment: {
            type: content.mediaKind === 'document' ? 'file' : content.mediaKind,
            payload: { url: content.url, is_reusable: false },
          },
        };
  return {
    recipient: { id: to.externalId },
    messaging_type: humanAgentTag ? 'MESSAGE_TAG' : 'RESPONSE',
    ...(humanAgentTag && { tag: 'HUMAN_AGENT' }),
    // Meta echoes the metadata back: the echo of our own send is recognised as such (echoes.ts).
    message: { ...message, ...(reference && { metadata: `${OWN_SEND_METADATA_PREFIX}${reference}` }) },
  };
}

/** Instagram accounts connected by Instagram Login are reached on graph.instagram.com. */
const hostOf = (channel: SendingChannel) => (channel.kind === 'instagram' ? 'instagram' : 'facebook');

export function metaSender(graph: GraphClient): ChannelSender {
  return {
    async send(channel, to, content, options) {
      if (channel.kind === 'whatsapp') {
        const { messageId } = await graph.sendWhatsApp(channel.externalId, channel.token, whatsappBody(to, content));
        return { providerMessageId: messageId };
      }
      const body = messagingBody(to, content, options.humanAgentTag, options.reference);
      const { messageId } = await graph.sendMessaging(channel.externalId, channel.token, body, hostOf(channel));
      if (content.kind === 'media' && content.caption) {
        // The Send API has no caption: it follows as a text. Its failure must not fail (and so
        // resend) the attachment that already went, so it is best effort.
        await graph
          .sendMessaging(
            channel.externalId,
            channel.token,
            messagingBody(to, { kind: 'text', text: content.caption }, options.humanAgentTag, options.reference),
            hostOf(channel),
          )
          .catch(() => undefined);
      }
      return { providerMessageId: messageId };
    },
    async markRead(channel, providerMessageId, typing) {
      if (channel.kind !== 'whatsapp') return;
      await graph.markWhatsAppRead(channel.externalId, channel.token, providerMessageId, typing);
    },
    async typing(channel, to) {
      if (channel.kind === 'whatsapp' || !to.externalId) return;
      await graph.senderAction(channel.externalId, channel.token, to.externalId, 'typing_on', hostOf(channel));
    },
  };
}
