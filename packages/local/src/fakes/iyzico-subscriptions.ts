import { Hono } from 'hono';
import { chargeOrder } from './iyzico-charges.js';
import { failure, type IyzicoEnv, success, text } from './iyzico-http.js';
import type { FakeIyzicoState, FakeSubscription } from './iyzico-state.js';

/**
 * A subscription's lifecycle at the fake iyzico: retrieve (with its orders), upgrade (`NOW`
 * switches the plan at once; `NEXT_PERIOD` at the next renewal), cancel (at once, as iyzico's
 * API offers no cancellation at the period's end) and the retry of a failed order.
 */

/** A subscription as `GET /v2/subscription/subscriptions/{ref}` answers it. */
export function subscriptionView(state: FakeIyzicoState, subscription: FakeSubscription) {
  const plan = state.plans[subscription.pricingPlanReferenceCode];
  const customer = state.customers[subscription.customerReferenceCode];
  return {
    referenceCode: subscription.referenceCode,
    parentReferenceCode: subscription.referenceCode,
    pricingPlanName: plan?.name,
    pricingPlanReferenceCode: subscription.pricingPlanReferenceCode,
    productName: plan ? state.products[plan.productReferenceCode]?.name : undefined,
    productReferenceCode: plan?.productReferenceCode,
    customerEmail: customer?.email,
    customerReferenceCode: subscription.customerReferenceCode,
    subscriptionStatus: subscription.subscriptionStatus,
    trialDays: 0,
    createdDate: subscription.createdDate,
    startDate: subscription.startDate,
    ...(subscription.endDate !== undefined && { endDate: subscription.endDate }),
    orders: subscription.orders.map((order) => ({
      referenceCode: order.referenceCode,
      price: order.price,
      currencyCode: order.currencyCode,
      startPeriod: order.startPeriod,
      endPeriod: order.endPeriod,
      orderStatus: order.orderStatus,
      paymentAttempts: order.paymentAttempts,
    })),
  };
}

/** Codes the fake answers for refusals; its own, not iyzico's (only the authentication codes are). */
const NOT_FOUND = { code: '201400', message: 'Abonelik bulunamadı' };

export function iyzicoSubscriptionRoutes(
  state: FakeIyzicoState,
  options: { save: () => void; onCharged: (subscription: FakeSubscription, orderRef: string) => Promise<void> },
) {
  const app = new Hono<IyzicoEnv>();
  const own = (apiKey: string, ref: string) => {
    const subscription = state.subscriptions[ref];
    return subscription?.merchantApiKey === apiKey ? subscription : undefined;
  };

  app.get('/v2/subscription/subscriptions/:ref', (c) => {
    const subscription = own(c.get('merchant').apiKey, c.req.param('ref'));
    if (!subscription) return failure(c, NOT_FOUND.code, NOT_FOUND.message, 404);
    return success(c, subscriptionView(state, subscription));
  });

  app.post('/v2/subscription/subscriptions/:ref/upgrade', (c) => {
    const subscription = own(c.get('merchant').apiKey, c.req.param('ref'));
    if (!subscription) return failure(c, NOT_FOUND.code, NOT_FOUND.message, 404);
    const body = c.get('body');
    const next = state.plans[text(body.newPricingPlanReferenceCode) ?? ''];
    const current = state.plans[subscription.pricingPlanReferenceCode];
    if (!next || next.merchantApiKey !== subscription.merchantApiKey)
      return failure(c, '201200', 'Plan bulunamadı', 404);
    // iyzico upgrades only within the same product and billing interval.
    if (
      current &&
      (next.productReferenceCode !== current.productReferenceCode ||
        next.paymentInterval !== current.paymentInterval ||
        next.paymentIntervalCount !== current.paymentIntervalCount)
    ) {
      return failure(c, '201450', 'Plan aynı ürün ve ödeme aralığında olmalıdır');
    }
    if (subscription.subscriptionStatus !== 'ACTIVE') return failure(c, '201451', 'Abonelik aktif değil');
    if (body.upgradePeriod === 'NOW') {
      subscription.pricingPlanReferenceCode = next.referenceCode;
      delete subscription.nextPricingPlanReferenceCode;
    } else if (body.upgradePeriod === 'NEXT_PERIOD') {
      subscription.nextPricingPlanReferenceCode = next.referenceCode;
    } else {
      return failure(c, '100001', 'upgradePeriod alanı geçersiz');
    }
    options.save();
    return success(c, subscriptionView(state, subscription));
  });

  app.post('/v2/subscription/subscriptions/:ref/cancel', (c) => {
    const subscription = own(c.get('merchant').apiKey, c.req.param('ref'));
    if (!subscription) return failure(c, NOT_FOUND.code, NOT_FOUND.message, 404);
    if (subscription.subscriptionStatus === 'CANCELED') return failure(c, '201452', 'Abonelik zaten iptal edilmiş');
    subscription.subscriptionStatus = 'CANCELED';
    subscription.endDate = Date.now();
    delete subscription.nextPricingPlanReferenceCode;
    options.save();
    return success(c);
  });

  app.post('/v2/subscription/operation/retry', async (c) => {
    const orderRef = text(c.get('body').referenceCode);
    const subscription = Object.values(state.subscriptions).find(
      (candidate) =>
        candidate.merchantApiKey === c.get('merchant').apiKey &&
        candidate.orders.some((order) => order.referenceCode === orderRef),
    );
    const order = subscription?.orders.find((candidate) => candidate.referenceCode === orderRef);
    if (!subscription || !order) return failure(c, '201500', 'Sipariş bulunamadı', 404);
    if (order.orderStatus !== 'FAILED') return failure(c, '201501', 'Sipariş ödenmemiş durumda değil');
    if (subscription.subscriptionStatus === 'CANCELED') return failure(c, '201451', 'Abonelik aktif değil');
    const paid = chargeOrder(subscription, order);
    options.save();
    await options.onCharged(subscription, order.referenceCode);
    // A declined retry is the bank's refusal: iyzico's bank error group.
    if (!paid) return failure(c, '10051', 'Kart limiti yetersiz, yetersiz bakiye');
    return success(c);
  });

  return app;
}
