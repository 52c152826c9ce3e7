/**
 * Meta's webhook body for one WhatsApp `messages` change of one number (its WABA's entry), with
 * `value` holding the messages, contacts or statuses: for tests that feed the meta-events worker.
 */
export function whatsappMessagesChange(account: { waba: string; number: string }, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: account.waba,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '905550001122', phone_number_id: account.number },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** The same change as the bytes Meta posts. */
export function whatsappMessagesDelivery(
  account: { waba: string; number: string },
  value: Record<string, unknown>,
): Buffer {
  return Buffer.from(JSON.stringify(whatsappMessagesChange(account, value)), 'utf8');
}

/** A customer writing on WhatsApp: their number, profile name and, when Meta sends it, their user id. */
export interface WhatsAppCustomer {
  phone: string;
  name: string;
  userId?: string;
}

/** The contacts and messages of one text a customer sends (`sentAt` in milliseconds). */
export function whatsappText(from: WhatsAppCustomer, message: { id: string; body: string; sentAt: number }) {
  return {
    contacts: [{ profile: { name: from.name }, wa_id: from.phone, ...(from.userId && { user_id: from.userId }) }],
    messages: [
      {
        from: from.phone,
        ...(from.userId && { from_user_id: from.userId }),
        id: message.id,
        timestamp: String(Math.floor(message.sentAt / 1000)),
        type: 'text',
        text: { body: message.body },
      },
    ],
  };
}
