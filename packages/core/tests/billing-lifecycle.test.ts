import { GRACE_DAYS, PLANS } from '@asistone/contract/billing';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBusiness } from '../src/accounts/businesses.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { createAccount } from '../src/accounts/people.js';
import { ACCOUNT_RECORDS } from '../src/accounts/records.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { BILLING_RECORDS, type BillingDeps } from '../src/billing/deps.js';
import { handleBillingEvent } from '../src/billing/events.js';
import { listInvoices } from '../src/billing/invoices.js';
import { billingAccountOf } from '../src/billing/records.js';
import {
  applySubscription,
  cancelAtPeriodEnd,
  changePlan,
  completeHostedForm,
  resume,
  StaleAccountError,
  startCardUpdate,
  startCheckout,
} from '../src/billing/subscriptions.js';
import { sweepBilling } from '../src/billing/sweep.js';
import type { DeliverMailMessage } from '../src/notify/mail-messages.js';
import { RETENTION_DAYS } from '../src/platform/data-classes.js';
import {
  type AccountDeletionRunDeps,
  requestAccountDeletion,
  runDueAccountDeletions,
} from '../src/privacy/account-deletion.js';
import { DATA_CLASSES } from '../src/privacy/catalog.js';
import { PRIVACY_REQUEST_RECORDS } from '../src/privacy/privacy-requests.js';
import { purgeRetention } from '../src/privacy/purge.js';
import { PRIVACY_RECORDS } from '../src/privacy/records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { type MemoryIyzico, memoryIyzico } from './support/iyzico-memory.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * A subscription's whole life against the DynamoDB emulator, with iyzico kept in memory behind
 * the interface the billing code uses: checkout (once, however often iyzico calls back),
 * renewals by notification (once, however often delivered), a failed renewal through grace to
 * read-only and back, plan changes, cancellation at the period's end, and the business's
 * deletion, which keeps the invoices and nothing else.
 */
const DAY = 86_400_000;
const PASSWORD = 'correct horse battery staple';
const OWNER = { userId: 'u_bill_owner', sourceAddress: '85.105.1.2', userAgent: 'vitest' };
const ADMIN = 'u_bill_admin';
const SHOP = { tenantId: 'b_bill_shop', name: 'Kahve Dükkanı' };
const OTHER = { tenantId: 'b_bill_other', name: 'Çiçek Evi' };

let test: TestPlatform;
let iyzico: MemoryIyzico;
let deps: BillingDeps;
let clock = Date.UTC(2026, 11, 1, 9);
const mails: DeliverMailMessage[] = [];

const billingMails = () => mails.filter((mail) => mail.mail.kind === 'billing-notice');
const account = (tenantId = SHOP.tenantId) => billingAccountOf(deps.store, tenantId);
const invoices = (tenantId = SHOP.tenantId) => listInvoices(deps.store, tenantId);

async function seed(business: typeof SHOP, ownerId: string) {
  const { store, keyring } = test.platform;
  await createAccount(
    { store, keyring },
    {
      userId: ownerId,
      name: 'Ayşe Kaya',
      email: `${ownerId}@example.com`,
      passwordHash: await hashPassword(PASSWORD),
      language: 'tr',
    },
  );
  await createBusiness({ store, keyring }, { tenantId: business.tenantId, name: business.name, ownerId });
}

/** Subscribes a business to a plan through the hosted form; answers the subscription's reference. */
async function subscribe(tenantId: string, ownerId: string, planId: 'starter' | 'growth' | 'scale') {
  const form = await startCheckout(deps, { ...OWNER, userId: ownerId }, tenantId, planId);
  const ref = iyzico.pay(form.token, clock);
  await completeHostedForm(deps, form.token);
  return { ref, token: form.token };
}

beforeAll(async () => {
  test = await startTestPlatform();
  iyzico = memoryIyzico();
  deps = {
    store: test.platform.storeOf({
      ...ACCOUNT_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...BILLING_RECORDS,
    }),
    keyring: test.platform.keyring,
    iyzico,
    mails: { enqueue: async (message) => void mails.push(message) },
    appUrl: 'https://app.test',
    seller: { name: 'Asistone Yazılım A.Ş.', address: 'İstanbul, Türkiye' },
    now: () => clock,
  };
  await seed(SHOP, OWNER.userId);
  await test.platform.store.entities.membership.create({ tenantId: SHOP.tenantId, userId: ADMIN, role: 'admin' }).go();
  await createAccount(
    { store: test.platform.store, keyring: test.platform.keyring },
    {
      userId: ADMIN,
      name: 'Can Admin',
      email: 'admin@example.com',
      passwordHash: await hashPassword(PASSWORD),
      language: 'en',
    },
  );
  await seed(OTHER, 'u_bill_other');
}, 60_000);
afterAll(() => test?.stop());
beforeEach(() => {
  mails.length = 0;
});

describe('checkout', () => {
  it('completes once however often iyzico calls back: active on growth, one invoice', async () => {
    const form = await startCheckout(deps, OWNER, SHOP.tenantId, 'growth');
    expect(form.paymentPageUrl).toMatch(/^https:\/\/iyzico\.test\//);
    const init = iyzico.calls.find((call) => call.name === 'initCheckout')?.args[0] as {
      callbackUrl: string;
      conversationId: string;
    };
    expect(init.callbackUrl).toBe('https://app.test/api/billing/callback');
    expect(init.conversationId).toContain(SHOP.tenantId);
    // Nothing changes before iyzico says it was paid.
    expect(await account()).toBeUndefined();

    iyzico.pay(form.token, clock);
    expect(await completeHostedForm(deps, form.token)).toEqual({
      tenantId: SHOP.tenantId,
      kind: 'subscribe',
      changed: true,
    });
    expect(await completeHostedForm(deps, form.token)).toEqual({
      tenantId: SHOP.tenantId,
      kind: 'subscribe',
      changed: false,
    });

    const saved = await account();
    expect(saved).toMatchObject({ state: 'active', planId: 'growth', cancelAtPeriodEnd: false });
    expect(saved?.periodEnd).toBe(clock + 30 * DAY);
    const [invoice, ...more] = await invoices();
    expect(more).toHaveLength(0);
    expect(invoice).toMatchObject({
      planId: 'growth',
      total: PLANS.growth.monthlyPrice,
      vat: '249.83',
      vatRate: '20%',
      currency: 'TRY',
      buyerName: SHOP.name,
      status: 'paid',
    });
    expect(invoice?.number).toMatch(/^AS-2026-\d{6}$/);
    // Invoices live outside the business's partition and hold no card data.
    const raw = (await test.dumpTable()).filter(
      (item) => item.sk === `invoice#${invoice?.issuedAt}#${invoice?.invoiceId}`,
    );
    expect(raw).toHaveLength(1);
    expect(raw[0]?.pk).toBe(`billing#${SHOP.tenantId}`);
    expect(JSON.stringify(raw[0])).not.toMatch(/card|5528/i);
    const actions = (await readAuditLog(deps.store, SHOP.tenantId, {})).events.map((event) => event.action);
    expect(actions.filter((action) => action === 'billing.subscribed')).toHaveLength(1);
    expect(actions).toContain('billing.checkout_started');
    // A second checkout while subscribed is refused.
    await expect(startCheckout(deps, OWNER, SHOP.tenantId, 'scale')).rejects.toThrow(/already has a subscription/);
  });

  it('numbers invoices sequentially across businesses', async () => {
    await subscribe(OTHER.tenantId, 'u_bill_other', 'starter');
    const [mine] = await invoices();
    const [theirs] = await invoices(OTHER.tenantId);
    const n = (number = '') => Number(number.slice(-6));
    expect(n(theirs?.number)).toBe(n(mine?.number) + 1);
  });
});

describe('notifications', () => {
  it('a redelivered renewal notification has one effect: one invoice, the period moved once', async () => {
    const before = await account();
    const ref = before?.subscriptionRef as string;
    clock = (before?.periodEnd as number) + 60_000;
    const notification = iyzico.renew(ref, 'success', clock);
    expect(await handleBillingEvent(deps, notification)).toBe('applied');
    expect(await handleBillingEvent(deps, notification)).toBe('duplicate');
    expect(await handleBillingEvent(deps, notification)).toBe('duplicate');
    expect(await invoices()).toHaveLength(2);
    expect((await account())?.periodEnd).toBe((before?.periodEnd as number) + 30 * DAY);
    expect(billingMails()).toHaveLength(0);
  });

  it('an unknown subscription changes nothing', async () => {
    const before = await test.dumpTable();
    expect(
      await handleBillingEvent(deps, {
        iyziEventType: 'subscription.order.success',
        iyziReferenceCode: 'evt-forged',
        subscriptionReferenceCode: 'sub-nobody',
      }),
    ).toBe('unknown-subscription');
    expect(await test.dumpTable()).toEqual(before);
  });
});

describe('a failed renewal', () => {
  let graceStart = 0;

  it('starts grace with one notice to owner and admin, however often delivered', async () => {
    const before = await account();
    clock = (before?.periodEnd as number) + 60_000;
    graceStart = clock;
    const notification = iyzico.renew(before?.subscriptionRef as string, 'failure', clock);
    await handleBillingEvent(deps, notification);
    await handleBillingEvent(deps, notification);
    const saved = await account();
    expect(saved).toMatchObject({ state: 'grace', unpaidOrderRef: notification.orderReferenceCode });
    expect(saved?.graceUntil).toBe(graceStart + GRACE_DAYS * DAY);
    expect(billingMails()).toHaveLength(2);
    expect(new Set(billingMails().map((mail) => mail.mail.idempotencyKey)).size).toBe(2);
    expect(await invoices()).toHaveLength(2);
  });

  it('is retried daily by the sweep and reminded on day 1 and two days before read-only, once each', async () => {
    const retries = () => iyzico.calls.filter((call) => call.name === 'retry').length;
    const start = retries();
    // An hour later: nothing due yet (the other business's renewal check aside).
    expect(await sweepBilling(deps, graceStart + 3600_000)).toMatchObject({ retried: 0, reminded: 0, readOnly: 0 });
    const day1 = await sweepBilling(deps, graceStart + DAY + 60_000);
    expect(day1).toMatchObject({ retried: 1, reminded: 1, readOnly: 0 });
    expect(retries()).toBe(start + 1);
    // The same day again: nothing more.
    const again = await sweepBilling(deps, graceStart + DAY + 3600_000);
    expect(again).toMatchObject({ retried: 0, reminded: 0 });
    await sweepBilling(deps, graceStart + (GRACE_DAYS - 2) * DAY + 60_000);
    await sweepBilling(deps, graceStart + (GRACE_DAYS - 2) * DAY + 3600_000);
    const kinds = billingMails().map((mail) => mail.mail.idempotencyKey.split('/')[1]);
    expect(kinds.filter((kind) => kind === 'reminder-first')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'reminder-last')).toHaveLength(2);
    expect((await account())?.state).toBe('grace');
  });

  it('turns read-only after GRACE_DAYS, with a notice', async () => {
    mails.length = 0;
    const run = await sweepBilling(deps, graceStart + GRACE_DAYS * DAY + 60_000);
    expect(run.readOnly).toBe(1);
    expect((await account())?.state).toBe('read-only');
    expect(billingMails().map((mail) => mail.mail.idempotencyKey.split('/')[1])).toEqual(['read-only', 'read-only']);
    // Nothing more to do until a payment comes: no retries, no mails.
    const retries = iyzico.calls.filter((call) => call.name === 'retry').length;
    expect(await sweepBilling(deps, graceStart + (GRACE_DAYS + 2) * DAY)).toMatchObject({ retried: 0, reminded: 0 });
    expect(iyzico.calls.filter((call) => call.name === 'retry').length).toBe(retries);
    expect(billingMails()).toHaveLength(2);
  });

  it('a successful payment restores full use at once', async () => {
    const saved = await account();
    iyzico.retriesSucceed = true;
    await iyzico.retry(saved?.unpaidOrderRef as string);
    iyzico.retriesSucceed = false;
    clock = graceStart + (GRACE_DAYS + 3) * DAY;
    await handleBillingEvent(deps, {
      iyziEventType: 'subscription.order.success',
      iyziReferenceCode: 'evt-paid-late',
      subscriptionReferenceCode: saved?.subscriptionRef as string,
      orderReferenceCode: saved?.unpaidOrderRef,
    });
    const after = await account();
    expect(after).toMatchObject({ state: 'active' });
    expect(after?.graceUntil).toBeUndefined();
    expect(after?.unpaidOrderRef).toBeUndefined();
    expect(await invoices()).toHaveLength(3);
  });
});

describe('plans', () => {
  it('changes now: upgraded at iyzico (NOW), the plan applied at once, its charge invoiced', async () => {
    clock += DAY;
    const answer = await changePlan(deps, OWNER, SHOP.tenantId, 'scale', 'now');
    expect(answer).toMatchObject({ state: 'active', planId: 'scale' });
    expect(iyzico.calls.filter((call) => call.name === 'upgrade').at(-1)?.args[1]).toMatchObject({
      upgradePeriod: 'NOW',
    });
    expect((await invoices())[0]).toMatchObject({ planId: 'scale', total: PLANS.scale.monthlyPrice });
    await expect(changePlan(deps, OWNER, SHOP.tenantId, 'scale', 'now')).rejects.toThrow(/on this plan/);
  });

  it('changes at the next period: shown as nextPlanId until the renewal applies it', async () => {
    const answer = await changePlan(deps, OWNER, SHOP.tenantId, 'starter', 'next-period');
    expect(answer).toMatchObject({ planId: 'scale', nextPlanId: 'starter' });
    expect(iyzico.calls.filter((call) => call.name === 'upgrade').at(-1)?.args[1]).toMatchObject({
      upgradePeriod: 'NEXT_PERIOD',
    });
    const before = await account();
    clock = (before?.periodEnd as number) + 60_000;
    await handleBillingEvent(deps, iyzico.renew(before?.subscriptionRef as string, 'success', clock));
    const after = await account();
    expect(after).toMatchObject({ state: 'active', planId: 'starter' });
    expect(after?.nextPlanId).toBeUndefined();
    expect((await invoices())[0]).toMatchObject({ planId: 'starter', total: PLANS.starter.monthlyPrice });
  });
});

describe('cancellation at the period end', () => {
  it("is not lost to a renewal's read-back that read the subscription before it", async () => {
    const before = (await account()) as NonNullable<Awaited<ReturnType<typeof account>>>;
    const subscription = await iyzico.retrieve(before.subscriptionRef as string);
    // The owner cancels while the notification's worker holds its earlier read.
    await cancelAtPeriodEnd(deps, OWNER, SHOP.tenantId);
    await expect(applySubscription(deps, before, subscription)).rejects.toBeInstanceOf(StaleAccountError);
    expect(await account()).toMatchObject({ cancelAtPeriodEnd: true });
    // Applied again on what is stored now, the read-back keeps the cancellation.
    const fresh = (await account()) as NonNullable<Awaited<ReturnType<typeof account>>>;
    expect(await applySubscription(deps, fresh, subscription)).toMatchObject({ cancelAtPeriodEnd: true });
    await resume(deps, OWNER, SHOP.tenantId);
  });

  it('resume takes it back; cancel waits for the period end, then the sweep cancels at iyzico', async () => {
    await cancelAtPeriodEnd(deps, OWNER, SHOP.tenantId);
    expect((await resume(deps, OWNER, SHOP.tenantId)).cancelAtPeriodEnd).toBe(false);
    const answer = await cancelAtPeriodEnd(deps, OWNER, SHOP.tenantId);
    expect(answer).toMatchObject({ state: 'active', cancelAtPeriodEnd: true });
    const periodEnd = (await account())?.periodEnd as number;
    const cancels = () => iyzico.calls.filter((call) => call.name === 'cancel').length;
    await sweepBilling(deps, periodEnd - 3600_000);
    expect(cancels()).toBe(0);
    expect((await account())?.state).toBe('active');
    const run = await sweepBilling(deps, periodEnd + 60_000);
    expect(run.canceled).toBe(1);
    expect(cancels()).toBe(1);
    expect(await account()).toMatchObject({ state: 'canceled', cancelAtPeriodEnd: false });
    expect((await sweepBilling(deps, periodEnd + 2 * DAY)).canceled).toBe(0);
    expect(cancels()).toBe(1);
    const actions = (await readAuditLog(deps.store, SHOP.tenantId, {})).events.map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['billing.cancel_scheduled', 'billing.resumed', 'billing.canceled']),
    );
    // No card-update form for a subscription that ended.
    await expect(startCardUpdate(deps, OWNER, SHOP.tenantId)).rejects.toThrow(/no subscription/);
  });
});

describe("the business's deletion", () => {
  it('keeps the invoices (outside the business, in plain text) and removes everything else of it', async () => {
    const kept = await invoices();
    expect(kept.length).toBeGreaterThanOrEqual(5);
    const other = (await test.dumpTable()).filter((item) => JSON.stringify(item).includes(OTHER.tenantId));
    const store = test.platform.storeOf({
      ...ACCOUNT_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...PRIVACY_RECORDS,
      ...PRIVACY_REQUEST_RECORDS,
    });
    const log = new Logger({ logLevel: 'SILENT' });
    const requested = Date.now();
    await requestAccountDeletion(
      { store, keyring: test.platform.keyring, appUrl: 'https://app.test', mails: { enqueue: async () => {} } },
      OWNER,
      SHOP.tenantId,
      { businessName: SHOP.name, password: PASSWORD },
      requested,
    );
    const runDeps: AccountDeletionRunDeps = {
      dynamo: test.platform.aws.dynamo,
      table: test.env.TABLE_NAME as string,
      blobs: test.platform.blobs,
      store,
      dataClasses: DATA_CLASSES,
      keyring: test.platform.keyring,
      releaseChannels: async () => 0,
      log,
    };
    const run = await runDueAccountDeletions(runDeps, requested + 8 * DAY);
    expect(run.failed).toEqual([]);
    expect(run.deleted.map((deleted) => deleted.tenantId)).toEqual([SHOP.tenantId]);

    const left = (await test.dumpTable()).filter((item) => JSON.stringify(item).includes(SHOP.tenantId));
    const kinds = new Set(left.map((item) => String(item.__edb_e__)));
    // The invoices, their orders and the business's id among the invoiced ones (for the
    // retention purge), and the deletion's own request and receipt: nothing else.
    expect([...kinds].sort()).toEqual(
      ['invoice', 'invoiceOrder', 'invoicedBusiness', 'privacyRequest', 'purgeReceipt'].sort(),
    );
    expect(await account()).toBeUndefined();
    expect(await invoices()).toEqual(kept);
    // Readable without the business's key, which is gone.
    expect(kept[0]?.buyerName).toBe(SHOP.name);
    // The other business is untouched.
    expect((await test.dumpTable()).filter((item) => JSON.stringify(item).includes(OTHER.tenantId))).toEqual(other);
  });

  it('the retention purge removes them once the legal period has passed, not before', async () => {
    const purgeDeps = {
      dynamo: test.platform.aws.dynamo,
      table: test.env.TABLE_NAME as string,
      blobs: test.platform.blobs,
      store: test.platform.storeOf({ ...PRIVACY_RECORDS, ...TENANCY_RECORDS }),
      dataClasses: DATA_CLASSES,
    };
    const kept = await invoices();
    const newest = Math.max(...kept.map((invoice) => invoice.issuedAt));
    const oldest = Math.min(...kept.map((invoice) => invoice.issuedAt));
    const by = 'schedule:retention-purge';
    await purgeRetention(purgeDeps, { now: oldest + (RETENTION_DAYS.billing - 1) * DAY, by });
    expect(await invoices()).toEqual(kept);
    await purgeRetention(purgeDeps, { now: newest + RETENTION_DAYS.billing * DAY + 60_000, by });
    expect(await invoices()).toEqual([]);
    // The living business's invoices are as old, and go the same way.
    expect(await invoices(OTHER.tenantId)).toEqual([]);
  });
});
