import * as z from 'zod';
import type { IyzicoSubscriptionStatus } from './iyzico-api.js';

/**
 * iyzico's answers as the subscription endpoints send them: `status` is `success` or `failure`;
 * a failure names `errorCode` (and `errorMessage`, which the product never keeps or logs: it may
 * repeat what the customer typed); a success carries its result under `data`. Only the fields the
 * billing code reads are checked; iyzico adds others freely.
 */

export const IyzicoFailure = z.object({
  status: z.literal('failure'),
  errorCode: z.coerce.string().optional(),
  errorMessage: z.string().optional(),
});

export const SUBSCRIPTION_STATUSES = [
  'ACTIVE',
  'PENDING',
  'UNPAID',
  'UPGRADED',
  'CANCELED',
  'EXPIRED',
] as const satisfies readonly IyzicoSubscriptionStatus[];

/** One page of a list (`GET …?page=&count=`). */
export const IyzicoPage = <T extends z.ZodType>(item: T) =>
  z.object({
    totalCount: z.number().int().nonnegative().optional(),
    currentPage: z.number().int().optional(),
    pageCount: z.number().int().nonnegative().optional(),
    items: z.array(item),
  });

export const IyzicoProduct = z.object({ referenceCode: z.string().min(1), name: z.string() });

export const IyzicoPricingPlan = z.object({
  referenceCode: z.string().min(1),
  name: z.string(),
  price: z.coerce.number().optional(),
  currencyCode: z.string().optional(),
  paymentInterval: z.string().optional(),
});

export const IyzicoOrderWire = z.object({
  referenceCode: z.string().min(1),
  price: z.coerce.number(),
  currencyCode: z.string(),
  startPeriod: z.number(),
  endPeriod: z.number(),
  orderStatus: z.string(),
});

export const IyzicoSubscriptionWire = z.object({
  referenceCode: z.string().min(1),
  customerReferenceCode: z.string().min(1),
  pricingPlanReferenceCode: z.string().min(1),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES),
  startDate: z.number().optional(),
  endDate: z.number().optional(),
  orders: z.array(IyzicoOrderWire).default([]),
});

/**
 * `GET /v2/subscription/subscriptions/{ref}`: the subscription under `data`; some integrators
 * report it as a one-item `items` list, which is taken the same way.
 */
export const IyzicoSubscriptionDetail = z.union([
  IyzicoSubscriptionWire,
  z.object({ items: z.tuple([IyzicoSubscriptionWire]) }).transform((page) => page.items[0]),
]);

/** `GET /v2/subscription/checkoutform/{token}`: the subscription the hosted form started. */
export const IyzicoCheckoutResultWire = z.object({
  referenceCode: z.string().min(1),
  customerReferenceCode: z.string().min(1),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES),
});

/** Checkout form (and card update form) initialize: the token and where the card is entered. */
export const IyzicoHostedFormWire = z.object({
  token: z.string().min(1),
  checkoutFormContent: z.string().optional(),
  paymentPageUrl: z.url().optional(),
  tokenExpireTime: z.number().optional(),
});
