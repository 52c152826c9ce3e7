import * as z from 'zod';
import { messageWording } from './message-wording.js';

/**
 * Order and shipping notifications: what a business tells its Shopify customers when an order is
 * confirmed and when it ships (with its tracking link), on which channels (email through Resend,
 * SMS through the business's NetGSM account, WhatsApp through an approved utility template), in
 * Turkish or English. Off until the business picks channels. The order page shows, per event and
 * channel, what was sent and what became of it, or why it was skipped.
 */

export const NOTICE_EVENTS = ['confirmed', 'shipped'] as const;
export type NoticeEvent = (typeof NOTICE_EVENTS)[number];
export const NOTICE_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export const NOTICE_LANGUAGES = ['tr', 'en'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];
/** What a wording may say about the order; anything else in `{{…}}` is refused at save. */
export const NOTICE_PLACEHOLDERS = ['customer', 'order', 'total', 'tracking_url', 'shop'] as const;
export type NoticePlaceholder = (typeof NOTICE_PLACEHOLDERS)[number];

const words = messageWording(NOTICE_PLACEHOLDERS);

/** One language's wording: the email's subject, and the text (the email's body and the SMS). */
export const noticeWording = words.wording;
export type NoticeWording = z.output<typeof noticeWording>;

/**
 * The approved WhatsApp utility template sent for an event: its name and language as synced from
 * the business's WhatsApp account, and which placeholder fills each of its `{{1}}`, `{{2}}`…
 */
export const noticeTemplate = words.template;
export type NoticeTemplate = z.output<typeof noticeTemplate>;

export const noticeEventSettings = z.object({
  /** Empty: this event is not notified. */
  channels: z
    .array(z.enum(NOTICE_CHANNELS))
    .max(NOTICE_CHANNELS.length)
    .refine((list) => new Set(list).size === list.length, 'A channel is listed twice'),
  wording: z.object({ tr: noticeWording, en: noticeWording }),
  /** Needed for WhatsApp; without it a WhatsApp notice is skipped with its reason. */
  whatsappTemplate: noticeTemplate.nullable(),
});
export type NoticeEventSettings = z.output<typeof noticeEventSettings>;

/** `GET/PUT /businesses/:tenantId/order-notices/settings`: both events, whole (versionless: the last save wins). */
export const orderNoticeSettings = z.object({
  confirmed: noticeEventSettings,
  shipped: noticeEventSettings,
});
export type OrderNoticeSettings = z.output<typeof orderNoticeSettings>;
export type OrderNoticeSettingsBody = z.input<typeof orderNoticeSettings>;

export const orderNoticeSettingsAnswer = z.object({
  settings: orderNoticeSettings,
  /** When they were last saved (ISO), or null: never saved, the defaults (everything off). */
  updatedAt: z.string().nullable(),
});
export type OrderNoticeSettingsAnswer = z.output<typeof orderNoticeSettingsAnswer>;

/**
 * What became of one notice. `sending`: claimed and being handed to the channel (a retry finishes
 * it); `sent`: the provider took it; `delivered`/`read`/`failed`: what the provider reported;
 * `skipped`: never sent, `reason` says why.
 */
export const NOTICE_STATES = ['sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

export const orderNoticeView = z.object({
  event: z.enum(NOTICE_EVENTS),
  channel: z.enum(NOTICE_CHANNELS),
  state: z.enum(NOTICE_STATES),
  /** In words a merchant understands: 'restricted', 'opted out', 'no email address', 'İYS rejected'… */
  reason: z.string().nullable(),
  language: z.enum(NOTICE_LANGUAGES).nullable(),
  /** When the state was last known to change (ISO). */
  at: z.string(),
});
export type OrderNoticeView = z.output<typeof orderNoticeView>;

/** `GET /businesses/:tenantId/store/orders/:orderId/notices`: every notice of the order, by event then channel. */
export const orderNoticesAnswer = z.object({ notices: z.array(orderNoticeView) });
export type OrderNoticesAnswer = z.output<typeof orderNoticesAnswer>;

/** What fills the placeholders of one order's notice. */
export type NoticeValues = Record<NoticePlaceholder, string>;

/**
 * The wording with its placeholders filled (the worker's and the settings page's preview alike).
 * A value missing for a placeholder (no tracking link yet) leaves it empty rather than showing braces.
 */
export const renderNotice = words.render;

/** Sample values for a preview: never a real customer's. */
export const PREVIEW_VALUES: NoticeValues = {
  customer: 'Ayşe Yılmaz',
  order: '#1001',
  total: '629,49 TRY',
  tracking_url: 'https://kargo.example/takip/123456',
  shop: 'Çiçekçi',
};
