import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * What the fake iyzico knows, per merchant (one API key each): the subscription catalog
 * (products and pricing plans), customers, subscriptions with their orders, the hosted forms it
 * issued, and a log of the calls it answered. Plain JSON, kept in the local data folder across
 * restarts like the other fakes, since the product stores iyzico's references. No card number is
 * ever kept: only its mask and whether the card declines.
 */

export interface FakeIyzicoMerchant {
  apiKey: string;
  secretKey: string;
  merchantId: string;
}

export interface FakeProduct {
  referenceCode: string;
  name: string;
  description?: string;
  createdDate: number;
}

export interface FakePricingPlan {
  referenceCode: string;
  productReferenceCode: string;
  name: string;
  price: number;
  currencyCode: string;
  paymentInterval: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  paymentIntervalCount: number;
  planPaymentType: 'RECURRING';
  createdDate: number;
}

export interface FakeCustomer {
  referenceCode: string;
  name: string;
  surname: string;
  email: string;
  createdDate: number;
}

/** A card as the fake keeps it: never the number. */
export interface FakeCard {
  /** `552879******0008`. */
  mask: string;
  /** The card declines every charge (a declining test card, or `/dev/iyzico/card-fails`). */
  declines: boolean;
}

export type FakeOrderStatus = 'SUCCESS' | 'FAILED' | 'WAITING';

export interface FakeOrder {
  referenceCode: string;
  pricingPlanReferenceCode: string;
  price: number;
  currencyCode: string;
  startPeriod: number;
  endPeriod: number;
  orderStatus: FakeOrderStatus;
  paymentAttempts: { createdDate: number; paymentStatus: 'SUCCESS' | 'FAILURE' }[];
}

export type FakeSubscriptionStatus = 'ACTIVE' | 'PENDING' | 'UNPAID' | 'UPGRADED' | 'CANCELED' | 'EXPIRED';

export interface FakeSubscription {
  referenceCode: string;
  merchantApiKey: string;
  customerReferenceCode: string;
  pricingPlanReferenceCode: string;
  /** An upgrade with `NEXT_PERIOD`: the plan the next renewal switches to. */
  nextPricingPlanReferenceCode?: string;
  subscriptionStatus: FakeSubscriptionStatus;
  createdDate: number;
  startDate: number;
  endDate?: number;
  card: FakeCard;
  orders: FakeOrder[];
}

/** A hosted form the fake issued: a new subscription's checkout, or a card update. */
export interface FakeHostedForm {
  token: string;
  kind: 'checkout' | 'card-update';
  merchantApiKey: string;
  callbackUrl: string;
  locale: 'tr' | 'en';
  conversationId?: string;
  expiresAt: number;
  /** checkout: what the form subscribes to, and whom. */
  pricingPlanReferenceCode?: string;
  customer?: { name: string; surname: string; email: string };
  /** card-update: whose card; checkout: the subscription once paid. */
  subscriptionReferenceCode?: string;
  completedAt?: number;
}

/** One answered call: never a key, a card number or customer data. */
export interface FakeIyzicoCall {
  at: number;
  method: string;
  path: string;
  merchantId?: string;
  status: 'success' | 'failure';
  errorCode?: string;
}

export interface FakeIyzicoState {
  merchants: FakeIyzicoMerchant[];
  products: Record<string, FakeProduct & { merchantApiKey: string }>;
  plans: Record<string, FakePricingPlan & { merchantApiKey: string }>;
  customers: Record<string, FakeCustomer & { merchantApiKey: string }>;
  subscriptions: Record<string, FakeSubscription>;
  forms: Record<string, FakeHostedForm>;
  calls: FakeIyzicoCall[];
}

/** The card numbers the hosted page knows: one that pays, one the bank declines. */
export const FAKE_IYZICO_CARDS = { succeeds: '5528790000000008', declines: '4111111111111129' } as const;

/** How long a hosted form's token is good for (iyzico's `tokenExpireTime`, seconds). */
export const FORM_TOKEN_SECONDS = 30 * 60;
const MAX_CALLS = 500;

export function createFakeIyzicoState(merchants: readonly FakeIyzicoMerchant[]): FakeIyzicoState {
  return { merchants: [...merchants], products: {}, plans: {}, customers: {}, subscriptions: {}, forms: {}, calls: [] };
}

export const referenceCode = () => randomUUID();

/** `552879******0008`: the first six and last four digits, as iyzico shows a stored card. */
export function maskCard(number: string): string {
  return `${number.slice(0, 6)}${'*'.repeat(Math.max(number.length - 10, 0))}${number.slice(-4)}`;
}

/** One month on from `from`, by the calendar (a monthly plan's period). */
export function addMonth(from: number): number {
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.getTime();
}

export function recordCall(state: FakeIyzicoState, call: FakeIyzicoCall): void {
  state.calls.push(call);
  if (state.calls.length > MAX_CALLS) state.calls.splice(0, state.calls.length - MAX_CALLS);
}

export function restoreFakeIyzicoState(file: string | undefined, fresh: FakeIyzicoState): FakeIyzicoState {
  if (!file || !existsSync(file)) return fresh;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as FakeIyzicoState;
  // The credentials are this run's settings, not the saved ones.
  return { ...fresh, ...saved, merchants: fresh.merchants };
}

export function persistFakeIyzicoState(file: string | undefined, state: FakeIyzicoState): void {
  if (file) writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
}
