import {
  NOTICE_CHANNELS,
  NOTICE_EVENTS,
  type NoticeState,
  type OrderNoticeView,
} from '@asistone/contract/order-notices';
import type { InboxStore } from '../inbox/records.js';
import { NotFoundError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import type { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import type { NoticeMailer, NoticeSmsSender } from './channels.js';
import type { OrderNoticeStore } from './records.js';

/**
 * An order's notices as the order page shows them: what was recorded when each was sent or
 * skipped, brought up to date with what its channel has learned since (Resend's webhooks,
 * NetGSM's reports, WhatsApp's statuses), read at the time of asking.
 */

export interface NoticeViewDeps {
  store: OrderNoticeStore & Store<Pick<typeof SHOPIFY_STORE_RECORDS, 'shopOrder'>> & InboxStore;
  channels: { mail: Pick<NoticeMailer, 'deliveryOf'>; sms: Pick<NoticeSmsSender, 'deliveryOf'> };
}

type NoticeItem = NonNullable<
  Awaited<ReturnType<ReturnType<OrderNoticeStore['entities']['orderNotice']['get']>['go']>>['data']
>;

const iso = (ms: number) => new Date(ms).toISOString();

async function current(
  deps: NoticeViewDeps,
  item: NoticeItem,
): Promise<{ state: NoticeState; reason: string | null; at: number }> {
  const recorded = { state: item.state, reason: item.reason ?? null, at: item.updatedAt };
  if (item.state !== 'sent') return recorded;
  if (item.channel === 'email') {
    const mail = await deps.channels.mail.deliveryOf(item.tenantId, item.ref);
    if (!mail) return recorded;
    if (mail.state === 'delivered') return { state: 'delivered', reason: null, at: mail.at };
    if (mail.state === 'delayed') return { state: 'sent', reason: mail.reason ?? 'delivery delayed', at: mail.at };
    if (mail.state === 'complained') {
      return { state: 'delivered', reason: 'the customer marked it as spam', at: mail.at };
    }
    if (mail.state === 'bounced') return { state: 'failed', reason: mail.reason ?? 'bounced', at: mail.at };
    if (mail.state === 'failed') return { state: 'failed', reason: mail.reason ?? 'not delivered', at: mail.at };
    return recorded;
  }
  if (item.channel === 'sms') {
    const sms = await deps.channels.sms.deliveryOf(item.tenantId, item.ref);
    if (!sms || sms.state === 'pending') return recorded;
    return { state: sms.state, reason: sms.reason ?? null, at: sms.at };
  }
  if (!item.conversationId || !item.messageId || item.messageSentAt === undefined) return recorded;
  const { data: message } = await deps.store.entities.message
    .get({
      tenantId: item.tenantId,
      conversationId: item.conversationId,
      sentAt: item.messageSentAt,
      messageId: item.messageId,
    })
    .go();
  if (!message) return recorded;
  const at = message.statusAt ?? item.updatedAt;
  switch (message.status) {
    case 'queued':
      return { state: 'sending', reason: null, at: item.updatedAt };
    case 'delivered':
    case 'read':
      return { state: message.status, reason: null, at };
    case 'failed':
      return { state: 'failed', reason: message.errorTitle ?? 'WhatsApp did not deliver it', at };
    default:
      return { state: 'sent', reason: null, at };
  }
}

/** Every notice of the order, confirmed before shipped, email, SMS, WhatsApp. 404 for an order not stored. */
export async function noticesOfOrder(
  deps: NoticeViewDeps,
  tenantId: string,
  orderId: string,
): Promise<{ notices: OrderNoticeView[] }> {
  if (!/^[0-9]{1,20}$/.test(orderId)) throw new NotFoundError('No such order');
  const order = await deps.store.entities.shopOrder.get({ tenantId, orderId }).go({ attributes: ['orderId'] });
  if (!order.data) throw new NotFoundError('No such order');
  const { data } = await deps.store.entities.orderNotice.query.byOrder({ tenantId, orderId }).go({ pages: 'all' });
  const items = data.filter((item) => item.orderId === orderId);
  const rank = (item: NoticeItem) =>
    NOTICE_EVENTS.indexOf(item.event) * NOTICE_CHANNELS.length + NOTICE_CHANNELS.indexOf(item.channel);
  items.sort((a, b) => rank(a) - rank(b));
  const notices: OrderNoticeView[] = [];
  for (const item of items) {
    const now = await current(deps, item);
    notices.push({
      event: item.event,
      channel: item.channel,
      state: now.state,
      reason: now.reason,
      language: item.language ?? null,
      at: iso(now.at),
    });
  }
  return { notices };
}
