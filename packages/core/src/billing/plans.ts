import { type BillingState, PLANS, type PlanId, type PlanLimits, TRIAL_LIMITS } from '@asistone/contract/billing';
import { ReadOnlyError } from './limits.js';
import { type BillingAccountStore, billingAccountOf } from './records.js';

/**
 * What a business may do now, from its subscription record (one GetItem, never cached: a
 * payment restores full use at the very next request):
 * - no record: the trial, with {@link TRIAL_LIMITS};
 * - `active` or `grace`: the plan's limits (grace keeps everything working while the charge is
 *   retried);
 * - `read-only` or `canceled`: read-only; the limits are the last plan's, for the usage view.
 */
export interface Entitlement {
  state: BillingState;
  planId?: PlanId;
  limits: PlanLimits;
  readOnly: boolean;
}

export async function entitlementOf(store: BillingAccountStore, tenantId: string): Promise<Entitlement> {
  const account = await billingAccountOf(store, tenantId);
  if (!account || account.state === 'trial') {
    return { state: 'trial', limits: TRIAL_LIMITS, readOnly: false };
  }
  const planId: PlanId | undefined = account.planId;
  const limits = planId ? PLANS[planId].limits : TRIAL_LIMITS;
  const readOnly = account.state === 'read-only' || account.state === 'canceled';
  return { state: account.state, ...(planId && { planId }), limits, readOnly };
}

/** The entitlement of a business that may change things; a read-only one is refused. */
export async function writableEntitlementOf(store: BillingAccountStore, tenantId: string): Promise<Entitlement> {
  const entitlement = await entitlementOf(store, tenantId);
  if (entitlement.readOnly) throw new ReadOnlyError();
  return entitlement;
}
