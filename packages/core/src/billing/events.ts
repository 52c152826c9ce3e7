import { isConditionFailure } from '../platform/store/service.js';
import { type BillingDeps, nowOf } from './deps.js';
import { applySubscription, onFreshAccount } from './subscriptions.js';

/**
 * An iyzico subscription notification, as the webhook verified and queued it. It is only a
 * trigger: the subscription is read back from iyzico and what iyzico says is applied.
 */
export interface BillingNotification {
  iyziEventType: string;
  iyziReferenceCode: string;
  subscriptionReferenceCode: string;
  orderReferenceCode?: string | undefined;
}

/** A claim older than this was left by a stopped run and is taken over. */
const CLAIM_MS = 2 * 60_000;
const RECEIPT_TTL_SECONDS = 30 * 24 * 3600;

export type BillingEventOutcome = 'applied' | 'duplicate' | 'unknown-subscription';

/**
 * Handles one notification once: the business is found by the subscription's reference (the
 * directory written when the subscription was made), the notification claimed by its
 * `iyziReferenceCode` (conditional put), the subscription read back and applied, the claim
 * marked done. A redelivery finds the claim done and has no second effect; a run that stopped
 * halfway is taken over after {@link CLAIM_MS}, and what it already did is not done twice
 * (invoices by order, mails by key).
 */
export async function handleBillingEvent(
  deps: BillingDeps,
  notification: BillingNotification,
): Promise<BillingEventOutcome> {
  const { data } = await deps.store.entities.billingAccount.query
    .bySubscription({ subscriptionRef: notification.subscriptionReferenceCode })
    .go();
  const account = data[0];
  if (!account) return 'unknown-subscription';
  const { tenantId } = account;
  const referenceCode = notification.iyziReferenceCode;
  const now = nowOf(deps);
  const receipts = deps.store.entities.billingEventReceipt;
  try {
    await receipts
      .create({ tenantId, referenceCode, receivedAt: now, expiresAt: Math.floor(now / 1000) + RECEIPT_TTL_SECONDS })
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const claim = (await receipts.get({ tenantId, referenceCode }).go()).data;
    if (!claim || claim.doneAt !== undefined) return 'duplicate';
    // Another delivery is at it: back to the queue, to find it done (or stopped) later.
    if (now - claim.receivedAt < CLAIM_MS) throw new Error('notification being handled by another delivery');
  }
  const subscription = await deps.iyzico.retrieve(notification.subscriptionReferenceCode);
  // Read again (and again if another write comes first): the API or the sweep may have changed
  // it since the index was read.
  await onFreshAccount(async () => {
    const current =
      (await deps.store.entities.billingAccount.get({ tenantId }).go({ consistent: true })).data ?? account;
    await applySubscription(deps, current, subscription);
  });
  await receipts
    .patch({ tenantId, referenceCode })
    .set({ doneAt: nowOf(deps) })
    .go({ response: 'none' });
  return 'applied';
}
