import { recordAuditEvent } from '../audit/audit-log.js';
import { type BillingDeps, nowOf } from './deps.js';
import { IyzicoError } from './iyzico-api.js';
import { queueBillingNotice } from './mail.js';
import { type BillingAccount, billingDueKeyOf } from './records.js';
import { applySubscription, RETRY_EVERY_MS, reminderTimes, saveAccount } from './subscriptions.js';

/** Who the sweep acts as, in the audit log. */
export const BILLING_SWEEP_ACTOR = 'schedule:billing-sweep';

export interface BillingSweepRun {
  visited: number;
  retried: number;
  readOnly: number;
  canceled: number;
  reminded: number;
  failed: string[];
}

/**
 * The hourly sweep: reads the accounts with something due from the sparse `due` index (one
 * Query, never a Scan) and, for each: in grace, charges the unpaid order again once a day
 * (then reads the subscription back), mails the reminders (a day in, two days before the end;
 * once each) and turns it read-only when grace has run out; active with a cancellation asked
 * for, cancels at iyzico once the period has ended; active past its period's end with no
 * notification, reads the subscription back. One business's failure does not stop the others.
 */
export async function sweepBilling(deps: BillingDeps, now = nowOf(deps)): Promise<BillingSweepRun> {
  const run: BillingSweepRun = { visited: 0, retried: 0, readOnly: 0, canceled: 0, reminded: 0, failed: [] };
  const due: BillingAccount[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: BillingAccount[]; cursor: string | null } = await deps.store.entities.billingAccount.query
      .due({})
      .lte({ dueKey: billingDueKeyOf(now) })
      .go({ cursor });
    due.push(...page.data);
    cursor = page.cursor;
  } while (cursor);
  const at = { ...deps, now: () => now };
  for (const listed of due) {
    run.visited++;
    try {
      // Read again: a notification may have changed it since the index was read.
      const account = (
        await deps.store.entities.billingAccount.get({ tenantId: listed.tenantId }).go({ consistent: true })
      ).data;
      if (account) await sweepOne(at, account, now, run);
    } catch {
      run.failed.push(listed.tenantId);
    }
  }
  return run;
}

async function sweepOne(deps: BillingDeps, account: BillingAccount, now: number, run: BillingSweepRun) {
  const ref = account.subscriptionRef;
  if (!ref) return;
  if (account.state === 'grace' && account.graceUntil !== undefined) {
    let current = account;
    if (now - (account.lastRetryAt ?? 0) >= RETRY_EVERY_MS && account.unpaidOrderRef) {
      run.retried++;
      await deps.iyzico.retry(account.unpaidOrderRef).catch((error: unknown) => {
        // A refused charge is the expected outcome of a retry; the read-back tells.
        if (!(error instanceof IyzicoError)) throw error;
      });
      current = await applySubscription(deps, { ...account, lastRetryAt: now }, await deps.iyzico.retrieve(ref));
      if (current.state !== 'grace') return;
    }
    if (now >= account.graceUntil) {
      await saveAccount(deps, { ...current, state: 'read-only' });
      run.readOnly++;
      await queueBillingNotice(deps, account.tenantId, {
        notice: 'read-only',
        date: account.graceUntil,
        orderRef: account.unpaidOrderRef ?? 'unknown',
      });
      return;
    }
    const reminders = reminderTimes(account.graceUntil);
    const sent = [...(current.remindersSent ?? [])];
    const toSend = (['first', 'last'] as const).filter((name) => !sent.includes(name) && now >= reminders[name]);
    if (toSend.length === 0) {
      if (current !== account) return;
      await saveAccount(deps, current);
      return;
    }
    // The last one only when both are due (a sweep that missed a day does not mail twice).
    const notice = toSend.includes('last') ? 'last' : 'first';
    await saveAccount(deps, { ...current, remindersSent: [...sent, ...toSend] });
    run.reminded++;
    await queueBillingNotice(deps, account.tenantId, {
      notice: notice === 'last' ? 'reminder-last' : 'reminder-first',
      date: account.graceUntil,
      orderRef: account.unpaidOrderRef ?? 'unknown',
    });
    return;
  }
  if (account.state === 'active' && account.periodEnd !== undefined && now >= account.periodEnd) {
    if (account.cancelAtPeriodEnd) {
      await deps.iyzico.cancel(ref).catch(async (error: unknown) => {
        // Canceled already (a run stopped before saving): the read-back below says so.
        if (!(error instanceof IyzicoError)) throw error;
      });
      const subscription = await deps.iyzico.retrieve(ref);
      const saved = await applySubscription(deps, account, subscription);
      if (saved.state !== 'canceled')
        await saveAccount(deps, { ...saved, state: 'canceled', cancelAtPeriodEnd: false });
      run.canceled++;
      await recordAuditEvent(deps.store, account.tenantId, {
        action: 'billing.canceled',
        actorId: BILLING_SWEEP_ACTOR,
        detail: { periodEnd: String(account.periodEnd) },
      });
      return;
    }
    // The renewal's notification did not come (iyzico stops after three attempts): read it back.
    await applySubscription(deps, account, await deps.iyzico.retrieve(ref));
  }
}
