import { NOTICE_CHANNELS, NOTICE_EVENTS, NOTICE_LANGUAGES, NOTICE_STATES } from '@asistone/contract/order-notices';
import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Order notices in the business's partition (`t#<tenant>`): its settings (one item) and one item
 * per (order, event, channel), created before anything is sent. That conditional create is what
 * makes each notice go at most once however often the order is seen (three webhooks and a
 * reconcile for one order are common). No personal data: the address or number a notice went to
 * stays on the sealed order, the wording on the settings; a notice keeps ids, state and reason.
 */

const key = { tenantId: { type: 'string', required: true, readOnly: true } } as const;

export const OrderNoticeSettingsRecord = new Entity({
  model: { entity: 'orderNoticeSettings', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** contract/order-notices.ts OrderNoticeSettings, checked at save. The business's own wording: not personal. */
    settings: { type: 'any', required: true },
    updatedBy: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'ordernoticesettings', casing: 'none' },
    },
  },
});

export const OrderNoticeRecord = new Entity({
  model: { entity: 'orderNotice', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    orderId: { type: 'string', required: true, readOnly: true },
    event: { type: NOTICE_EVENTS, required: true, readOnly: true },
    channel: { type: NOTICE_CHANNELS, required: true, readOnly: true },
    state: { type: NOTICE_STATES, required: true },
    reason: { type: 'string' },
    language: { type: NOTICE_LANGUAGES },
    /** The channel's once-per key (`order-notice/<orderId>/<event>`), to read its delivery back. */
    ref: { type: 'string', required: true, readOnly: true },
    /** Resend's email id or NetGSM's job id: the provider's id, not personal. */
    providerId: { type: 'string' },
    /** WhatsApp: the inbox message carrying the template, whose status the webhooks keep. */
    conversationId: { type: 'string' },
    messageId: { type: 'string' },
    messageSentAt: { type: 'number' },
    /** When the current sender took it (a crashed sender's claim is taken over after a lease). */
    claimedAt: { type: 'number', required: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['orderId', 'event', 'channel'],
        template: 'ordernotice#${orderId}#${event}#${channel}',
        casing: 'none',
      },
    },
  },
});

export const ORDER_NOTICE_RECORDS = {
  orderNoticeSettings: OrderNoticeSettingsRecord,
  orderNotice: OrderNoticeRecord,
};
export type OrderNoticeStore = Store<typeof ORDER_NOTICE_RECORDS>;

export const ORDER_NOTICE_DATA_CLASSES: DataClass[] = [
  {
    name: 'ordernotices.settings',
    description: 'Which order events are notified on which channels, the wording and the WhatsApp template',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'ordernoticesettings' }]),
  },
  {
    name: 'ordernotices.notices',
    description: 'Each order notice sent or skipped: order id, event, channel, state, reason, provider id',
    personal: false,
    // Part of the order's history, which is kept while the business lives.
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'ordernotice#' }]),
  },
];
