import type { InboundMessage } from '../../inbox/inbound.js';
import type { WhatsAppMessage, WhatsAppValue } from './whatsapp-payload.js';

/** The text a person sees for a message: its body, or the caption of its media. */
function textOf(message: WhatsAppMessage): string | undefined {
  if (message.text) return message.text.body;
  const media = message.image ?? message.video ?? message.document ?? message.audio ?? message.sticker;
  return media?.caption;
}

/** Maps one `messages` change value to the inbox's inbound messages. */
export function inboundFromWhatsApp(tenantId: string, value: WhatsAppValue): InboundMessage[] {
  const names = new Map((value.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]));
  return (value.messages ?? []).map((message) => ({
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
  }));
}
