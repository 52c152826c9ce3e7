import { BILLING_STATES, PLAN_IDS } from '@asistone/contract/billing';
import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/** The accounts the hourly sweep has something to do for, by when (not a business: no tenant owns it). */
export const BILLING_DUE = 'billing-due';
/** Which business an iyzico subscription belongs to (iyzico's notifications name no business). */
export const BILLING_SUBSCRIPTIONS = 'billing-subscriptions';

/** Epoch ms as a sortable key (15 digits reach the year 33658). */
export const billingDueKeyOf = (at: number) => String(Math.max(0, Math.floor(at))).padStart(15, '0');

/**
 * A business's subscription as Asistone keeps it, in the business's partition (`t#<tenant>`,
 * `billing`): the plan, the state (contract/billing.ts BILLING_STATES), iyzico's references and
 * the period. iyzico is the truth for what was paid: webhooks are only triggers, and the
 * subscription is read back from iyzico before this record changes (events.ts). No card data:
 * only the mask iyzico shows. Absent: the business is on its trial.
 */
export const BillingAccountRecord = new Entity({
  model: { entity: 'billingAccount', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    state: { type: BILLING_STATES, required: true },
    planId: { type: PLAN_IDS },
    nextPlanId: { type: PLAN_IDS },
    /** iyzico's references. */
    subscriptionRef: { type: 'string' },
    customerRef: { type: 'string' },
    periodStart: { type: 'number' },
    periodEnd: { type: 'number' },
    cancelAtPeriodEnd: { type: 'boolean', required: true, default: false },
    graceUntil: { type: 'number' },
    /** The failed renewal's order, retried while in grace. */
    unpaidOrderRef: { type: 'string' },
    cardMask: { type: 'string' },
    /** When the unpaid order was last charged again (at most once a day while in grace). */
    lastRetryAt: { type: 'number' },
    /** When the subscription was last read back from iyzico. */
    checkedAt: { type: 'number' },
    /** The grace reminders already queued (`first`, `last`), so each is mailed once. */
    remindersSent: { type: 'list', items: { type: 'string' } },
    /**
     * Each write's number: a write made from an older read is refused (subscriptions.ts
     * saveAccount), so the notifications' worker, the sweep and the owner never overwrite one
     * another's change (a cancellation lost to a renewal's read-back would bill a period more).
     */
    version: { type: 'number' },
    /** When the sweep has something to do next (billingDueKeyOf); '' when nothing: out of the index. */
    dueKey: { type: 'string' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'billing', casing: 'none' },
    },
    /**
     * The business of a subscription, across businesses (sparse: written once the subscription
     * exists). iyzico's notification names only its references.
     */
    bySubscription: {
      index: 'gsi1',
      condition: (account) => Boolean(account.subscriptionRef),
      pk: {
        field: 'gsi1pk',
        composite: ['subscriptionRef'],
        template: `t#${BILLING_SUBSCRIPTIONS}#\${subscriptionRef}`,
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: [], template: 'billing', casing: 'none' },
    },
    /**
     * Accounts with something due (a grace retry or reminder, read-only at grace's end, a
     * cancellation or a renewal check at the period's end), across businesses, by when. Sparse:
     * the hourly sweep reads only what is due, never a Scan.
     */
    due: {
      index: 'gsi2',
      condition: (account) => Boolean(account.dueKey),
      pk: { field: 'gsi2pk', composite: [], template: `t#${BILLING_DUE}`, casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['dueKey', 'tenantId'], template: '${dueKey}#${tenantId}', casing: 'none' },
    },
  },
});

/** Hosted forms waiting for iyzico to send the owner back (not a business: found by token). */
export const BILLING_CHECKOUTS = 'billing-checkouts';

/**
 * A hosted form started for a business (a subscription's checkout or a card update): iyzico's
 * callback carries only the token, so the business is found here, never from the request.
 * Kept a day (TTL); `completedAt` makes a second callback with the same token change nothing.
 */
export const BillingCheckoutRecord = new Entity({
  model: { entity: 'billingCheckout', version: '1', service: 'asistone' },
  attributes: {
    token: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true, readOnly: true },
    kind: { type: ['subscribe', 'card-update'] as const, required: true, readOnly: true },
    planId: { type: PLAN_IDS },
    /** Who started it, for the audit entry written when it completes. */
    startedBy: { type: 'string', required: true },
    createdAt: { type: 'number', required: true },
    completedAt: { type: 'number' },
    /** DynamoDB TTL (seconds). */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    byToken: {
      pk: { field: 'pk', composite: ['token'], template: `t#${BILLING_CHECKOUTS}#\${token}`, casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'billingcheckout', casing: 'none' },
    },
  },
});

/**
 * One iyzico notification handled (its `iyziReferenceCode`): written before the work with a
 * conditional put, so a redelivery has no second effect. Kept 30 days (TTL), well past iyzico's
 * three attempts 15 minutes apart.
 */
export const BillingEventReceiptRecord = new Entity({
  model: { entity: 'billingEventReceipt', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    referenceCode: { type: 'string', required: true, readOnly: true },
    receivedAt: { type: 'number', required: true },
    /** Set once its effect is recorded: a delivery that finds it set does nothing. */
    doneAt: { type: 'number' },
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['referenceCode'], template: 'iyzievent#${referenceCode}', casing: 'none' },
    },
  },
});

export const BILLING_ACCOUNT_RECORDS = { billingAccount: BillingAccountRecord };
/** What the subscription's lifecycle keeps beside the account: hosted forms and handled notifications. */
export const BILLING_LIFECYCLE_RECORDS = {
  billingCheckout: BillingCheckoutRecord,
  billingEventReceipt: BillingEventReceiptRecord,
};
export type BillingAccountStore = Store<typeof BILLING_ACCOUNT_RECORDS>;
export type BillingAccount = NonNullable<
  Awaited<ReturnType<ReturnType<BillingAccountStore['entities']['billingAccount']['get']>['go']>>['data']
>;

/** The business's subscription record; undefined while it is on its trial. */
export async function billingAccountOf(
  store: BillingAccountStore,
  tenantId: string,
): Promise<BillingAccount | undefined> {
  return (await store.entities.billingAccount.get({ tenantId }).go({ consistent: true })).data ?? undefined;
}
