import * as z from 'zod';

/**
 * Billing: the plans Asistone sells (declared once, here: the API enforces their limits where
 * each thing is used, the app shows them), a business's subscription through iyzico, its usage
 * this month against its plan, and its invoices. Card data never reaches Asistone: the card is
 * entered on iyzico's hosted forms. Owner only (`billing.manage`).
 */

/** What a plan limits. Channels and seats count what exists now; the others, this month's use. */
export const LIMITS = ['channels', 'seats', 'aiReplies', 'campaignMessages'] as const;
export type LimitName = (typeof LIMITS)[number];
export type PlanLimits = Record<LimitName, number>;

export const PLAN_IDS = ['starter', 'growth', 'scale'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface Plan {
  id: PlanId;
  /** Monthly price, an exact decimal, VAT included. */
  monthlyPrice: string;
  currency: 'TRY';
  limits: PlanLimits;
}

/** The plans, cheapest first. Names and descriptions are the app's (i18n `billing.plans.<id>`). */
export const PLANS: Readonly<Record<PlanId, Plan>> = {
  starter: {
    id: 'starter',
    monthlyPrice: '499.00',
    currency: 'TRY',
    limits: { channels: 2, seats: 2, aiReplies: 500, campaignMessages: 1_000 },
  },
  growth: {
    id: 'growth',
    monthlyPrice: '1499.00',
    currency: 'TRY',
    limits: { channels: 5, seats: 5, aiReplies: 3_000, campaignMessages: 10_000 },
  },
  scale: {
    id: 'scale',
    monthlyPrice: '3999.00',
    currency: 'TRY',
    limits: { channels: 15, seats: 20, aiReplies: 20_000, campaignMessages: 100_000 },
  },
};

/**
 * A business that has not subscribed yet uses the trial's limits (the growth plan's channels and
 * seats, small monthly allowances). It has no end date yet.
 */
export const TRIAL_LIMITS: PlanLimits = { channels: 5, seats: 5, aiReplies: 200, campaignMessages: 500 };

/**
 * - `trial`: never subscribed;
 * - `active`: paid up;
 * - `grace`: a renewal failed; everything works, notices go out and the charge is retried
 *   until `graceUntil`;
 * - `read-only`: grace ran out; the team signs in, reads and exports everything, changes
 *   nothing until a payment succeeds (which restores full use at once). Nothing is ever deleted
 *   for a failed payment;
 * - `canceled`: the subscription ended (at the period's end, as the owner asked); the business
 *   is read-only as above until it subscribes again.
 */
export const BILLING_STATES = ['trial', 'active', 'grace', 'read-only', 'canceled'] as const;
export type BillingState = (typeof BILLING_STATES)[number];

/** Days between a failed renewal and read-only. */
export const GRACE_DAYS = 7;

export const usageSchema = z.object({
  /** `2026-12`: the month (Istanbul) the monthly counts are for. */
  month: z.string(),
  used: z.record(z.enum(LIMITS), z.number().int()),
  limits: z.record(z.enum(LIMITS), z.number().int()),
});
export type Usage = z.output<typeof usageSchema>;

export const invoiceSchema = z.object({
  invoiceId: z.string(),
  /** `AS-2026-000123`: sequential per year. */
  number: z.string(),
  issuedAt: z.number(),
  planId: z.enum(PLAN_IDS),
  periodStart: z.number(),
  periodEnd: z.number(),
  /** Exact decimals, VAT included, and the VAT in it. */
  total: z.string(),
  vat: z.string(),
  currency: z.string(),
  status: z.enum(['paid', 'refunded']),
});
export type Invoice = z.output<typeof invoiceSchema>;

export const subscriptionSchema = z.object({
  state: z.enum(BILLING_STATES),
  /** Absent on a trial. */
  planId: z.enum(PLAN_IDS).optional(),
  /** The plan the subscription moves to at the period's end (a downgrade chosen for later). */
  nextPlanId: z.enum(PLAN_IDS).optional(),
  /** The current period's end: the next renewal, or when a cancellation takes effect. */
  periodEnd: z.number().optional(),
  cancelAtPeriodEnd: z.boolean(),
  /** While in grace: when the business turns read-only unless a payment succeeds. */
  graceUntil: z.number().optional(),
  /** The card as iyzico shows it, e.g. `5528 79** **** 0008`; never the number. */
  cardMask: z.string().optional(),
});
export type Subscription = z.output<typeof subscriptionSchema>;

/** `GET /api/businesses/:tenantId/billing`. */
export const billingAnswer = z.object({
  subscription: subscriptionSchema,
  usage: usageSchema,
  invoices: z.array(invoiceSchema),
});
export type BillingView = z.output<typeof billingAnswer>;

/** `POST …/billing/checkout`: starts iyzico's hosted subscription form for a plan. */
export const checkoutBody = z.object({ planId: z.enum(PLAN_IDS) });
/** Where to send the owner: iyzico's hosted page (the card is entered there, never here). */
export const checkoutAnswer = z.object({ paymentPageUrl: z.url(), token: z.string() });

/** `POST …/billing/plan`: upgrade or downgrade, now (prorated by iyzico) or at the period's end. */
export const changePlanBody = z.object({ planId: z.enum(PLAN_IDS), when: z.enum(['now', 'next-period']) });
/** `POST …/billing/cancel` and `…/billing/resume`: cancel at the period's end, or undo that. */
export const subscriptionAnswer = z.object({ subscription: subscriptionSchema });
/** `POST …/billing/card`: iyzico's hosted card-update form. */
export const cardUpdateAnswer = checkoutAnswer;

/**
 * What a refused use answers (HTTP 402, code `plan_limit`): which limit, the plan's number and
 * the use, with the message in the caller's language.
 */
export const planLimitError = z.object({
  error: z.literal('plan_limit'),
  message: z.string(),
  limit: z.enum(LIMITS),
  allowed: z.number().int(),
  used: z.number().int(),
});
/** What a write answers while the business is read-only (HTTP 402, code `read_only`). */
export const readOnlyError = z.object({ error: z.literal('read_only'), message: z.string() });
