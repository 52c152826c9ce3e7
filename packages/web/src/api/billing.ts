import {
  type BillingView,
  billingAnswer,
  cardUpdateAnswer,
  checkoutAnswer,
  type Invoice,
  type PlanId,
  type Subscription,
  subscriptionAnswer,
} from '@asistone/contract/billing';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { request, seg } from './client';
import { downloadPdf } from './download';

export type {
  BillingState,
  BillingView,
  Invoice,
  LimitName,
  Plan,
  PlanId,
  PlanLimits,
  Subscription,
  Usage,
} from '@asistone/contract/billing';
export { BILLING_STATES, LIMITS, PLAN_IDS, PLANS, TRIAL_LIMITS } from '@asistone/contract/billing';

/**
 * Settings › Billing (owner only, `billing.manage`): the subscription through iyzico, this
 * month's usage against the plan, and the invoices. The card is only ever entered on iyzico's
 * hosted pages: subscribing and updating the card answer the page to send the browser to.
 * Every answer is checked against the contract.
 */

const base = (tenantId: string) => `/businesses/${seg(tenantId)}/billing`;

/** Calls the API and reads its answer through the contract's schema. */
async function read<S extends z.ZodType>(schema: S, path: string, options?: Parameters<typeof request>[1]) {
  return schema.parse(await request<unknown>(path, options)) as z.output<S>;
}

export type PlanChangeWhen = 'now' | 'next-period';

export const billingApi = {
  view: (tenantId: string) => read(billingAnswer, base(tenantId)),
  checkout: (tenantId: string, planId: PlanId) =>
    read(checkoutAnswer, `${base(tenantId)}/checkout`, { method: 'POST', body: { planId } }),
  changePlan: (tenantId: string, planId: PlanId, when: PlanChangeWhen) =>
    read(subscriptionAnswer, `${base(tenantId)}/plan`, { method: 'POST', body: { planId, when } }),
  cancel: (tenantId: string) => read(subscriptionAnswer, `${base(tenantId)}/cancel`, { method: 'POST' }),
  resume: (tenantId: string) => read(subscriptionAnswer, `${base(tenantId)}/resume`, { method: 'POST' }),
  updateCard: (tenantId: string) => read(cardUpdateAnswer, `${base(tenantId)}/card`, { method: 'POST' }),
  downloadInvoice: (tenantId: string, invoice: Invoice) =>
    downloadPdf(`${base(tenantId)}/invoices/${seg(invoice.invoiceId)}.pdf`, `${invoice.number}.pdf`),
};

export const billingKeys = {
  view: (tenantId: string) => ['billing', tenantId] as const,
};

/** How often the page looks again while a payment made on iyzico's page is being confirmed. */
const CONFIRMING_POLL_MS = 1_000;

/** Settled after a payment: the subscription is active and the payment's invoice is listed. */
const settled = (view: BillingView | undefined) => view?.subscription.state === 'active' && view.invoices.length > 0;

/**
 * The subscription, usage and invoices. With `awaitingPayment` (back from iyzico's page), asked
 * again every second until the subscription is active and its invoice listed: the payment is
 * confirmed server-side a moment after the browser returns.
 */
export function useBilling(tenantId: string, awaitingPayment = false) {
  return useQuery({
    queryKey: billingKeys.view(tenantId),
    queryFn: () => billingApi.view(tenantId),
    refetchInterval: (current) => (awaitingPayment && !settled(current.state.data) ? CONFIRMING_POLL_MS : false),
  });
}

/** A write answered the new subscription: shown at once, then everything read again (usage, invoices). */
function useSubscriptionChanged(tenantId: string) {
  const client = useQueryClient();
  return ({ subscription }: { subscription: Subscription }) => {
    client.setQueryData<BillingView>(billingKeys.view(tenantId), (view) => view && { ...view, subscription });
    return client.invalidateQueries({ queryKey: billingKeys.view(tenantId) });
  };
}

/** Starts iyzico's hosted subscription form; the caller sends the browser to `paymentPageUrl`. */
export function useCheckout(tenantId: string) {
  return useMutation({ mutationFn: (planId: PlanId) => billingApi.checkout(tenantId, planId) });
}

export function useChangePlan(tenantId: string) {
  const changed = useSubscriptionChanged(tenantId);
  return useMutation({
    mutationFn: ({ planId, when }: { planId: PlanId; when: PlanChangeWhen }) =>
      billingApi.changePlan(tenantId, planId, when),
    onSuccess: changed,
  });
}

export function useCancelSubscription(tenantId: string) {
  const changed = useSubscriptionChanged(tenantId);
  return useMutation({ mutationFn: () => billingApi.cancel(tenantId), onSuccess: changed });
}

export function useResumeSubscription(tenantId: string) {
  const changed = useSubscriptionChanged(tenantId);
  return useMutation({ mutationFn: () => billingApi.resume(tenantId), onSuccess: changed });
}

/** Starts iyzico's hosted card-update form; the caller sends the browser to `paymentPageUrl`. */
export function useUpdateCard(tenantId: string) {
  return useMutation({ mutationFn: () => billingApi.updateCard(tenantId) });
}

export function useDownloadInvoice(tenantId: string) {
  return useMutation({ mutationFn: (invoice: Invoice) => billingApi.downloadInvoice(tenantId, invoice) });
}
