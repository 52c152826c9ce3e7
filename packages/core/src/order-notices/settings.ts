import {
  type OrderNoticeSettings,
  type OrderNoticeSettingsAnswer,
  orderNoticeSettings,
} from '@asistone/contract/order-notices';
import { ValidationError } from '../platform/errors.js';
import type { OrderNoticeStore } from './records.js';

/**
 * A business's order-notice settings. Off by default (no channel for either event): a business
 * that connected its store has not yet said what its customers should get. The default wording
 * is there so turning a channel on is one click; the business may change every word.
 */
export const DEFAULT_NOTICE_SETTINGS: OrderNoticeSettings = {
  confirmed: {
    channels: [],
    wording: {
      tr: {
        subject: '{{shop}}: {{order}} numaralı siparişiniz alındı',
        text: 'Merhaba {{customer}}, {{order}} numaralı siparişinizi aldık. Toplam: {{total}}. Teşekkür ederiz! {{shop}}',
      },
      en: {
        subject: '{{shop}}: your order {{order}} is confirmed',
        text: 'Hello {{customer}}, we have received your order {{order}}. Total: {{total}}. Thank you! {{shop}}',
      },
    },
    whatsappTemplate: null,
  },
  shipped: {
    channels: [],
    wording: {
      tr: {
        subject: '{{shop}}: {{order}} numaralı siparişiniz kargoda',
        text: 'Merhaba {{customer}}, {{order}} numaralı siparişiniz kargoya verildi. Takip: {{tracking_url}} {{shop}}',
      },
      en: {
        subject: '{{shop}}: your order {{order}} has shipped',
        text: 'Hello {{customer}}, your order {{order}} is on its way. Tracking: {{tracking_url}} {{shop}}',
      },
    },
    whatsappTemplate: null,
  },
};

/** The stored settings, or the defaults; a stored item that no longer parses reads as the defaults (off). */
export async function noticeSettingsOf(store: OrderNoticeStore, tenantId: string): Promise<OrderNoticeSettingsAnswer> {
  const { data } = await store.entities.orderNoticeSettings.get({ tenantId }).go({ consistent: true });
  const parsed = data ? orderNoticeSettings.safeParse(data.settings) : undefined;
  if (!data || !parsed?.success) return { settings: DEFAULT_NOTICE_SETTINGS, updatedAt: null };
  return { settings: parsed.data, updatedAt: new Date(data.updatedAt).toISOString() };
}

/** Saves them whole (the API checked the shape; checked again here for other callers). */
export async function saveNoticeSettings(
  store: OrderNoticeStore,
  tenantId: string,
  userId: string,
  input: unknown,
): Promise<OrderNoticeSettingsAnswer> {
  const parsed = orderNoticeSettings.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      'The order notification settings are not valid',
      parsed.error.issues.map((issue) => issue.path.join('.')),
    );
  }
  for (const event of ['confirmed', 'shipped'] as const) {
    const chosen = parsed.data[event];
    if (chosen.channels.includes('whatsapp') && !chosen.whatsappTemplate) {
      throw new ValidationError('WhatsApp needs an approved utility template for this event', [
        `${event}.whatsappTemplate`,
      ]);
    }
  }
  await store.entities.orderNoticeSettings.put({ tenantId, settings: parsed.data, updatedBy: userId }).go();
  return noticeSettingsOf(store, tenantId);
}
