import type { ProviderDeclaration } from '../platform/area.js';

/**
 * iyzico's subscription API (v2) as the billing code uses it. Reference: section 5 of the
 * provider facts and `meta-shopify-iyzico-2026.md` section 4: endpoints under
 * `/v2/subscription/…`, IYZWSv2 authorization. Every call answers iyzico's own `status` check:
 * a `failure` answer throws {@link IyzicoError} with iyzico's `errorCode` (never its message text
 * with any customer data, never a key).
 */

export type IyzicoSubscriptionStatus = 'ACTIVE' | 'PENDING' | 'UNPAID' | 'UPGRADED' | 'CANCELED' | 'EXPIRED';

export interface IyzicoOrder {
  referenceCode: string;
  price: number;
  currencyCode: string;
  startPeriod: number;
  endPeriod: number;
  /** `SUCCESS`, `FAILED`, `WAITING`, … as iyzico reports it. */
  orderStatus: string;
}

export interface IyzicoSubscription {
  referenceCode: string;
  customerReferenceCode: string;
  pricingPlanReferenceCode: string;
  subscriptionStatus: IyzicoSubscriptionStatus;
  startDate?: number;
  endDate?: number;
  /** Newest last. */
  orders: IyzicoOrder[];
}

export interface IyzicoHostedForm {
  token: string;
  /** The hosted page the owner is sent to (the card is entered there). */
  paymentPageUrl: string;
  /** iyzico's embeddable form (a script), for a page that shows the form in place instead. */
  checkoutFormContent?: string;
}

export interface IyzicoCustomer {
  name: string;
  surname: string;
  email: string;
  /** E.164 without `+` or as iyzico wants it. */
  gsmNumber?: string;
  identityNumber?: string;
  billingAddress: { contactName: string; city: string; country: string; address: string };
}

export interface IyzicoSubscriptions {
  /** Creates (once) the product and one pricing plan per Asistone plan; answers their references. */
  ensureCatalog(
    plans: readonly { id: string; name: string; monthlyPrice: string; currency: string }[],
  ): Promise<Record<string, string>>;
  initCheckout(input: {
    conversationId: string;
    callbackUrl: string;
    pricingPlanReferenceCode: string;
    customer: IyzicoCustomer;
    locale: 'tr' | 'en';
  }): Promise<IyzicoHostedForm>;
  /** The hosted form's outcome, read after iyzico sends the owner back to `callbackUrl`. */
  checkoutResult(token: string): Promise<{
    subscriptionReferenceCode: string;
    customerReferenceCode: string;
    subscriptionStatus: IyzicoSubscriptionStatus;
  }>;
  retrieve(subscriptionReferenceCode: string): Promise<IyzicoSubscription>;
  upgrade(
    subscriptionReferenceCode: string,
    input: { newPricingPlanReferenceCode: string; upgradePeriod: 'NOW' | 'NEXT_PERIOD' },
  ): Promise<void>;
  cancel(subscriptionReferenceCode: string): Promise<void>;
  /** Charges a failed renewal again. */
  retry(orderReferenceCode: string): Promise<void>;
  initCardUpdate(input: {
    subscriptionReferenceCode: string;
    callbackUrl: string;
    locale: 'tr' | 'en';
  }): Promise<IyzicoHostedForm>;
}

/** iyzico, which takes the businesses' subscription payments, as the billing area declares it for its alarms. */
export const IYZICO_PROVIDER = {
  name: 'iyzico',
  auth: "iyzico refused our API keys, or a notification's signature did not match: subscriptions cannot be read or changed, or renewals are not heard",
  rateLimit: 'iyzico is rate limiting us: billing calls fail and are retried by the owner or the sweep',
} as const satisfies ProviderDeclaration;

export class IyzicoError extends Error {
  override name = 'IyzicoError';
  constructor(
    readonly errorCode: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(`iyzico refused (${errorCode})`);
  }
}
