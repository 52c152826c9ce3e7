import { randomUUID } from 'node:crypto';
import { IYZICO_SIGNATURE_HEADER, subscriptionNotificationSignature } from '@asistone/core/billing/iyzico-signature';
import {
  addMonth,
  type FakeIyzicoMerchant,
  type FakeIyzicoState,
  type FakeOrder,
  type FakeSubscription,
  referenceCode,
} from './iyzico-state.js';

/**
 * Charging a subscription's orders and telling the merchant, as iyzico does for each recurring
 * charge: a paid order keeps the subscription ACTIVE, a declined one leaves it UNPAID until a
 * retry pays; each charge of a renewal or retry is notified with a signed subscription webhook.
 */

/** Charges one order on the subscription's card: the order and subscription move with the outcome. */
export function chargeOrder(subscription: FakeSubscription, order: FakeOrder, forceFailure = false): boolean {
  const paid = !forceFailure && !subscription.card.declines;
  order.paymentAttempts.push({ createdDate: Date.now(), paymentStatus: paid ? 'SUCCESS' : 'FAILURE' });
  order.orderStatus = paid ? 'SUCCESS' : 'FAILED';
  subscription.subscriptionStatus = paid ? 'ACTIVE' : 'UNPAID';
  return paid;
}

/** A new order for the period starting at `start`, on the subscription's current plan. */
export function newOrder(state: FakeIyzicoState, subscription: FakeSubscription, start: number): FakeOrder {
  const plan = state.plans[subscription.pricingPlanReferenceCode];
  const order: FakeOrder = {
    referenceCode: referenceCode(),
    pricingPlanReferenceCode: subscription.pricingPlanReferenceCode,
    price: plan?.price ?? 0,
    currencyCode: plan?.currencyCode ?? 'TRY',
    startPeriod: start,
    endPeriod: addMonth(start),
    orderStatus: 'WAITING',
    paymentAttempts: [],
  };
  subscription.orders.push(order);
  return order;
}

/**
 * The next period's order: a plan chosen for the next period (upgrade `NEXT_PERIOD`) takes over
 * first, then the card is charged (a declining card, or `outcome: failure`, leaves it unpaid).
 */
export function renew(state: FakeIyzicoState, subscription: FakeSubscription, outcome: 'success' | 'failure') {
  if (subscription.nextPricingPlanReferenceCode) {
    subscription.pricingPlanReferenceCode = subscription.nextPricingPlanReferenceCode;
    delete subscription.nextPricingPlanReferenceCode;
  }
  const last = subscription.orders.at(-1);
  const order = newOrder(state, subscription, last?.endPeriod ?? Date.now());
  chargeOrder(subscription, order, outcome === 'failure');
  return order;
}

/** The subscription webhook's body and signature for one charged order. */
export function subscriptionNotification(
  merchant: FakeIyzicoMerchant,
  subscription: FakeSubscription,
  order: FakeOrder,
): { body: Record<string, unknown>; signature: string } {
  const body = {
    merchantId: merchant.merchantId,
    iyziEventType: order.orderStatus === 'SUCCESS' ? 'subscription.order.success' : 'subscription.order.failure',
    iyziEventTime: Date.now(),
    iyziReferenceCode: randomUUID(),
    subscriptionReferenceCode: subscription.referenceCode,
    orderReferenceCode: order.referenceCode,
    customerReferenceCode: subscription.customerReferenceCode,
  };
  return { body, signature: subscriptionNotificationSignature(merchant.secretKey, body) };
}

/** Posts the signed notification to the merchant's URL; answers the product's HTTP status. */
export async function notifyMerchant(
  url: string | undefined,
  merchant: FakeIyzicoMerchant,
  subscription: FakeSubscription,
  order: FakeOrder,
): Promise<{ status: number; iyziReferenceCode: string } | undefined> {
  if (!url) return undefined;
  const { body, signature } = subscriptionNotification(merchant, subscription, order);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IYZICO_SIGNATURE_HEADER]: signature },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return { status: response.status, iyziReferenceCode: String(body.iyziReferenceCode) };
  } catch {
    return { status: 0, iyziReferenceCode: String(body.iyziReferenceCode) };
  }
}
