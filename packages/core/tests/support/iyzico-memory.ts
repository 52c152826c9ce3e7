import {
  IyzicoError,
  type IyzicoOrder,
  type IyzicoSubscription,
  type IyzicoSubscriptions,
} from '../../src/billing/iyzico-api.js';

/**
 * iyzico's subscription API kept in memory, as the billing code sees it through its interface:
 * hosted forms that the test "pays", renewals that succeed or fail, retries, upgrades and
 * cancellations, each recorded so a test can say what iyzico was asked.
 */
export interface MemoryIyzico extends IyzicoSubscriptions {
  /** The owner filled in the hosted form: the subscription exists and its first order is paid. */
  pay(token: string, now: number): string;
  /** A renewal is charged: a new order, paid or not; answers the notification iyzico would send. */
  renew(
    subscriptionRef: string,
    outcome: 'success' | 'failure',
    now: number,
  ): {
    iyziEventType: string;
    iyziReferenceCode: string;
    subscriptionReferenceCode: string;
    orderReferenceCode: string;
  };
  /** Whether the next retries succeed. */
  retriesSucceed: boolean;
  calls: { name: string; args: unknown[] }[];
  subscriptions: Map<string, IyzicoSubscription>;
}

const MONTH = 30 * 86_400_000;

export function memoryIyzico(): MemoryIyzico {
  const plans = new Map<string, { id: string; price: number }>();
  const forms = new Map<string, { planRef: string; subscriptionRef?: string }>();
  const subscriptions = new Map<string, IyzicoSubscription>();
  const calls: { name: string; args: unknown[] }[] = [];
  let seq = 0;
  const next = (prefix: string) => `${prefix}-${String(++seq).padStart(6, '0')}`;
  const get = (ref: string) => {
    const subscription = subscriptions.get(ref);
    if (!subscription) throw new IyzicoError('201400', false, 404);
    return subscription;
  };
  const priceOf = (planRef: string) => plans.get(planRef)?.price ?? 0;

  const api: MemoryIyzico = {
    calls,
    subscriptions,
    retriesSucceed: false,
    async ensureCatalog(list) {
      calls.push({ name: 'ensureCatalog', args: [] });
      const out: Record<string, string> = {};
      for (const plan of list) {
        const ref = `plan-${plan.id}`;
        plans.set(ref, { id: plan.id, price: Number(plan.monthlyPrice) });
        out[plan.id] = ref;
      }
      return out;
    },
    async initCheckout(input) {
      calls.push({ name: 'initCheckout', args: [input] });
      const token = next('tok');
      forms.set(token, { planRef: input.pricingPlanReferenceCode });
      return { token, paymentPageUrl: `https://iyzico.test/checkout/${token}` };
    },
    pay(token, now) {
      const form = forms.get(token);
      if (!form) throw new Error('no such form');
      const ref = next('sub');
      subscriptions.set(ref, {
        referenceCode: ref,
        customerReferenceCode: 'cus-1',
        pricingPlanReferenceCode: form.planRef,
        subscriptionStatus: 'ACTIVE',
        startDate: now,
        orders: [
          {
            referenceCode: next('ord'),
            price: priceOf(form.planRef),
            currencyCode: 'TRY',
            startPeriod: now,
            endPeriod: now + MONTH,
            orderStatus: 'SUCCESS',
          },
        ],
      });
      form.subscriptionRef = ref;
      return ref;
    },
    async checkoutResult(token) {
      calls.push({ name: 'checkoutResult', args: [token] });
      const form = forms.get(token);
      if (!form?.subscriptionRef) throw new IyzicoError('201600', false, 400);
      const subscription = get(form.subscriptionRef);
      return {
        subscriptionReferenceCode: subscription.referenceCode,
        customerReferenceCode: subscription.customerReferenceCode,
        subscriptionStatus: subscription.subscriptionStatus,
      };
    },
    async retrieve(ref) {
      calls.push({ name: 'retrieve', args: [ref] });
      return structuredClone(get(ref));
    },
    async upgrade(ref, input) {
      calls.push({ name: 'upgrade', args: [ref, input] });
      const subscription = get(ref);
      if (input.upgradePeriod === 'NOW') {
        subscription.pricingPlanReferenceCode = input.newPricingPlanReferenceCode;
        const last = subscription.orders.at(-1) as IyzicoOrder;
        subscription.orders.push({
          ...last,
          referenceCode: next('ord'),
          price: priceOf(input.newPricingPlanReferenceCode),
          orderStatus: 'SUCCESS',
        });
      } else {
        (subscription as IyzicoSubscription & { nextPlanRef?: string }).nextPlanRef = input.newPricingPlanReferenceCode;
      }
    },
    async cancel(ref) {
      calls.push({ name: 'cancel', args: [ref] });
      const subscription = get(ref);
      if (subscription.subscriptionStatus === 'CANCELED') throw new IyzicoError('201450', false, 400);
      subscription.subscriptionStatus = 'CANCELED';
    },
    async retry(orderRef) {
      calls.push({ name: 'retry', args: [orderRef] });
      for (const subscription of subscriptions.values()) {
        const order = subscription.orders.find((o) => o.referenceCode === orderRef);
        if (!order) continue;
        if (!api.retriesSucceed) throw new IyzicoError('10051', false, 400);
        order.orderStatus = 'SUCCESS';
        subscription.subscriptionStatus = 'ACTIVE';
        return;
      }
      throw new IyzicoError('201400', false, 404);
    },
    async initCardUpdate(input) {
      calls.push({ name: 'initCardUpdate', args: [input] });
      const token = next('card');
      return { token, paymentPageUrl: `https://iyzico.test/card/${token}` };
    },
    renew(ref, outcome, now) {
      const subscription = get(ref) as IyzicoSubscription & { nextPlanRef?: string };
      if (subscription.nextPlanRef) {
        subscription.pricingPlanReferenceCode = subscription.nextPlanRef;
        subscription.nextPlanRef = undefined;
      }
      const last = subscription.orders.at(-1) as IyzicoOrder;
      const order: IyzicoOrder = {
        referenceCode: next('ord'),
        price: priceOf(subscription.pricingPlanReferenceCode),
        currencyCode: 'TRY',
        startPeriod: last.endPeriod,
        endPeriod: last.endPeriod + MONTH,
        orderStatus: outcome === 'success' ? 'SUCCESS' : 'FAILED',
      };
      subscription.orders.push(order);
      subscription.subscriptionStatus = outcome === 'success' ? 'ACTIVE' : 'UNPAID';
      void now;
      return {
        iyziEventType: outcome === 'success' ? 'subscription.order.success' : 'subscription.order.failure',
        iyziReferenceCode: next('evt'),
        subscriptionReferenceCode: ref,
        orderReferenceCode: order.referenceCode,
      };
    },
  };
  return api;
}
