import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IyzicoError, type IyzicoSubscriptions } from '@asistone/core/billing/iyzico-api';
import { iyzicoAuthHeaders } from '@asistone/core/billing/iyzico-auth';
import { iyzicoClient } from '@asistone/core/billing/iyzico-client';
import { type BillingEventMessage, iyzicoReceiver } from '@asistone/core/billing/iyzico-webhook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIyzico, startFakeIyzico } from '../src/fakes/iyzico.js';

/**
 * The iyzico client against the fake iyzico over real HTTP: the catalog, a checkout through the
 * hosted page, plan changes, a failed renewal paid by a retry after a card update, cancellation,
 * and IYZWSv2 refusals. The fake's notifications go to a loopback server that checks them with
 * the product's own receiver, so the fake signs as the webhook expects.
 */
const MERCHANT = { apiKey: 'sandbox-test-api-key', secretKey: 'sandbox-test-secret-key', merchantId: '3000099' };
const PLANS = [
  { id: 'starter', name: 'Asistone Başlangıç', monthlyPrice: '499.00', currency: 'TRY' },
  { id: 'growth', name: 'Asistone Büyüme', monthlyPrice: '1299.00', currency: 'TRY' },
  { id: 'scale', name: 'Asistone Ölçek', monthlyPrice: '2999.00', currency: 'TRY' },
];
const CALLBACK = 'http://127.0.0.1:9/api/billing/callback';
const GOOD_CARD = { cardHolderName: 'Ayşe Demir', cardNumber: '5528790000000008', expireDate: '12/30', cvc: '123' };
const DECLINED_CARD = { ...GOOD_CARD, cardNumber: '4111111111111129' };

let fake: FakeIyzico;
let iyzico: IyzicoSubscriptions;
let receiver: Server;
const received: BillingEventMessage[] = [];
const answered: number[] = [];

beforeAll(async () => {
  const receive = iyzicoReceiver({
    settings: async () => ({ secretKey: MERCHANT.secretKey, merchantId: MERCHANT.merchantId }),
    enqueue: async (message) => void received.push(message),
  });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      const { response: answer } = await receive({
        method: request.method ?? 'GET',
        path: '/',
        query: new URLSearchParams(),
        headers,
        body: Buffer.concat(chunks),
      });
      answered.push(answer.status);
      response.writeHead(answer.status).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  fake = await startFakeIyzico({ merchants: [MERCHANT], webhookUrl: () => webhookUrl });
  iyzico = iyzicoClient({ baseUrl: fake.url, apiKey: MERCHANT.apiKey, secretKey: MERCHANT.secretKey });
});
afterAll(async () => {
  await fake?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

const devPost = async (path: string, body: unknown) => {
  const response = await fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Opens the hosted page and submits the card, as the owner's browser would. */
async function payOnPage(paymentPageUrl: string, card: Record<string, string>) {
  const page = await fetch(paymentPageUrl);
  const html = await page.text();
  expect(page.status).toBe(200);
  // Accessible, Turkish labels for every field.
  for (const [field, label] of [
    ['cardHolderName', 'Kart üzerindeki ad soyad'],
    ['cardNumber', 'Kart numarası'],
    ['expireDate', 'Son kullanma tarihi'],
    ['cvc', 'Güvenlik kodu'],
  ]) {
    expect(html).toMatch(new RegExp(`<label for="${field}">${label}`));
    expect(html).toContain(`id="${field}" name="${field}"`);
  }
  const submitted = await fetch(paymentPageUrl, { method: 'POST', body: new URLSearchParams(card) });
  return { status: submitted.status, html: await submitted.text() };
}

let plans: Record<string, string>;
let subscriptionRef = '';

describe('the iyzico client against the fake iyzico', () => {
  it('creates the product and one monthly recurring plan per Asistone plan, once', async () => {
    plans = await iyzico.ensureCatalog(PLANS);
    expect(Object.keys(plans).sort()).toEqual(['growth', 'scale', 'starter']);
    expect(await iyzico.ensureCatalog(PLANS)).toEqual(plans);
    expect(Object.values(fake.state.products).map((product) => product.name)).toEqual(['Asistone']);
    const stored = Object.values(fake.state.plans);
    expect(stored).toHaveLength(3);
    expect(stored.every((plan) => plan.paymentInterval === 'MONTHLY' && plan.planPaymentType === 'RECURRING')).toBe(
      true,
    );
    expect(fake.state.plans[plans.growth as string]?.price).toBe(1299);
  });

  it('runs a checkout through the hosted page: a declined card, then one that pays', async () => {
    const form = await iyzico.initCheckout({
      conversationId: 'b_test',
      callbackUrl: CALLBACK,
      pricingPlanReferenceCode: plans.starter as string,
      customer: {
        name: 'Ayşe',
        surname: 'Demir',
        email: 'ayse@example.com',
        billingAddress: { contactName: 'Ayşe Demir', city: 'İstanbul', country: 'Turkey', address: 'Kadıköy' },
      },
      locale: 'tr',
    });
    expect(form.paymentPageUrl).toBe(`${fake.url}/dev/iyzico/checkout/${form.token}`);
    await expect(iyzico.checkoutResult(form.token)).rejects.toBeInstanceOf(IyzicoError);

    const declined = await payOnPage(form.paymentPageUrl, DECLINED_CARD);
    expect(declined.status).toBe(422);
    expect(declined.html).toContain('role="alert"');
    expect(Object.keys(fake.state.subscriptions)).toHaveLength(0);

    const paid = await payOnPage(form.paymentPageUrl, GOOD_CARD);
    expect(paid.status).toBe(200);
    // Back to the merchant by POST, the token in the form, as iyzico sends the browser.
    expect(paid.html).toContain(`<form method="post" action="${CALLBACK}"`);
    expect(paid.html).toContain(`<input type="hidden" name="token" value="${form.token}">`);
    // A used form is gone.
    expect((await fetch(form.paymentPageUrl)).status).toBe(410);

    const result = await iyzico.checkoutResult(form.token);
    expect(result.subscriptionStatus).toBe('ACTIVE');
    subscriptionRef = result.subscriptionReferenceCode;
    const subscription = await iyzico.retrieve(subscriptionRef);
    expect(subscription).toMatchObject({
      referenceCode: subscriptionRef,
      customerReferenceCode: result.customerReferenceCode,
      pricingPlanReferenceCode: plans.starter,
      subscriptionStatus: 'ACTIVE',
    });
    expect(subscription.orders).toEqual([
      expect.objectContaining({ price: 499, currencyCode: 'TRY', orderStatus: 'SUCCESS' }),
    ]);
  });

  it('upgrades now, and for the next period only at the renewal', async () => {
    await iyzico.upgrade(subscriptionRef, {
      newPricingPlanReferenceCode: plans.growth as string,
      upgradePeriod: 'NOW',
    });
    expect((await iyzico.retrieve(subscriptionRef)).pricingPlanReferenceCode).toBe(plans.growth);

    await iyzico.upgrade(subscriptionRef, {
      newPricingPlanReferenceCode: plans.scale as string,
      upgradePeriod: 'NEXT_PERIOD',
    });
    expect((await iyzico.retrieve(subscriptionRef)).pricingPlanReferenceCode).toBe(plans.growth);

    const renewal = await devPost('/dev/iyzico/renew', {
      subscriptionReferenceCode: subscriptionRef,
      outcome: 'success',
    });
    expect(renewal.body).toMatchObject({
      orderStatus: 'SUCCESS',
      subscriptionStatus: 'ACTIVE',
      webhook: { status: 200 },
    });
    const renewed = await iyzico.retrieve(subscriptionRef);
    expect(renewed.pricingPlanReferenceCode).toBe(plans.scale);
    expect(renewed.orders.map((order) => [order.price, order.orderStatus])).toEqual([
      [499, 'SUCCESS'],
      [2999, 'SUCCESS'],
    ]);
    // The next period starts where the last one ended.
    expect(renewed.orders[1]?.startPeriod).toBe(renewed.orders[0]?.endPeriod);
    expect(received.at(-1)).toMatchObject({
      iyziEventType: 'subscription.order.success',
      subscriptionReferenceCode: subscriptionRef,
      orderReferenceCode: renewal.body.orderReferenceCode,
      merchantId: MERCHANT.merchantId,
    });
  });

  it('leaves a failed renewal unpaid; a retry on the declining card fails, and after a card update it pays', async () => {
    await devPost('/dev/iyzico/card-fails', { subscriptionReferenceCode: subscriptionRef, fails: true });
    const renewal = await devPost('/dev/iyzico/renew', {
      subscriptionReferenceCode: subscriptionRef,
      outcome: 'success',
    });
    expect(renewal.body).toMatchObject({
      orderStatus: 'FAILED',
      subscriptionStatus: 'UNPAID',
      webhook: { status: 200 },
    });
    expect(received.at(-1)?.iyziEventType).toBe('subscription.order.failure');
    const unpaid = await iyzico.retrieve(subscriptionRef);
    expect(unpaid.subscriptionStatus).toBe('UNPAID');
    const failedOrder = unpaid.orders.at(-1)?.referenceCode as string;

    const refused = await iyzico.retry(failedOrder).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IyzicoError);
    expect(refused).toMatchObject({ errorCode: '10051', retryable: false });

    const update = await iyzico.initCardUpdate({
      subscriptionReferenceCode: subscriptionRef,
      callbackUrl: CALLBACK,
      locale: 'tr',
    });
    const updated = await payOnPage(update.paymentPageUrl, { ...GOOD_CARD, cardNumber: '5528 7900 0000 0008' });
    expect(updated.status).toBe(200);
    expect(updated.html).toContain(`value="${update.token}"`);

    await iyzico.retry(failedOrder);
    const paid = await iyzico.retrieve(subscriptionRef);
    expect(paid.subscriptionStatus).toBe('ACTIVE');
    expect(paid.orders.at(-1)).toMatchObject({ referenceCode: failedOrder, orderStatus: 'SUCCESS' });
    expect(received.at(-1)).toMatchObject({
      iyziEventType: 'subscription.order.success',
      orderReferenceCode: failedOrder,
    });
    // Every notification the fake sent was accepted by the product's receiver.
    expect(answered.every((status) => status === 200)).toBe(true);
  });

  it('renews with outcome failure even on a good card, and cancels at once', async () => {
    const renewal = await devPost('/dev/iyzico/renew', {
      subscriptionReferenceCode: subscriptionRef,
      outcome: 'failure',
    });
    expect(renewal.body).toMatchObject({ orderStatus: 'FAILED', subscriptionStatus: 'UNPAID' });
    await iyzico.cancel(subscriptionRef);
    expect((await iyzico.retrieve(subscriptionRef)).subscriptionStatus).toBe('CANCELED');
    await expect(iyzico.cancel(subscriptionRef)).rejects.toBeInstanceOf(IyzicoError);
  });

  it('refuses a call signed with the wrong secret, an unknown key, or a body changed after signing', async () => {
    const forged = iyzicoClient({ baseUrl: fake.url, apiKey: MERCHANT.apiKey, secretKey: 'not-the-secret-key' });
    await expect(forged.retrieve(subscriptionRef)).rejects.toMatchObject({
      errorCode: '1000',
      retryable: false,
      status: 401,
    });
    const stranger = iyzicoClient({ baseUrl: fake.url, apiKey: 'sandbox-unknown', secretKey: MERCHANT.secretKey });
    await expect(stranger.retrieve(subscriptionRef)).rejects.toMatchObject({ errorCode: '1001' });

    const path = '/v2/subscription/products';
    const signed = iyzicoAuthHeaders({ ...MERCHANT, uriPath: path, body: '{"name":"Asistone"}' });
    const tampered = await fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: '{"name":"Başka"}',
    });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ status: 'failure', errorCode: '1000' });
    expect(Object.values(fake.state.products).map((product) => product.name)).toEqual(['Asistone']);
  });

  it('logs calls and keeps cards without their numbers or the keys', async () => {
    const calls = (await (await fetch(`${fake.url}/dev/iyzico/calls`)).json()) as {
      calls: { path: string; status: string }[];
    };
    expect(
      calls.calls.some((call) => call.path === '/v2/subscription/operation/retry' && call.status === 'failure'),
    ).toBe(true);
    const subscriptions = await (await fetch(`${fake.url}/dev/iyzico/subscriptions`)).json();
    expect(subscriptions).toMatchObject({
      subscriptions: [{ referenceCode: subscriptionRef, cardMask: '552879******0008' }],
    });
    const everything = JSON.stringify([calls, subscriptions, fake.state]);
    for (const secret of ['5528790000000008', '4111111111111129', MERCHANT.secretKey]) {
      expect(JSON.stringify([calls, subscriptions])).not.toContain(secret);
    }
    expect(everything).not.toContain('5528790000000008');
    expect(everything).not.toContain('4111111111111129');
  });
});
