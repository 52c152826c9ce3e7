import { orderNoticeSettings, orderNoticeSettingsAnswer, orderNoticesAnswer } from '@asistone/contract/order-notices';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { ORDER_NOTICE_RECORDS } from '@asistone/core/order-notices/records';
import { noticeSettingsOf, saveNoticeSettings } from '@asistone/core/order-notices/settings';
import { type NoticeViewDeps, noticesOfOrder } from '@asistone/core/order-notices/views';
import { noticeDeliveryReaders } from '@asistone/core/order-notices/wiring';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * Order and shipping notifications. The settings are `integrations.manage` (owners and admins:
 * they decide what the shop's customers receive); an order's notices are `conversations.read`,
 * like the order itself: agents answer "did I get a message about my order?".
 */

const deps = once(async (): Promise<NoticeViewDeps> => {
  const { storeOf } = platform();
  return {
    store: storeOf({ ...ORDER_NOTICE_RECORDS, ...SHOPIFY_STORE_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS }),
    channels: noticeDeliveryReaders(storeOf),
  };
});

const SETTINGS = '/businesses/:tenantId/order-notices/settings';

export const orderNoticeRoutes = [
  defineRoute({
    method: 'get',
    path: SETTINGS,
    access: 'integrations.manage',
    summary:
      'Which order events are notified on which channels, with the wording and WhatsApp templates (off by default)',
    answers: { 200: { description: 'The settings', schema: orderNoticeSettingsAnswer } },
    async handle({ c, business }) {
      return c.json(await noticeSettingsOf((await deps()).store, business.tenantId));
    },
  }),
  defineRoute({
    method: 'put',
    path: SETTINGS,
    access: 'integrations.manage',
    summary: 'Saves the order notification settings, whole',
    body: orderNoticeSettings,
    answers: { 200: { description: 'The settings as saved', schema: orderNoticeSettingsAnswer } },
    async handle({ c, business, caller, body }) {
      return c.json(await saveNoticeSettings((await deps()).store, business.tenantId, caller.userId, body));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/store/orders/:orderId/notices',
    access: 'conversations.read',
    summary: "The order's confirmation and shipping notices: per channel, sent, delivered, failed or skipped with why",
    answers: { 200: { description: "The order's notices", schema: orderNoticesAnswer } },
    async handle({ c, business, params }) {
      return c.json(await noticesOfOrder(await deps(), business.tenantId, params.orderId ?? ''));
    },
  }),
];
