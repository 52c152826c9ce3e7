import {
  billingAnswer,
  cardUpdateAnswer,
  changePlanBody,
  checkoutAnswer,
  checkoutBody,
  subscriptionAnswer,
} from '@asistone/contract/billing';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { readBillingConfig, sellerOf } from '@asistone/core/billing/config';
import { BILLING_RECORDS, type BillingDeps } from '@asistone/core/billing/deps';
import { getInvoice, invoiceView, listInvoices } from '@asistone/core/billing/invoices';
import type { IyzicoSubscriptions } from '@asistone/core/billing/iyzico-api';
import { iyzicoClient } from '@asistone/core/billing/iyzico-client';
import { billingAccountOf } from '@asistone/core/billing/records';
import {
  cancelAtPeriodEnd,
  changePlan,
  completeHostedForm,
  resume,
  startCardUpdate,
  startCheckout,
  subscriptionView,
} from '@asistone/core/billing/subscriptions';
import { usageView } from '@asistone/core/billing/usage';
import { USAGE_RECORDS } from '@asistone/core/billing/usage-records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { platform } from '@asistone/core/platform/context';
import { ConfigError, NotFoundError } from '@asistone/core/platform/errors';
import { once } from '@asistone/core/platform/once';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import type { Context } from 'hono';
import { withSecrets } from '../../lib/secrets.js';
import { accounts } from '../lib/deps.js';
import { callerLanguage } from '../lib/language.js';
import { defineRoute } from '../lib/route.js';

/**
 * The business's subscription (owner only: `billing.manage`): what it pays for and uses, its
 * invoices, and the changes, each at iyzico. The card is only ever entered on iyzico's hosted
 * forms; iyzico sends the owner back to the public `/billing/callback`, which finds the business
 * from the form's token stored when the form was started, never from the request.
 */

/** iyzico's keys may be missing on a stage that does not bill yet: reading works, changes say why. */
function missingIyzico(): IyzicoSubscriptions {
  const refuse = async (): Promise<never> => {
    throw new ConfigError('IYZICO_API_KEY and IYZICO_SECRET_KEY are needed to change a subscription');
  };
  return {
    ensureCatalog: refuse,
    initCheckout: refuse,
    checkoutResult: refuse,
    retrieve: refuse,
    upgrade: refuse,
    cancel: refuse,
    retry: refuse,
    initCardUpdate: refuse,
  };
}

const billingDeps = once(async (): Promise<BillingDeps & { store: ReturnType<typeof billingStore> }> => {
  const { keyring, producer } = platform();
  const config = readBillingConfig(await withSecrets(process.env));
  const iyzico =
    config.IYZICO_API_KEY && config.IYZICO_SECRET_KEY
      ? iyzicoClient({
          baseUrl: config.IYZICO_BASE_URL,
          apiKey: config.IYZICO_API_KEY,
          secretKey: config.IYZICO_SECRET_KEY,
        })
      : missingIyzico();
  return {
    store: billingStore(),
    keyring,
    iyzico,
    mails: mailQueue(producer),
    appUrl: (await accounts()).appUrl,
    seller: sellerOf(config),
  };
});

function billingStore() {
  return platform().storeOf({
    ...BILLING_RECORDS,
    ...USAGE_RECORDS,
    ...ACCOUNT_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
  });
}

const BILLING = '/businesses/:tenantId/billing';

/** The page iyzico's return lands on: the business's billing settings in the web app. */
async function returnTo(c: Context, tenantId: string, outcome: string) {
  const { appUrl } = await accounts();
  c.header('cache-control', 'no-store');
  return c.redirect(`${appUrl}/b/${encodeURIComponent(tenantId)}/settings/billing?${outcome}=1`, 302);
}

/** iyzico's token: from the form iyzico posts, or the query of a GET. */
async function tokenOf(c: Context): Promise<string | undefined> {
  const fromQuery = c.req.query('token');
  if (fromQuery) return fromQuery;
  if (c.req.method !== 'POST') return undefined;
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = (form as Record<string, unknown>).token;
  return typeof token === 'string' ? token : undefined;
}

/** Completes the hosted form named by iyzico's token and sends the browser to the billing page. */
async function iyzicoReturn(c: Context) {
  const token = await tokenOf(c);
  // iyzico's tokens are short opaque strings; anything else cannot be one of ours.
  if (!token || !/^[A-Za-z0-9_-]{1,128}$/.test(token)) throw new NotFoundError('No such checkout');
  const done = await completeHostedForm(await billingDeps(), token);
  return returnTo(c, done.tenantId, done.kind === 'subscribe' ? 'paid' : 'card');
}

const callbackAnswers = { 302: { description: "To the web app's billing page" } };

export const billingRoutes = [
  defineRoute({
    method: 'get',
    path: BILLING,
    access: 'billing.manage',
    summary: 'The subscription, this month’s usage against the plan, and the invoices, newest first (owner only)',
    answers: { 200: { description: 'Subscription, usage and invoices', schema: billingAnswer } },
    async handle({ c, business }) {
      const { store } = await billingDeps();
      const [account, usage, invoices] = await Promise.all([
        billingAccountOf(store, business.tenantId),
        usageView({ store }, business.tenantId),
        listInvoices(store, business.tenantId),
      ]);
      return c.json({ subscription: subscriptionView(account), usage, invoices: invoices.map(invoiceView) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BILLING}/checkout`,
    access: 'billing.manage',
    summary: "Starts iyzico's hosted subscription form for a plan: where to send the owner (the card is entered there)",
    body: checkoutBody,
    answers: { 200: { description: "iyzico's hosted page", schema: checkoutAnswer } },
    async handle({ c, business, caller, origin, body }) {
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json(await startCheckout(await billingDeps(), actor, business.tenantId, body.planId, callerLanguage(c)));
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BILLING}/plan`,
    access: 'billing.manage',
    summary: 'Changes the plan now (iyzico prorates) or from the next period',
    body: changePlanBody,
    answers: { 200: { description: 'The subscription', schema: subscriptionAnswer } },
    async handle({ c, business, caller, origin, body }) {
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      const subscription = await changePlan(await billingDeps(), actor, business.tenantId, body.planId, body.when);
      return c.json({ subscription });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BILLING}/cancel`,
    access: 'billing.manage',
    summary: 'Ends the subscription at the end of the current period',
    answers: { 200: { description: 'The subscription', schema: subscriptionAnswer } },
    async handle({ c, business, caller, origin }) {
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json({ subscription: await cancelAtPeriodEnd(await billingDeps(), actor, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BILLING}/resume`,
    access: 'billing.manage',
    summary: 'Takes back a cancellation before the period ends',
    answers: { 200: { description: 'The subscription', schema: subscriptionAnswer } },
    async handle({ c, business, caller, origin }) {
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json({ subscription: await resume(await billingDeps(), actor, business.tenantId) });
    },
  }),
  defineRoute({
    method: 'post',
    path: `${BILLING}/card`,
    access: 'billing.manage',
    summary: "Starts iyzico's hosted card-update form; an unpaid renewal is charged with the new card",
    answers: { 200: { description: "iyzico's hosted page", schema: cardUpdateAnswer } },
    async handle({ c, business, caller, origin }) {
      const actor = { userId: caller.userId, sourceAddress: origin.sourceAddress };
      return c.json(await startCardUpdate(await billingDeps(), actor, business.tenantId, callerLanguage(c)));
    },
  }),
  defineRoute({
    method: 'get',
    // `inv_….pdf`: the file's name is the invoice's id and `.pdf` (params.ts invoicePdf).
    path: `${BILLING}/invoices/:invoicePdf`,
    access: 'billing.manage',
    summary: 'An invoice as PDF (application/pdf, a download)',
    answers: { 200: { description: 'The PDF' } },
    async handle({ c, business, params }) {
      const invoiceId = (params.invoicePdf ?? '').replace(/\.pdf$/, '');
      const invoice = await getInvoice((await billingDeps()).store, business.tenantId, invoiceId);
      // Loaded on first download only: the PDF library stays out of the API's cold start.
      const { invoicePdf } = await import('@asistone/core/billing/invoice-pdf');
      const pdf = await invoicePdf(invoice);
      return c.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="${invoice.number}.pdf"`,
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/billing/callback',
    // Public: iyzico sends the owner's browser back with its token and no session of ours. The
    // token, stored with the business when the form was started, is what admits it; the outcome
    // is read from iyzico.
    access: 'public',
    summary: "iyzico's return from a hosted form: completes the checkout or card update, then to the billing page",
    answers: callbackAnswers,
    handle: ({ c }) => iyzicoReturn(c),
  }),
  defineRoute({
    method: 'post',
    path: '/billing/callback',
    access: 'public',
    summary: "iyzico's return from a hosted form, posted as a form by the browser (token in the body)",
    answers: callbackAnswers,
    handle: ({ c }) => iyzicoReturn(c),
  }),
];
