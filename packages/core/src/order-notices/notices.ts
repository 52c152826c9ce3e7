import {
  type NoticeChannel,
  type NoticeEvent,
  type NoticeLanguage,
  type NoticeValues,
  renderNotice,
} from '@asistone/contract/order-notices';
import type { Logger } from '@aws-lambda-powertools/logger';
import { campaignSettingsOf } from '../campaigns/settings.js';
import type { CampaignSettingsStore } from '../campaigns/settings-records.js';
import { countTouch } from '../campaigns/touch.js';
import { isContactRestricted } from '../inbox/contacts.js';
import { contactIdOf } from '../inbox/inbound.js';
import type { InboxStore } from '../inbox/records.js';
import { openOrUndefined, type TenantKeyring, type TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { ShopifyFulfillment } from '../shopify/payloads.js';
import type { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import { type NoticeChannels, NoticeSkipped } from './channels.js';
import { mobileOf, moneyText, parsedJson, shopNameOf } from './customer-reading.js';
import { htmlOf } from './mail-html.js';
import type { OrderNoticeStore } from './records.js';
import { noticeSettingsOf } from './settings.js';
import { sendTemplateMessage, templateSender } from './whatsapp.js';

/**
 * Decides which notices an order is due and sends each once. Called (through the `order-notices`
 * queue) for every order a webhook or the reconcile delivers, however often: the stored order says
 * what is due, and each (order, event, channel) is claimed by a conditional create before anything
 * is sent, so three webhooks and a reconcile for one order send one notice per channel. A sender
 * that stopped after its claim is taken over after {@link CLAIM_LEASE_MS} by the queue's retry,
 * and the channels themselves send once per ref (Resend's idempotency key, NetGSM's claimed ref,
 * the inbox's clientId), so taking over never sends twice.
 */

export type OrderNoticeWorkStore = OrderNoticeStore &
  Store<typeof SHOPIFY_STORE_RECORDS> &
  InboxStore &
  CampaignSettingsStore;

export interface OrderNoticeDeps {
  store: OrderNoticeWorkStore;
  keyring: TenantKeyring;
  /** WhatsApp notices leave through the inbox's outbound queue. */
  producer: Pick<Producer, 'send'>;
  channels: NoticeChannels;
  log?: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
}

/** "Your order is confirmed" is news for a day: an older order a reconcile or a late webhook brings is history. */
export const CONFIRMED_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A shipment is news while its fulfillment is recent: a reconcile finding an order shipped a week
 * ago (or the feature turned on today) does not tell its customer now.
 */
export const SHIPPED_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/** A claim older than this belongs to a sender that stopped; the queue's retry (visibility 6 min) takes it over. */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

type OrderItem = NonNullable<
  Awaited<ReturnType<ReturnType<OrderNoticeWorkStore['entities']['shopOrder']['get']>['go']>>['data']
>;

/** Each channel's once-per key for one order's event. */
export const noticeRef = (orderId: string, event: NoticeEvent) => `order-notice/${orderId}/${event}`;

const hasTracking = (f: ShopifyFulfillment) =>
  f.status !== 'cancelled' && (f.trackingNumbers.length > 0 || f.trackingUrls.length > 0);

/** What the stored order is due, by the rules above. */
export function dueEvents(
  order: { createdAt?: number | undefined; cancelledAt?: number | undefined },
  fulfillments: ShopifyFulfillment[],
  now: number,
): NoticeEvent[] {
  if (order.cancelledAt !== undefined) return [];
  const due: NoticeEvent[] = [];
  if (order.createdAt !== undefined && now - order.createdAt <= CONFIRMED_WINDOW_MS) due.push('confirmed');
  const recentShipment = fulfillments.some(
    (f) => hasTracking(f) && now - Math.max(f.createdAt ?? 0, f.updatedAt ?? 0) <= SHIPPED_WINDOW_MS,
  );
  if (recentShipment) due.push('shipped');
  return due;
}

/** Turkish unless the order says otherwise: a shipping address outside Türkiye reads English. */
export function languageOf(countryCode: string | undefined, locale?: string): NoticeLanguage {
  if (locale) return locale.toLowerCase().startsWith('tr') ? 'tr' : 'en';
  if (!countryCode || countryCode.toUpperCase() === 'TR') return 'tr';
  return 'en';
}

/** Money as the customer reads it: the exact decimal, a comma in Turkish. */
/** Everything about the order's customer a notice needs, opened once per run. */
interface Recipient {
  email?: string;
  /** E.164 with '+'. */
  phone?: string;
  contactId?: string;
  restricted: boolean;
  language: NoticeLanguage;
  values: NoticeValues;
}

async function recipientOf(
  deps: OrderNoticeDeps,
  keys: TenantKeys,
  tenantId: string,
  order: OrderItem,
  fulfillments: ShopifyFulfillment[],
): Promise<Recipient> {
  const { store } = deps;
  const customer = order.customerId
    ? (await store.entities.shopCustomer.get({ tenantId, customerId: order.customerId }).go()).data
    : undefined;
  const ofOrder = (field: string) => openOrUndefined(keys, 'shopOrder', field, order.orderId, order[field as 'email']);
  const ofCustomer = (field: string) =>
    customer
      ? openOrUndefined(keys, 'shopCustomer', field, customer.customerId, customer[field as 'email'])
      : undefined;
  const email = (ofOrder('email') ?? ofCustomer('email'))?.trim() || undefined;
  const phone = mobileOf(ofOrder('phone') ?? ofCustomer('phone'));
  const address = parsedJson<{ name?: string; countryCode?: string }>(ofOrder('shippingAddress'));
  const name = parsedJson<{ firstName?: string; lastName?: string }>(ofCustomer('name'));
  const customerName = [name?.firstName, name?.lastName].filter(Boolean).join(' ') || address?.name || '';
  // The storefront language the customer chose speaks for them; the shipping country only guesses.
  const language = languageOf(address?.countryCode, order.customerLocale);
  // The inbox contact with this number (WhatsApp contacts' ids derive from it): where the privacy
  // engine records a restriction and the consent ledger keeps opt-outs.
  const contactId = phone ? contactIdOf(keys, 'whatsapp', phone.slice(1)) : undefined;
  const restricted = contactId ? await isContactRestricted(store, tenantId, contactId) : false;
  const shop = await shopNameOf(store, keys, tenantId);
  const tracking = fulfillments.filter(hasTracking).at(-1);
  return {
    ...(email && { email }),
    ...(phone && { phone }),
    ...(contactId && { contactId }),
    restricted,
    language,
    values: {
      customer: customerName,
      order: order.name,
      total: moneyText(order.total as { amount: string; currencyCode: string } | undefined, language),
      tracking_url: tracking?.trackingUrls[0] ?? tracking?.trackingNumbers[0] ?? '',
      shop,
    },
  };
}

/** Whether the customer withdrew this channel's order and account news (utility) in the consent ledger. */
async function optedOut(store: InboxStore, tenantId: string, contactId: string | undefined, channel: NoticeChannel) {
  if (!contactId) return false;
  const { data } = await store.entities.consentState
    .get({ tenantId, contactId, channel, purpose: 'utility' })
    .go({ consistent: true });
  return data?.state === 'withdrawn';
}

/**
 * Takes the notice for this run: created now, or left by a sender that stopped (claim older than
 * the lease, taken over by a compare-and-set). Anything else is done, or another run's.
 */
async function claim(
  store: OrderNoticeStore,
  key: { tenantId: string; orderId: string; event: NoticeEvent; channel: NoticeChannel },
  language: NoticeLanguage,
  now: number,
): Promise<boolean> {
  try {
    await store.entities.orderNotice
      .create({ ...key, state: 'sending', language, ref: noticeRef(key.orderId, key.event), claimedAt: now })
      .go();
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const { data } = await store.entities.orderNotice.get(key).go({ consistent: true });
  if (data?.state !== 'sending' || now - data.claimedAt < CLAIM_LEASE_MS) return false;
  try {
    await store.entities.orderNotice
      .patch(key)
      .set({ claimedAt: now })
      .where(({ claimedAt, state }, { eq }) => `${eq(claimedAt, data.claimedAt)} AND ${eq(state, 'sending')}`)
      .go();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

interface Sent {
  providerId?: string;
  conversationId?: string;
  messageId?: string;
  messageSentAt?: number;
}

async function sendWhatsApp(
  deps: OrderNoticeDeps,
  keys: TenantKeys,
  tenantId: string,
  orderId: string,
  event: NoticeEvent,
  recipient: Recipient,
  template: { name: string; language: string; variables: (keyof NoticeValues)[] } | null,
): Promise<Sent> {
  if (!template) throw new NoticeSkipped('no approved WhatsApp template');
  const message = {
    name: template.name,
    language: template.language,
    // Meta refuses an empty parameter: a value the order lacks is sent as a dash.
    variables: template.variables.map((name) => recipient.values[name] || '-'),
    categories: ['UTILITY'] as const,
    clientId: `order-notice-${orderId}-${event}`,
  };
  const sender = await templateSender(deps.store, tenantId, message);
  if (!recipient.phone || !recipient.contactId) throw new NoticeSkipped('no phone number');
  const { conversationId, messageId, messageSentAt } = await sendTemplateMessage(
    deps,
    keys,
    tenantId,
    { phone: recipient.phone, contactId: recipient.contactId },
    message,
    sender,
  );
  return { conversationId, messageId, messageSentAt };
}

/**
 * The one notice: claimed, checked against the skip rules, sent, and its outcome recorded. A
 * failure worth retrying is thrown (the claim stays, and the queue's retry takes it over).
 */
async function notice(
  deps: OrderNoticeDeps,
  keys: TenantKeys,
  tenantId: string,
  order: OrderItem,
  event: NoticeEvent,
  channel: NoticeChannel,
  recipient: Recipient,
  settings: Awaited<ReturnType<typeof noticeSettingsOf>>['settings'],
  now: number,
): Promise<void> {
  const key = { tenantId, orderId: order.orderId, event, channel };
  if (!(await claim(deps.store, key, recipient.language, now))) return;
  const ref = noticeRef(order.orderId, event);
  const wording = settings[event].wording[recipient.language];
  const text = renderNotice(wording.text, recipient.values);
  const finish = (state: 'sent' | 'skipped' | 'failed', extra: Sent & { reason?: string }) =>
    deps.store.entities.orderNotice
      .patch(key)
      .set({ state, ...extra })
      .go();
  try {
    if (recipient.restricted) throw new NoticeSkipped('restricted');
    if (await optedOut(deps.store, tenantId, recipient.contactId, channel)) throw new NoticeSkipped('opted out');
    let sent: Sent;
    if (channel === 'email') {
      if (!recipient.email) throw new NoticeSkipped('no email address');
      const suppressed = await deps.channels.mail.suppressionOf(tenantId, recipient.email);
      if (suppressed === 'bounced') throw new NoticeSkipped('email address bounced before');
      if (suppressed === 'complained') throw new NoticeSkipped('customer marked an earlier email as spam');
      const { emailId } = await deps.channels.mail.send(tenantId, {
        to: recipient.email,
        subject: renderNotice(wording.subject, recipient.values),
        text,
        html: htmlOf(text),
        ...(recipient.values.shop && { from: recipient.values.shop }),
        ref,
      });
      sent = { providerId: emailId };
    } else if (channel === 'sms') {
      if (!recipient.phone) throw new NoticeSkipped('no phone number');
      const { jobId } = await deps.channels.sms.send(tenantId, { to: recipient.phone.slice(1), text, ref });
      sent = { providerId: jobId };
    } else {
      sent = await sendWhatsApp(
        deps,
        keys,
        tenantId,
        order.orderId,
        event,
        recipient,
        settings[event].whatsappTemplate,
      );
    }
    await finish('sent', sent);
    // The customer's message budget (shared with campaigns and cart reminders) counts it: a
    // notice always goes, and what is optional holds back after it.
    if (recipient.contactId) {
      const { settings: budget } = await campaignSettingsOf(deps.store, tenantId);
      await countTouch(deps.store, tenantId, recipient.contactId, budget.frequencyCap.days * 86_400_000, now);
    }
    deps.log?.info('order notice sent', { tenantId, event, channel });
  } catch (error) {
    if (error instanceof NoticeSkipped) {
      await finish('skipped', { reason: error.reason });
      deps.log?.info('order notice skipped', { tenantId, event, channel, reason: error.reason });
      return;
    }
    if (error instanceof PermanentError) {
      // The provider refused it for good (its words, which name no customer): recorded, not retried.
      await finish('failed', { reason: error.message.slice(0, 200) });
      deps.log?.warn('order notice failed', { tenantId, event, channel, error: error.name });
      return;
    }
    throw error;
  }
}

/** Handles one `order-notices` message: every due notice of the order, each once. */
export async function processOrderNotices(
  deps: OrderNoticeDeps,
  message: { tenantId: string; orderId: string },
): Promise<void> {
  const { tenantId, orderId } = message;
  const now = deps.now?.() ?? Date.now();
  const order = (await deps.store.entities.shopOrder.get({ tenantId, orderId }).go({ consistent: true })).data;
  if (!order) return;
  const keys = await deps.keyring.forTenant(tenantId);
  const fulfillments =
    parsedJson<ShopifyFulfillment[]>(openOrUndefined(keys, 'shopOrder', 'fulfillments', orderId, order.fulfillments)) ??
    [];
  const due = dueEvents(order, fulfillments, now);
  if (due.length === 0) return;
  const { settings } = await noticeSettingsOf(deps.store, tenantId);
  const wanted = due.filter((event) => settings[event].channels.length > 0);
  if (wanted.length === 0) return;
  const recipient = await recipientOf(deps, keys, tenantId, order, fulfillments);
  // A channel that should be tried again (a provider busy or down) does not hold up the others:
  // the first such failure is thrown after every notice had its turn, and the queue's retry
  // finds the finished ones done.
  let retry: unknown;
  for (const event of wanted) {
    for (const channel of settings[event].channels) {
      try {
        await notice(deps, keys, tenantId, order, event, channel, recipient, settings, now);
      } catch (error) {
        deps.log?.warn('order notice to retry', { tenantId, event, channel, error: (error as Error).name });
        retry ??= error;
      }
    }
  }
  if (retry !== undefined) throw retry;
}
