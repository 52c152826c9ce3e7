import { randomBytes } from 'node:crypto';
import type { Language } from '@asistone/contract/accounts';
import { GRACE_DAYS, PLAN_IDS, PLANS, type PlanId, type Subscription } from '@asistone/contract/billing';
import type { EntityItem } from 'electrodb';
import type { Actor } from '../accounts/deps.js';
import { accountKeys, loadUser, profileOf } from '../accounts/people.js';
import { recordAuditEvent } from '../audit/audit-log.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { type BillingDeps, DAY_MS, nowOf } from './deps.js';
import { recordInvoice } from './invoices.js';
import type { IyzicoSubscription, IyzicoSubscriptions } from './iyzico-api.js';
import { type BillingNotice, queueBillingNotice } from './mail.js';
import { type BillingAccount, type BillingAccountRecord, billingAccountOf, billingDueKeyOf } from './records.js';

/**
 * A business's subscription through iyzico: checkout on iyzico's hosted form, plan changes now
 * or at the period's end, cancellation at the period's end (iyzico only cancels at once, so
 * Asistone keeps the wish and the sweep cancels when the period ends) and the card's update.
 * iyzico is the truth for what was paid: after every change the subscription is read back and
 * applied ({@link applySubscription}). Each change is audited, never with card data.
 */

/** How long after a period's end the sweep reads the subscription back if no notification came. */
export const RENEWAL_CHECK_MS = 6 * 3600_000;
/** A grace account's unpaid order is charged again at most this often. */
export const RETRY_EVERY_MS = DAY_MS;
const CHECKOUT_TTL_SECONDS = 24 * 3600;

/** When the grace reminders go out: a day into grace, and two days before read-only. */
export function reminderTimes(graceUntil: number): Record<'first' | 'last', number> {
  return { first: graceUntil - (GRACE_DAYS - 1) * DAY_MS, last: graceUntil - 2 * DAY_MS };
}

/** Answers iyzico's pricing plan reference of each plan, creating the catalog once. */
const catalogs = new WeakMap<IyzicoSubscriptions, Promise<Record<string, string>>>();
export function catalogOf(iyzico: IyzicoSubscriptions): Promise<Record<string, string>> {
  let catalog = catalogs.get(iyzico);
  if (!catalog) {
    catalog = iyzico.ensureCatalog(
      PLAN_IDS.map((id) => ({
        id,
        name: `Asistone ${id}`,
        monthlyPrice: PLANS[id].monthlyPrice,
        currency: PLANS[id].currency,
      })),
    );
    catalogs.set(iyzico, catalog);
    catalog.catch(() => catalogs.delete(iyzico));
  }
  return catalog;
}

async function planOfPricingPlan(iyzico: IyzicoSubscriptions, ref: string): Promise<PlanId | undefined> {
  const catalog = await catalogOf(iyzico);
  return PLAN_IDS.find((id) => catalog[id] === ref);
}

/** When the sweep next has something to do for the account ('' when nothing). */
export function dueKeyFor(account: Partial<BillingAccount>): string {
  const at = dueAt(account);
  return at === undefined ? '' : billingDueKeyOf(at);
}

function dueAt(account: Partial<BillingAccount>): number | undefined {
  if (account.state === 'grace' && account.graceUntil !== undefined) {
    const reminders = reminderTimes(account.graceUntil);
    const sent = account.remindersSent ?? [];
    return Math.min(
      account.graceUntil,
      (account.lastRetryAt ?? 0) + RETRY_EVERY_MS,
      ...(['first', 'last'] as const).filter((name) => !sent.includes(name)).map((name) => reminders[name]),
    );
  }
  if (account.state === 'active' && account.periodEnd !== undefined) {
    if (account.cancelAtPeriodEnd) return account.periodEnd;
    return Math.max(account.periodEnd + RENEWAL_CHECK_MS, (account.checkedAt ?? 0) + DAY_MS);
  }
  return undefined;
}

/** The account as written: everything but what the write computes. */
export type AccountFields = Omit<EntityItem<typeof BillingAccountRecord>, 'updatedAt' | 'dueKey'>;

/**
 * The account changed since it was read: the change is to be made again on what is stored now
 * (the notifications' worker by the queue's redelivery, the sweep on its next run, the owner's
 * action at once by {@link onFreshAccount}). Not a permanent error: retrying succeeds.
 */
export class StaleAccountError extends Error {
  override name = 'StaleAccountError';
}

/**
 * Writes the whole account with its place in the sweep's index, only if nobody wrote it since
 * it was read (its `version`); else {@link StaleAccountError}.
 */
export async function saveAccount(deps: Pick<BillingDeps, 'store'>, account: AccountFields): Promise<BillingAccount> {
  const read = account.version;
  const item = { ...account, version: (read ?? 0) + 1, dueKey: dueKeyFor(account) };
  try {
    await deps.store.entities.billingAccount
      .put(item)
      .where((attr, op) => (read === undefined ? op.notExists(attr.version) : op.eq(attr.version, read)))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) throw new StaleAccountError('the subscription changed since it was read');
    throw error;
  }
  return { ...item, updatedAt: Date.now() } as BillingAccount;
}

/** Runs an owner's change on the account as stored, again if another write came first (a few times). */
export async function onFreshAccount<T>(change: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof StaleAccountError) || attempt >= 4) throw error;
    }
  }
}

export function subscriptionView(account: BillingAccount | undefined): Subscription {
  if (!account) return { state: 'trial', cancelAtPeriodEnd: false };
  return {
    state: account.state,
    ...(account.planId ? { planId: account.planId } : {}),
    ...(account.nextPlanId ? { nextPlanId: account.nextPlanId } : {}),
    ...(account.periodEnd !== undefined ? { periodEnd: account.periodEnd } : {}),
    cancelAtPeriodEnd: account.cancelAtPeriodEnd,
    ...(account.state === 'grace' && account.graceUntil !== undefined ? { graceUntil: account.graceUntil } : {}),
    ...(account.cardMask ? { cardMask: account.cardMask } : {}),
  };
}

const PAID = 'SUCCESS';

/**
 * Applies what iyzico says of the subscription to the business's account: a paid newest order
 * makes it `active` at once (from grace or read-only too), moves the period, applies the plan
 * (a next-period change shows in iyzico's pricing plan once the renewal made it so) and records
 * each paid order's invoice once; an unpaid newest order starts grace (once: its end does not
 * move with later notifications) and mails the owner and admins; a canceled or expired
 * subscription ends it. Answers the account as saved.
 */
export async function applySubscription(
  deps: BillingDeps,
  account: AccountFields,
  subscription: IyzicoSubscription,
): Promise<BillingAccount> {
  const now = nowOf(deps);
  const next: AccountFields = { ...account, checkedAt: now };
  const planId = (await planOfPricingPlan(deps.iyzico, subscription.pricingPlanReferenceCode)) ?? account.planId;
  if (planId) next.planId = planId;
  if (next.nextPlanId && next.nextPlanId === next.planId) next.nextPlanId = undefined;
  next.subscriptionRef = subscription.referenceCode;
  next.customerRef = subscription.customerReferenceCode;

  const orders = subscription.orders;
  for (const order of orders.filter((o) => o.orderStatus === PAID)) {
    if (!planId) break;
    await recordInvoice(deps, account.tenantId, { order, subscriptionRef: subscription.referenceCode, planId }, now);
  }
  const newest = orders.at(-1);
  const status = subscription.subscriptionStatus;
  let notice: { notice: BillingNotice; orderRef: string; date: number } | undefined;

  if (status === 'CANCELED' || status === 'EXPIRED') {
    next.state = 'canceled';
    next.cancelAtPeriodEnd = false;
    next.graceUntil = undefined;
    next.unpaidOrderRef = undefined;
  } else if (newest && newest.orderStatus === PAID && status !== 'UNPAID') {
    next.state = 'active';
    next.periodStart = newest.startPeriod;
    next.periodEnd = newest.endPeriod;
    next.graceUntil = undefined;
    next.unpaidOrderRef = undefined;
    next.lastRetryAt = undefined;
    next.remindersSent = undefined;
  } else if (status === 'UNPAID' || (newest && newest.orderStatus !== PAID && status === 'ACTIVE')) {
    const unpaid = [...orders].reverse().find((o) => o.orderStatus !== PAID);
    if (account.state === 'active' || account.state === 'trial' || next.unpaidOrderRef !== unpaid?.referenceCode) {
      if (account.state !== 'read-only') {
        next.state = 'grace';
        next.graceUntil = now + GRACE_DAYS * DAY_MS;
        next.lastRetryAt = now;
        next.remindersSent = undefined;
        notice = { notice: 'payment-failed', orderRef: unpaid?.referenceCode ?? 'unknown', date: next.graceUntil };
      }
      next.unpaidOrderRef = unpaid?.referenceCode;
    }
  } else if (status === 'ACTIVE' || status === 'UPGRADED') {
    // Active with no order yet (a hosted form just completed): active from now.
    next.state = 'active';
  }
  const saved = await saveAccount(deps, next);
  if (notice) await queueBillingNotice(deps, account.tenantId, notice);
  return saved;
}

/** The account, or NotFound-like conflict when the business has no subscription to act on. */
async function subscribedAccount(
  deps: BillingDeps,
  tenantId: string,
): Promise<BillingAccount & { subscriptionRef: string }> {
  const account = await billingAccountOf(deps.store, tenantId);
  if (!account?.subscriptionRef || account.state === 'canceled' || account.state === 'trial') {
    throw new ConflictError('The business has no subscription');
  }
  return account as BillingAccount & { subscriptionRef: string };
}

const callbackUrlOf = (deps: Pick<BillingDeps, 'appUrl'>) => `${deps.appUrl}/api/billing/callback`;

async function rememberForm(
  deps: BillingDeps,
  form: { token: string },
  facts: { tenantId: string; kind: 'subscribe' | 'card-update'; planId?: PlanId; startedBy: string },
) {
  const now = nowOf(deps);
  await deps.store.entities.billingCheckout
    .create({ token: form.token, ...facts, createdAt: now, expiresAt: Math.floor(now / 1000) + CHECKOUT_TTL_SECONDS })
    .go({ response: 'none' });
}

/** The caller as iyzico's customer: their name and address, the business as the address. */
async function customerOf(deps: BillingDeps, actor: Actor, tenantId: string) {
  const user = await loadUser(deps, actor.userId);
  if (!user) throw new NotFoundError('No such person');
  const profile = profileOf(await accountKeys(deps), user);
  const [name = profile.name, ...rest] = profile.name.trim().split(/\s+/);
  const surname = rest.join(' ') || name;
  const tenant = (await deps.store.entities.tenant.get({ tenantId }).go()).data;
  const business = tenant ? (await deps.keyring.forTenant(tenantId)).open('tenant', 'name', tenantId, tenant.name) : '';
  return {
    name,
    surname,
    email: profile.email,
    billingAddress: {
      contactName: profile.name,
      city: 'Istanbul',
      country: 'Turkey',
      address: business || profile.name,
    },
  };
}

/**
 * Starts iyzico's hosted subscription form for a plan (owner only: the route's `billing.manage`).
 * The token is remembered with the business, so iyzico's callback finds it without trusting
 * anything the browser sends.
 */
export async function startCheckout(
  deps: BillingDeps,
  actor: Actor,
  tenantId: string,
  planId: PlanId,
  locale: Language = 'tr',
): Promise<{ paymentPageUrl: string; token: string }> {
  const account = await billingAccountOf(deps.store, tenantId);
  if (account?.subscriptionRef && account.state !== 'canceled') {
    throw new ConflictError('The business already has a subscription: change its plan instead');
  }
  const catalog = await catalogOf(deps.iyzico);
  const pricingPlanReferenceCode = catalog[planId];
  if (!pricingPlanReferenceCode) throw new Error(`iyzico's catalog has no pricing plan for ${planId}`);
  const form = await deps.iyzico.initCheckout({
    conversationId: `business:${tenantId}:${randomBytes(6).toString('hex')}`,
    callbackUrl: callbackUrlOf(deps),
    pricingPlanReferenceCode,
    customer: await customerOf(deps, actor, tenantId),
    locale,
  });
  await rememberForm(deps, form, { tenantId, kind: 'subscribe', planId, startedBy: actor.userId });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'billing.checkout_started',
    actorId: actor.userId,
    sourceAddress: actor.sourceAddress,
    detail: { planId },
  });
  return { paymentPageUrl: form.paymentPageUrl, token: form.token };
}

/**
 * iyzico sent the owner back with a hosted form's token: a subscription's checkout or a card
 * update. The business comes from the remembered token; the outcome from iyzico. A second
 * callback with the same token changes nothing.
 */
export async function completeHostedForm(
  deps: BillingDeps,
  token: string,
): Promise<{ tenantId: string; kind: 'subscribe' | 'card-update'; changed: boolean }> {
  const form = (await deps.store.entities.billingCheckout.get({ token }).go()).data;
  if (!form) throw new NotFoundError('No such checkout');
  const done = { tenantId: form.tenantId, kind: form.kind };
  if (form.completedAt !== undefined) return { ...done, changed: false };

  if (form.kind === 'subscribe') {
    const result = await deps.iyzico.checkoutResult(token);
    const subscription = await deps.iyzico.retrieve(result.subscriptionReferenceCode);
    const account = await billingAccountOf(deps.store, form.tenantId);
    await applySubscription(
      deps,
      {
        ...(account ?? { tenantId: form.tenantId, state: 'trial', cancelAtPeriodEnd: false }),
        ...(account?.state === 'canceled' ? { state: 'trial' as const, nextPlanId: undefined } : {}),
        ...(form.planId ? { planId: form.planId } : {}),
        subscriptionRef: result.subscriptionReferenceCode,
        customerRef: result.customerReferenceCode,
      },
      subscription,
    );
    await recordAuditEvent(deps.store, form.tenantId, {
      action: 'billing.subscribed',
      actorId: form.startedBy,
      detail: { planId: form.planId ?? '' },
    });
  } else {
    let account = await subscribedAccount(deps, form.tenantId);
    // A new card: the unpaid renewal is charged with it at once.
    if (account.unpaidOrderRef) await deps.iyzico.retry(account.unpaidOrderRef).catch(() => undefined);
    account = {
      ...account,
      ...(await applySubscription(deps, account, await deps.iyzico.retrieve(account.subscriptionRef))),
    };
    await recordAuditEvent(deps.store, form.tenantId, { action: 'billing.card_updated', actorId: form.startedBy });
  }
  try {
    await deps.store.entities.billingCheckout
      .patch({ token })
      .set({ completedAt: nowOf(deps) })
      .where(({ completedAt }, { notExists }) => notExists(completedAt))
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return { ...done, changed: true };
}

/** Upgrade or downgrade: at once (iyzico prorates) or at the period's end (`nextPlanId` until then). */
export async function changePlan(
  deps: BillingDeps,
  actor: Actor,
  tenantId: string,
  planId: PlanId,
  when: 'now' | 'next-period',
): Promise<Subscription> {
  const account = await subscribedAccount(deps, tenantId);
  if (planId === account.planId && (when === 'now' || !account.nextPlanId)) {
    throw new ConflictError('The business is on this plan already');
  }
  const catalog = await catalogOf(deps.iyzico);
  const ref = catalog[planId];
  if (!ref) throw new Error(`iyzico's catalog has no pricing plan for ${planId}`);
  await deps.iyzico.upgrade(account.subscriptionRef, {
    newPricingPlanReferenceCode: ref,
    upgradePeriod: when === 'now' ? 'NOW' : 'NEXT_PERIOD',
  });
  // iyzico made the change; what Asistone keeps of it is written on the account as it is now.
  const saved = await onFreshAccount(async () => {
    const current = await subscribedAccount(deps, tenantId);
    if (when === 'now') {
      const subscription = await deps.iyzico.retrieve(current.subscriptionRef);
      return applySubscription(deps, { ...current, nextPlanId: undefined }, subscription);
    }
    return saveAccount(deps, { ...current, nextPlanId: planId === current.planId ? undefined : planId });
  });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'billing.plan_changed',
    actorId: actor.userId,
    sourceAddress: actor.sourceAddress,
    detail: { from: account.planId ?? '', to: planId, when },
  });
  return subscriptionView(saved);
}

/** Ends the subscription when the current period ends (the sweep cancels it at iyzico then). */
export async function cancelAtPeriodEnd(deps: BillingDeps, actor: Actor, tenantId: string): Promise<Subscription> {
  const saved = await onFreshAccount(async () => {
    const account = await subscribedAccount(deps, tenantId);
    return account.cancelAtPeriodEnd ? account : saveAccount(deps, { ...account, cancelAtPeriodEnd: true });
  });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'billing.cancel_scheduled',
    actorId: actor.userId,
    sourceAddress: actor.sourceAddress,
    detail: { periodEnd: String(saved.periodEnd ?? '') },
  });
  return subscriptionView(saved);
}

/** Takes back a cancellation before the period ends. */
export async function resume(deps: BillingDeps, actor: Actor, tenantId: string): Promise<Subscription> {
  let resumed = false;
  const saved = await onFreshAccount(async () => {
    const account = await subscribedAccount(deps, tenantId);
    if (!account.cancelAtPeriodEnd) return account;
    resumed = true;
    return saveAccount(deps, { ...account, cancelAtPeriodEnd: false });
  });
  if (!resumed) return subscriptionView(saved);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'billing.resumed',
    actorId: actor.userId,
    sourceAddress: actor.sourceAddress,
  });
  return subscriptionView(saved);
}

/** iyzico's hosted card-update form; its callback charges an unpaid renewal with the new card. */
export async function startCardUpdate(
  deps: BillingDeps,
  actor: Actor,
  tenantId: string,
  locale: Language = 'tr',
): Promise<{ paymentPageUrl: string; token: string }> {
  const account = await subscribedAccount(deps, tenantId);
  const form = await deps.iyzico.initCardUpdate({
    subscriptionReferenceCode: account.subscriptionRef,
    callbackUrl: callbackUrlOf(deps),
    locale,
  });
  await rememberForm(deps, form, { tenantId, kind: 'card-update', startedBy: actor.userId });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'billing.card_update_started',
    actorId: actor.userId,
    sourceAddress: actor.sourceAddress,
  });
  return { paymentPageUrl: form.paymentPageUrl, token: form.token };
}
