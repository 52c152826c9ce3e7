import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OWNER } from '../../packages/local/src/demo-owner.js';
import { FAKE_IYZICO_CARDS } from '../../packages/local/src/fakes/iyzico-state.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * Billing on a real `npm start` with the fake iyzico: the routes are the owner's alone, another
 * business's are not there; the checkout goes through the fake's hosted page (its form fetched,
 * filled and submitted, then iyzico's return posted back as the browser would) and leaves the
 * business active with its invoice, whose PDF downloads; a forged notification changes nothing;
 * the demo business comes subscribed.
 */

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };
let other: SignedInPerson & { tenantId: string };
const members: Record<'admin' | 'agent' | 'analyst', SignedInPerson> = {} as never;

type Billing = {
  subscription: { state: string; planId?: string; periodEnd?: number; cancelAtPeriodEnd: boolean };
  usage: { month: string };
  invoices: { invoiceId: string; number: string; planId: string; total: string; vat: string }[];
};

const billing = (rest = '', tenantId = owner.tenantId) => `/businesses/${tenantId}/billing${rest}`;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Abone');
  other = await newOwner(api, 'Digeri');
  for (const role of ['admin', 'agent', 'analyst'] as const)
    members[role] = await newMember(api, owner, role, `fatura-${role}`);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

/** Hidden and named inputs of an HTML form, and where it posts. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields = Object.fromEntries(
    [...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((match) => [match[1], match[2]]),
  );
  return { action: action.replaceAll('&amp;', '&'), fields: fields as Record<string, string> };
}

describe('billing routes', () => {
  it('are the owner’s alone: admin, agent and analyst 403, another business 404', async () => {
    const view = await api.call<Billing>('GET', billing(), { token: owner.accessToken });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.subscription).toEqual({ state: 'trial', cancelAtPeriodEnd: false });
    expect(view.body.invoices).toEqual([]);
    expect(view.body.usage.month).toMatch(/^\d{4}-\d{2}$/);
    const writes: [string, string, unknown][] = [
      ['GET', billing(), undefined],
      ['POST', billing('/checkout'), { planId: 'growth' }],
      ['POST', billing('/plan'), { planId: 'scale', when: 'now' }],
      ['POST', billing('/cancel'), undefined],
      ['POST', billing('/resume'), undefined],
      ['POST', billing('/card'), undefined],
      ['GET', billing('/invoices/inv_0123456789abcdef0123.pdf'), undefined],
    ];
    for (const [method, path, body] of writes) {
      for (const role of ['admin', 'agent', 'analyst'] as const) {
        const answer = await api.call(method, path, { token: members[role].accessToken, body });
        expect(answer.status, `${role} ${method} ${path}`).toBe(403);
      }
      const elsewhere = await api.call(method, path, { token: other.accessToken, body });
      expect(elsewhere.status, `other ${method} ${path}`).toBe(404);
    }
  });

  it('subscribes through the fake iyzico’s hosted page: active on growth, one invoice', async () => {
    const checkout = await api.call<{ paymentPageUrl: string; token: string }>('POST', billing('/checkout'), {
      token: owner.accessToken,
      body: { planId: 'growth' },
    });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
    const pageUrl = new URL(new URL(checkout.body.paymentPageUrl).pathname, stack.url);
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="cardNumber"');
    const paid = await fetch(pageUrl, {
      method: 'POST',
      body: new URLSearchParams({
        cardHolderName: 'Abone Kişi',
        cardNumber: FAKE_IYZICO_CARDS.succeeds,
        expireDate: '12/30',
        cvc: '123',
      }),
    });
    expect(paid.status).toBe(200);
    const back = formOf(await paid.text());
    expect(back.action).toBe(`${new URL(back.action).origin}/api/billing/callback`);
    expect(back.fields.token).toBe(checkout.body.token);
    // iyzico's page posts the token back from the browser: url-encoded, another origin.
    const returned = await fetch(new URL('/api/billing/callback', stack.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://sandbox-api.iyzipay.com' },
      body: new URLSearchParams(back.fields),
    });
    expect(returned.status).toBe(302);
    expect(returned.headers.get('location')).toMatch(new RegExp(`/b/${owner.tenantId}/settings/billing\\?paid=1$`));
    // A second return with the same token changes nothing.
    const again = await fetch(new URL(`/api/billing/callback?token=${back.fields.token}`, stack.url), {
      redirect: 'manual',
    });
    expect(again.status).toBe(302);

    const view = await api.call<Billing>('GET', billing(), { token: owner.accessToken });
    expect(view.body.subscription).toMatchObject({ state: 'active', planId: 'growth', cancelAtPeriodEnd: false });
    expect(view.body.invoices).toHaveLength(1);
    expect(view.body.invoices[0]).toMatchObject({ planId: 'growth', total: '1499.00', vat: '249.83' });
    expect(view.body.invoices[0]?.number).toMatch(/^AS-\d{4}-\d{6}$/);
  });

  it('a forged notification changes nothing', async () => {
    const before = await api.call<Billing>('GET', billing(), { token: owner.accessToken });
    const subscriptions = (await (await fetch(`${stack.url}/dev/iyzico/subscriptions`)).json()) as {
      subscriptions: { referenceCode: string; customerReferenceCode: string }[];
    };
    const mine = subscriptions.subscriptions.at(-1);
    const body = JSON.stringify({
      merchantId: '999999',
      iyziEventType: 'subscription.order.failure',
      iyziEventTime: Date.now(),
      iyziReferenceCode: 'forged-1',
      subscriptionReferenceCode: mine?.referenceCode,
      orderReferenceCode: 'ord-forged',
      customerReferenceCode: mine?.customerReferenceCode,
    });
    const signature = createHmac('sha256', 'not-the-secret-key').update(body).digest('hex');
    const forged = await fetch(`${stack.url}/webhooks/iyzico`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-iyz-signature-v3': signature },
      body,
    });
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = await api.call<Billing>('GET', billing(), { token: owner.accessToken });
    expect(after.body.subscription).toEqual(before.body.subscription);
    expect(after.body.invoices).toEqual(before.body.invoices);
  });

  it('downloads the invoice as PDF with its number inside; another business gets 404', async () => {
    const view = await api.call<Billing>('GET', billing(), { token: owner.accessToken });
    const invoice = view.body.invoices[0];
    const url = `${stack.url}/api${billing(`/invoices/${invoice?.invoiceId}.pdf`)}`;
    const pdf = await fetch(url, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="${invoice?.number}.pdf"`);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.includes(invoice?.number as string)).toBe(true);
    // The same invoice id under another business, by that business's owner: not there.
    const elsewhere = await fetch(`${stack.url}/api${billing(`/invoices/${invoice?.invoiceId}.pdf`, other.tenantId)}`, {
      headers: { authorization: `Bearer ${other.accessToken}` },
    });
    expect(elsewhere.status).toBe(404);
  });
});

describe('the demo business', () => {
  it('comes subscribed to growth at the fake iyzico, with one paid invoice', async () => {
    const demo = await logIn(api, DEMO_OWNER.email, DEMO_OWNER.password);
    const view = await api.call<Billing>('GET', '/businesses/demo/billing', { token: demo.accessToken });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.subscription).toMatchObject({ state: 'active', planId: 'growth' });
    expect(view.body.invoices).toHaveLength(1);
  });
});
