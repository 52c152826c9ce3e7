import type { CartRecoverySettings } from '@asistone/contract/cart-recovery';
import { inHoldout } from '../campaigns/holdout.js';
import { isConditionFailure, type Store } from '../platform/store/service.js';
import type { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import { type CartRecoveryStore, dueKeyOf } from './records.js';
import { cartSettingsOf } from './settings.js';
import { abandonedAt, stepDueAt } from './timing.js';

/**
 * A cart follows its checkout. Told of every checkout Shopify's webhooks and the reconcile apply
 * (however often), this keeps one cart per checkout from the stored checkout alone:
 * - an open checkout with an email or a phone starts a `pending` cart, due when the business's
 *   delay has passed since its last change; a later change while no step has gone moves that
 *   time (the customer is still shopping);
 * - a checkout completed by an order ends its cart at once: `recovered` with the order once it
 *   had been abandoned, and removed when it was completed within the delay (never abandoned);
 * - a deleted checkout expires its cart.
 * Each change is one conditional write from the state it must be in, so a redelivered or
 * reordered message changes nothing twice.
 */

export type CartWorkStore = CartRecoveryStore & Store<typeof SHOPIFY_STORE_RECORDS>;

const HOLDOUT_DRAW = 'cart-recovery';

export type CheckoutItem = NonNullable<
  Awaited<ReturnType<ReturnType<CartWorkStore['entities']['shopCheckout']['get']>['go']>>['data']
>;
export type CartItem = NonNullable<
  Awaited<ReturnType<ReturnType<CartWorkStore['entities']['cart']['get']>['go']>>['data']
>;

const ignoreRace = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

export async function readCart(store: CartWorkStore, tenantId: string, checkoutKey: string) {
  const [{ data: cart }, { data: checkout }] = await Promise.all([
    store.entities.cart.get({ tenantId, checkoutKey }).go({ consistent: true }),
    store.entities.shopCheckout.get({ tenantId, checkoutKey }).go({ consistent: true }),
  ]);
  return { cart: cart ?? undefined, checkout: checkout ?? undefined };
}

/** Ends a cart whose checkout an order completed: recovered (with the order), or gone if never abandoned. */
export async function endByOrder(
  store: CartWorkStore,
  cart: CartItem,
  checkout: CheckoutItem,
  now: number,
): Promise<void> {
  const { tenantId, checkoutKey } = cart;
  const completedAt = checkout.completedAt ?? now;
  if (cart.state === 'recovered') {
    // The order became known after the checkout's own completion: named now.
    if (!cart.orderId && checkout.orderId) {
      await store.entities.cart
        .patch({ tenantId, checkoutKey })
        .set({ orderId: checkout.orderId })
        .where((attr, { notExists }) => notExists(attr.orderId))
        .go({ response: 'none' })
        .catch(ignoreRace);
    }
    return;
  }
  if (cart.state !== 'pending' && cart.state !== 'contacted') return;
  if (cart.state === 'pending' && cart.nextStep === 0 && completedAt < cart.abandonedAt) {
    // Bought within the delay: never an abandoned cart.
    await store.entities.cart
      .delete({ tenantId, checkoutKey })
      .where((attr, { eq }) => `${eq(attr.state, 'pending')} AND ${eq(attr.nextStep, 0)}`)
      .go({ response: 'none' })
      .catch(ignoreRace);
    return;
  }
  const amount = (checkout.total as { amount: string } | undefined)?.amount;
  await store.entities.cart
    .patch({ tenantId, checkoutKey })
    .set({
      state: 'recovered',
      recoveredAt: completedAt,
      endedAt: now,
      dueKey: '',
      ...(checkout.orderId && { orderId: checkout.orderId }),
      ...(amount && { recoveredAmount: amount }),
    })
    .where((attr, { eq }) => `${eq(attr.state, cart.state)}`)
    .go({ response: 'none' })
    .catch(ignoreRace);
}

/** Ends a cart for good with a reason: `expired` (its time passed, the checkout was deleted) or `skipped`. */
export async function endCart(
  store: CartWorkStore,
  cart: CartItem,
  state: 'expired' | 'skipped',
  reason: string,
  now: number,
  /** The order the customer placed another way, when that ended it (the lift counts it as come back). */
  order?: { orderId: string; amount?: string | undefined; at: number },
): Promise<void> {
  await store.entities.cart
    .patch({ tenantId: cart.tenantId, checkoutKey: cart.checkoutKey })
    .set({
      state,
      reason,
      endedAt: now,
      dueKey: '',
      ...(order && {
        orderId: order.orderId,
        recoveredAt: order.at,
        ...(order.amount && { recoveredAmount: order.amount }),
      }),
    })
    .where((attr, { eq }) => `${eq(attr.state, cart.state)} AND ${eq(attr.nextStep, cart.nextStep)}`)
    .go({ response: 'none' })
    .catch(ignoreRace);
}

const hasContact = (checkout: CheckoutItem) => Boolean(checkout.email || checkout.phone);

/** Starts, retimes or ends the checkout's cart; see the module's comment. */
export async function noteCheckout(
  store: CartWorkStore,
  tenantId: string,
  checkoutKey: string,
  now: number,
): Promise<void> {
  const { cart, checkout } = await readCart(store, tenantId, checkoutKey);
  if (!checkout) return;
  if (checkout.state === 'completed') {
    if (cart) await endByOrder(store, cart, checkout, now);
    return;
  }
  if (checkout.state === 'deleted') {
    if (cart && (cart.state === 'pending' || cart.state === 'contacted')) {
      await endCart(store, cart, 'expired', 'checkout deleted in Shopify', now);
    }
    return;
  }
  if (!hasContact(checkout)) return;
  const { settings } = await cartSettingsOf(store, tenantId);
  if (!settings.enabled) return;
  if (!cart) {
    await startCart(store, settings, checkout);
    return;
  }
  // Still shopping: a change before the first step moves the time it counts as abandoned.
  if (cart.state === 'pending' && cart.nextStep === 0 && checkout.updatedAt > cart.checkoutUpdatedAt) {
    const abandoned = abandonedAt(settings, checkout.updatedAt);
    await store.entities.cart
      .patch({ tenantId, checkoutKey })
      .set({
        state: 'pending',
        checkoutUpdatedAt: checkout.updatedAt,
        abandonedAt: abandoned,
        abandonedKey: dueKeyOf(abandoned),
        dueKey: dueKeyOf(stepDueAt(settings, 0, abandoned)),
        ...totalOf(checkout),
      })
      .where(
        (attr, { eq, lt }) =>
          `${eq(attr.state, 'pending')} AND ${eq(attr.nextStep, 0)} AND ${lt(attr.checkoutUpdatedAt, checkout.updatedAt)}`,
      )
      .go({ response: 'none' })
      .catch(ignoreRace);
  }
}

function totalOf(checkout: CheckoutItem) {
  const total = checkout.total as { amount: string; currencyCode: string } | undefined;
  return total ? { totalAmount: total.amount, currencyCode: total.currencyCode } : {};
}

async function startCart(store: CartWorkStore, settings: CartRecoverySettings, checkout: CheckoutItem) {
  const abandoned = abandonedAt(settings, checkout.updatedAt);
  await store.entities.cart
    .create({
      tenantId: checkout.tenantId,
      checkoutKey: checkout.checkoutKey,
      state: 'pending',
      holdout: inHoldout(HOLDOUT_DRAW, checkout.checkoutKey, settings.holdoutPercent),
      checkoutUpdatedAt: checkout.updatedAt,
      abandonedAt: abandoned,
      abandonedKey: dueKeyOf(abandoned),
      nextStep: 0,
      dueKey: dueKeyOf(stepDueAt(settings, 0, abandoned)),
      history: [],
      ...totalOf(checkout),
    })
    .go({ response: 'none' })
    .catch(ignoreRace);
}
