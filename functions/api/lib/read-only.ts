import { writableEntitlementOf } from '@asistone/core/billing/plans';
import { BILLING_ACCOUNT_RECORDS, type BillingAccountStore } from '@asistone/core/billing/records';
import { platform } from '@asistone/core/platform/context';
import { BUSINESS_PREFIX, isBusinessRoute, type Route } from './route.js';

/**
 * A read-only business (its grace ran out, or its subscription ended: contract/billing.ts) is
 * read and exported in full, and changed nowhere: every business route that writes answers 402
 * `read_only`, except those that let it pay, get its data out, or leave:
 * - billing (`/businesses/:tenantId/billing…`): subscribing again restores full use at once;
 * - the business's export and deletion request, and a customer's export and erasure (the
 *   business owes its customers those whatever it pays).
 * Routes outside a business (sign-in, sessions, the person's own account) are never refused.
 */
const WRITES_WHILE_READ_ONLY: readonly string[] = [
  `${BUSINESS_PREFIX}privacy/account-export`,
  `${BUSINESS_PREFIX}privacy/account-deletion`,
  `${BUSINESS_PREFIX}contacts/:contactId/export`,
  `${BUSINESS_PREFIX}contacts/:contactId/erase`,
];

/** True for a route the read-only state refuses. */
export function refusedWhileReadOnly(route: Pick<Route, 'method' | 'path'>): boolean {
  if (route.method === 'get' || !isBusinessRoute(route)) return false;
  const rest = route.path.slice(BUSINESS_PREFIX.length);
  if (rest === 'billing' || rest.startsWith('billing/')) return false;
  return !WRITES_WHILE_READ_ONLY.includes(route.path);
}

/**
 * Refuses the write when the business is read-only (ReadOnlyError, answered 402). The
 * subscription is read on every such request, never cached: a payment restores writes at the
 * very next one.
 */
export async function assertWritable(tenantId: string): Promise<void> {
  billing ??= platform().storeOf(BILLING_ACCOUNT_RECORDS);
  await writableEntitlementOf(billing, tenantId);
}

/** The records bound once per process; what they hold is read anew each time. */
let billing: BillingAccountStore | undefined;
