import type { InboundMessage } from '../../inbox/inbound.js';
import { WhatsAppContact, WhatsAppMessage, type WhatsAppValue } from './whatsapp-payload.js';

/** The text a person sees for a message: its body, or the caption of its media. */
function textOf(message: WhatsAppMessage): string | undefined {
  if (message.text) return message.text.body;
  const media = message.image ?? message.video ?? message.document ?? message.audio ?? message.sticker;
  return media?.caption;
}

/** A message of a change, mapped, or why it could not be (never its content: it is personal). */
export type WhatsAppInbound = { message: InboundMessage } | { rejected: string };

/**
 * Maps one `messages` change value to the inbox's inbound messages, each on its own: a message
 * that does not match the expected shape is returned as rejected, with the fields at fault.
 */
export function inboundFromWhatsApp(tenantId: string, value: WhatsAppValue): WhatsAppInbound[] {
  const names = new Map<string, string | undefined>();
  for (const item of value.contacts ?? []) {
    const contact = WhatsAppContact.safeParse(item);
    if (contact.success) names.set(contact.data.wa_id, contact.data.profile?.name);
  }
  return (value.messages ?? []).map((item): WhatsAppInbound => {
    const parsed = WhatsAppMessage.safeParse(item);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(message)'))];
      return { rejected: `message does not match the expected shape (${fields.join(', ')})` };
    }
    const message = parsed.data;
    return {
      message: {
        tenantId,
        channel: { kind: 'whatsapp', externalId: value.metadata.phone_number_id },
        sender: {
          externalId: message.from,
          // wa_id is the number in international form without the plus.
          phone: `+${message.from}`,
          name: names.get(message.from),
        },
        providerMessageId: message.id,
        sentAt: Number(message.timestamp) * 1000,
        type: message.type,
        text: textOf(message),
      },
    };
  });
}
