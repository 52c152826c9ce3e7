/**
 * The body Meta posts for one WhatsApp `messages` change of one number (its WABA's entry), with
 * `value` holding the messages, contacts or statuses: for tests that feed the meta-events worker.
 */
export function whatsappMessagesDelivery(
  account: { waba: string; number: string },
  value: Record<string, unknown>,
): Buffer {
  return Buffer.from(
    JSON.stringify({
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
    }),
    'utf8',
  );
}
