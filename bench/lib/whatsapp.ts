import { createHmac } from 'node:crypto';
import type { WebhookRequest } from '@asistone/core/platform/webhook';

/**
 * Meta signs and sends JSON with every non-ASCII character escaped (`ş` → `\u015f`, an emoji
 * as a surrogate pair): the bench sends the same bytes a real delivery carries.
 */
export function escapeUnicode(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One inbound WhatsApp text message, shaped like a Cloud API delivery. */
export function whatsappTextDelivery(text: string): Buffer {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905320001122', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'Ayşe Yılmaz' }, wa_id: '905551112233' }],
              messages: [
                {
                  from: '905551112233',
                  id: 'wamid.HBgMOTA1NTUxMTEyMjMzFQIAEhgUM0EwQjVGQjA3RjM5QzZBNEU1MDIA',
                  timestamp: '1735000000',
                  type: 'text',
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  return Buffer.from(escapeUnicode(JSON.stringify(payload)), 'utf8');
}

/** The POST the Meta webhook (`/webhooks/meta`, one app for every business) receives, signed as Meta signs it. */
export function signedMetaRequest(appSecret: string, body: Buffer): WebhookRequest {
  const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
  return {
    method: 'POST',
    path: '',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
      'x-hub-signature-256': signature,
    },
    body,
  };
}
