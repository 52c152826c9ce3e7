import {
  type CartChannel,
  type CartLanguage,
  type CartRecoverySettings,
  type CartStep,
  type CartValues,
  renderCartText,
} from '@asistone/contract/cart-recovery';
import type { Logger } from '@aws-lambda-powertools/logger';
import { needsIysConsent } from '../campaigns/iys.js';
import { campaignSettingsOf } from '../campaigns/settings.js';
import type { CampaignSettingsStore } from '../campaigns/settings-records.js';
import { refundTouch, type Touch, takeTouch } from '../campaigns/touch.js';
import { isContactRestricted } from '../inbox/contacts.js';
import { contactIdOf } from '../inbox/inbound.js';
import type { InboxStore } from '../inbox/records.js';
import { type NoticeChannels, NoticeSkipped } from '../order-notices/channels.js';
import { mobileOf, moneyText, shopCustomerName, shopNameOf } from '../order-notices/customer-reading.js';
import { htmlOf } from '../order-notices/mail-html.js';
import { sendTemplateMessage, templateSender } from '../order-notices/whatsapp.js';
import { openOrUndefined, type TenantKeyring, type TenantKeys } from '../platform/crypto/keyring.js';
import { PermanentError } from '../platform/errors.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { type CartItem, type CartWorkStore, type CheckoutItem, endByOrder, endCart, readCart } from './carts.js';
import { dueKeyOf } from './records.js';
import { cartSettingsOf } from './settings.js';
import { type CartLine, outOfStockLine } from './stock.js';
import { expiresAt, outsideQuietHours, stepDueAt } from './timing.js';

/**
 * One cart's due step: checked, claimed, sent once, and recorded. Before anything is sent the
 * cart is looked at afresh: a completed checkout recovers it, a deleted one or a passed window
 * expires it, an order the customer placed since ends it, a holdout cart waits for its expiry.
 * Then the step is skipped, with the reason kept on the cart, when the customer restricted
 * processing, lacks the consent for the channel and purpose, an item is out of stock, or the
 * message budget shared with campaigns and order notices is spent; otherwise it is sent through
 * the channel with the step's once-per reference (`cart-recovery/<checkout>/<step>`), so a
 * redelivered message, a second worker or a retry after a crash never sends it twice.
 */

export type CartStepStore = CartWorkStore & InboxStore & CampaignSettingsStore & Store<typeof TENANCY_RECORDS>;

export interface CartStepDeps {
  store: CartStepStore;
  keyring: TenantKeyring;
  /** WhatsApp reminders leave through the inbox's outbound queue. */
  producer: Pick<Producer, 'send'>;
  /** Mail and SMS (sent as commercial messages: NetGSM checks İYS). */
  channels: NoticeChannels;
  log?: Pick<Logger, 'info' | 'warn'>;
  now?: () => number;
}

/** A step claimed longer ago than this belongs to a sender that stopped: the queue's retry takes it over. */
export const STEP_LEASE_MS = 2 * 60_000;

export const stepRef = (checkoutKey: string, step: number) => `cart-recovery/${checkoutKey}/${step}`;

const ignoreRace = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

/** When the cart's next step is due by the settings (after abandonment, or after the step before). */
function nextStepDue(settings: CartRecoverySettings, cart: CartItem): number | undefined {
  if (cart.nextStep >= settings.steps.length) return undefined;
  const last = (cart.history ?? []).at(-1);
  return stepDueAt(settings, cart.nextStep, last ? last.at : cart.abandonedAt);
}

/** Points the cart's due time at `at` (nothing else changes). */
async function dueAgainAt(store: CartWorkStore, cart: CartItem, at: number) {
  await store.entities.cart
    .patch({ tenantId: cart.tenantId, checkoutKey: cart.checkoutKey })
    // The state goes with the due time: the index's condition sees only what a write sets.
    .set({ dueKey: dueKeyOf(at), state: cart.state })
    .where((attr, { eq }) => `${eq(attr.state, cart.state)} AND ${eq(attr.nextStep, cart.nextStep)}`)
    .go({ response: 'none' })
    .catch(ignoreRace);
}

/** The customer's first order placed in [since, until), if any. */
async function orderSince(
  store: CartWorkStore,
  tenantId: string,
  checkout: CheckoutItem,
  since: number,
  until: number,
) {
  if (!checkout.customerId) return undefined;
  const { data } = await store.entities.shopOrder.query
    .byCustomer({ tenantId, customerRef: checkout.customerId })
    .go({ pages: 'all', attributes: ['orderId', 'createdAt', 'total', 'cancelledAt'] });
  return data
    .filter((order) => {
      const at = order.createdAt ?? 0;
      return order.cancelledAt === undefined && at >= since && at < until;
    })
    .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))[0];
}

/** Handles one `step` message: see the module's comment. */
export async function runCartStep(deps: CartStepDeps, tenantId: string, checkoutKey: string): Promise<void> {
  const { store } = deps;
  const now = deps.now?.() ?? Date.now();
  const { cart, checkout } = await readCart(store, tenantId, checkoutKey);
  if (!cart || (cart.state !== 'pending' && cart.state !== 'contacted')) return;
  if (!checkout || checkout.state === 'deleted') {
    await endCart(store, cart, 'expired', 'checkout deleted in Shopify', now);
    return;
  }
  if (checkout.state === 'completed') {
    await endByOrder(store, cart, checkout, now);
    return;
  }
  const { settings } = await cartSettingsOf(store, tenantId);
  const expiry = expiresAt(settings, cart.abandonedAt);
  // Checked before the expiry: a holdout cart waits for it, and its customer's order counts.
  const ordered = await orderSince(store, tenantId, checkout, checkout.createdAt ?? cart.abandonedAt, expiry);
  if (ordered) {
    if (cart.state === 'contacted') {
      // Came back and bought, though not through this checkout: the cart did its work.
      await recoverByOrder(store, cart, ordered, now);
    } else {
      // Not contacted (too early, or held out): nothing more is sent, and the order is kept so
      // the lift counts both groups' customers who came back the same way.
      const amount = (ordered.total as { amount?: string } | undefined)?.amount;
      await endCart(store, cart, 'skipped', 'the customer ordered since', now, {
        orderId: ordered.orderId,
        amount,
        at: ordered.createdAt ?? now,
      });
    }
    return;
  }
  if (now >= expiry) {
    await endCart(store, cart, 'expired', `not recovered within ${settings.expireAfterDays} days`, now);
    return;
  }
  const due = nextStepDue(settings, cart);
  // A holdout cart is never contacted, and a cart past its last step only waits: both for their expiry.
  if (cart.holdout || due === undefined || !settings.enabled) {
    await dueAgainAt(store, cart, expiry);
    return;
  }
  if (due > now) {
    await dueAgainAt(store, cart, due);
    return;
  }
  const sendAt = outsideQuietHours(now, settings.quietHours);
  if (sendAt > now) {
    await dueAgainAt(store, cart, sendAt);
    return;
  }
  const index = cart.nextStep;
  if (!(await claimStep(store, cart, index, now))) return;
  const step = settings.steps[index] as CartStep;
  const outcome = await attemptStep(
    deps,
    cart,
    checkout,
    { index, step, shippingLocationId: settings.shippingLocationId },
    now,
  );
  const history = [
    ...(cart.history ?? []),
    {
      step: index + 1,
      channel: step.channel,
      outcome: outcome.sent ? ('sent' as const) : ('skipped' as const),
      ...(outcome.sent ? {} : { reason: outcome.reason }),
      at: now,
    },
  ];
  const sentAny = history.some((entry) => entry.outcome === 'sent');
  const last = index + 1 >= settings.steps.length;
  const after = { ...cart, nextStep: index + 1, history };
  const next = last ? expiry : (nextStepDue(settings, after) ?? expiry);
  const state = sentAny ? 'contacted' : last ? 'skipped' : 'pending';
  await store.entities.cart
    .patch({ tenantId, checkoutKey })
    .set({
      state,
      nextStep: index + 1,
      history,
      dueKey: state === 'skipped' ? '' : dueKeyOf(next),
      ...(state === 'skipped' && { reason: outcome.sent ? '' : outcome.reason, endedAt: now }),
    })
    .remove(['claimedStep', 'claimedAt'])
    .where((attr, { eq }) => `${eq(attr.nextStep, index)} AND ${eq(attr.claimedStep, index)}`)
    .go({ response: 'none' })
    .catch(ignoreRace);
  deps.log?.info(outcome.sent ? 'cart step sent' : 'cart step skipped', {
    tenantId,
    step: index + 1,
    channel: step.channel,
    ...(!outcome.sent && { reason: outcome.reason }),
  });
}

async function recoverByOrder(
  store: CartWorkStore,
  cart: CartItem,
  order: { orderId: string; createdAt?: number | undefined; total?: unknown },
  now: number,
) {
  const amount = (order.total as { amount?: string } | undefined)?.amount;
  await store.entities.cart
    .patch({ tenantId: cart.tenantId, checkoutKey: cart.checkoutKey })
    .set({
      state: 'recovered',
      orderId: order.orderId,
      recoveredAt: order.createdAt ?? now,
      endedAt: now,
      dueKey: '',
      ...(amount && { recoveredAmount: amount }),
    })
    .where((attr, { eq }) => eq(attr.state, cart.state))
    .go({ response: 'none' })
    .catch(ignoreRace);
}

/** Takes the step for this run: free, or left by a sender that stopped (older than the lease). */
async function claimStep(store: CartWorkStore, cart: CartItem, index: number, now: number): Promise<boolean> {
  try {
    await store.entities.cart
      .patch({ tenantId: cart.tenantId, checkoutKey: cart.checkoutKey })
      .set({ claimedStep: index, claimedAt: now })
      .where(
        (attr, { eq, ne, lt, notExists }) =>
          `${eq(attr.state, cart.state)} AND ${eq(attr.nextStep, index)} AND (${notExists(attr.claimedStep)} OR ${ne(attr.claimedStep, index)} OR ${lt(attr.claimedAt, now - STEP_LEASE_MS)})`,
      )
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

type Outcome = { sent: true } | { sent: false; reason: string };

/** The customer as a step needs them, opened from the sealed checkout. */
interface Customer {
  email?: string;
  /** E.164 with '+'. */
  phone?: string;
  contactId?: string;
  language: CartLanguage;
  values: CartValues;
}

const open = (keys: TenantKeys, field: string, item: CheckoutItem) =>
  openOrUndefined(keys, 'shopCheckout', field, item.checkoutKey, item[field as 'email']);

async function customerOf(deps: CartStepDeps, keys: TenantKeys, checkout: CheckoutItem): Promise<Customer> {
  const { store } = deps;
  const { tenantId } = checkout;
  const email = open(keys, 'email', checkout)?.trim() || undefined;
  const phone = mobileOf(open(keys, 'phone', checkout));
  // A Turkish number, or none, reads Turkish; any other country's number English.
  const language: CartLanguage = !phone || phone.startsWith('+90') ? 'tr' : 'en';
  const items = ((checkout.lineItems ?? []) as CartLine[]).map((line) => `${line.quantity} × ${line.title}`).join(', ');
  return {
    ...(email && { email }),
    ...(phone && { phone, contactId: contactIdOf(keys, 'whatsapp', phone.slice(1)) }),
    language,
    values: {
      customer: await shopCustomerName(store, keys, tenantId, checkout.customerId),
      items,
      total: moneyText(checkout.total as { amount: string; currencyCode: string } | undefined, language),
      link: open(keys, 'recoveryUrl', checkout) ?? '',
      shop: await shopNameOf(store, keys, tenantId),
    },
  };
}

/** The consent ledger's current state for the contact, channel and purpose. */
async function consentOf(store: InboxStore, tenantId: string, contactId: string, channel: string, purpose: string) {
  const { data } = await store.entities.consentState
    .get({ tenantId, contactId, channel, purpose } as never)
    .go({ consistent: true });
  return data as { state?: string; iys?: boolean } | null;
}

async function attemptStep(
  deps: CartStepDeps,
  cart: CartItem,
  checkout: CheckoutItem,
  { index, step, shippingLocationId }: { index: number; step: CartStep; shippingLocationId: string | null },
  now: number,
): Promise<Outcome> {
  const { store } = deps;
  const { tenantId, checkoutKey } = cart;
  const keys = await deps.keyring.forTenant(tenantId);
  const customer = await customerOf(deps, keys, checkout);
  let touch: Touch | undefined;
  try {
    const { contactId, phone } = customer;
    if (contactId && (await isContactRestricted(store, tenantId, contactId))) {
      throw new NoticeSkipped('the customer restricted processing of their data');
    }
    const lines = (checkout.lineItems ?? []) as CartLine[];
    const soldOut = await outOfStockLine(store, tenantId, lines, shippingLocationId);
    if (soldOut) throw new NoticeSkipped(`out of stock: ${soldOut.slice(0, 80)}`);
    const campaign = (await campaignSettingsOf(store, tenantId)).settings;
    const wording = step.wording[customer.language];
    const text = renderCartText(wording.text, customer.values);
    const ref = stepRef(checkoutKey, index + 1);
    /** A commercial message needs the customer's marketing consent for the channel (and İYS for a Turkish number). */
    const needMarketing = async (channel: CartChannel) => {
      if (!contactId || !phone) throw new NoticeSkipped(`no ${channel} marketing consent`);
      const consent = await consentOf(store, tenantId, contactId, channel, 'marketing');
      if (consent?.state === 'withdrawn') throw new NoticeSkipped(`the customer opted out of ${channel} offers`);
      if (consent?.state !== 'granted') throw new NoticeSkipped(`no ${channel} marketing consent`);
      if (channel !== 'email' && needsIysConsent(campaign, phone) && consent.iys !== true) {
        throw new NoticeSkipped('no İYS consent');
      }
    };
    /** One message of the budget the customer shares across campaigns, carts and order notices. */
    const spend = async () => {
      if (!contactId) return;
      const cap = { max: campaign.frequencyCap.max, windowMs: campaign.frequencyCap.days * 86_400_000 };
      touch = await takeTouch(store, tenantId, contactId, cap, now);
      if (!touch) throw new NoticeSkipped('message budget reached');
    };
    if (step.channel === 'email') {
      if (!customer.email) throw new NoticeSkipped('no email address');
      await needMarketing('email');
      const suppressed = await deps.channels.mail.suppressionOf(tenantId, customer.email);
      if (suppressed === 'bounced') throw new NoticeSkipped('email address bounced before');
      if (suppressed === 'complained') throw new NoticeSkipped('customer marked an earlier email as spam');
      await spend();
      await deps.channels.mail.send(tenantId, {
        to: customer.email,
        subject: renderCartText(wording.subject, customer.values),
        text,
        html: htmlOf(text),
        ...(customer.values.shop && { from: customer.values.shop }),
        ref,
      });
    } else if (step.channel === 'sms') {
      if (!phone) throw new NoticeSkipped('no phone number');
      await needMarketing('sms');
      await spend();
      await deps.channels.sms.send(tenantId, { to: phone.slice(1), text, ref });
    } else {
      const template = step.whatsappTemplate;
      if (!template) throw new NoticeSkipped('no approved WhatsApp template');
      const message = {
        name: template.name,
        language: template.language,
        // Meta refuses an empty parameter: a value the cart lacks is sent as a dash.
        variables: template.variables.map((name) => customer.values[name] || '-'),
        categories: ['UTILITY', 'MARKETING'] as const,
        clientId: `cart-${checkoutKey}-${index + 1}`,
      };
      const sender = await templateSender(store, tenantId, message);
      if (!phone || !contactId) throw new NoticeSkipped('no phone number');
      if (sender.category === 'MARKETING') {
        await needMarketing('whatsapp');
      } else if ((await consentOf(store, tenantId, contactId, 'whatsapp', 'utility'))?.state === 'withdrawn') {
        throw new NoticeSkipped('the customer opted out of WhatsApp updates');
      }
      await spend();
      await sendTemplateMessage(deps, keys, tenantId, { phone, contactId }, message, sender);
    }
    return { sent: true };
  } catch (error) {
    const given = touch;
    const refund = async () => {
      if (given && customer.contactId) await refundTouch(store, tenantId, customer.contactId, given);
    };
    if (error instanceof NoticeSkipped) {
      await refund();
      return { sent: false, reason: error.reason };
    }
    if (error instanceof PermanentError) {
      // The provider refused it for good (its words, which name no customer): the step is skipped.
      await refund();
      return { sent: false, reason: `refused: ${error.message.slice(0, 150)}` };
    }
    // Worth a retry: the claim stays, and the queue's retry takes it over after the lease.
    await refund();
    throw error;
  }
}
