import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iyzicoClient } from '../../packages/core/src/billing/iyzico-client.js';
import { subscriptionNotificationSignature } from '../../packages/core/src/billing/iyzico-signature.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * iyzico's subscription notifications against a real `npm start`: `/webhooks/iyzico` refuses
 * what is not signed with the merchant's secret key (or not for our merchant) before anything is
 * queued, and queues a signed one on `billing-events`. The fake iyzico's renewal sends one the
 * same way, through the gateway.
 */
let stack: RunningStack;
let aws: ReturnType<typeof localAws>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

let sequence = 0;
const notification = (overrides: Record<string, unknown> = {}) => ({
  merchantId: aws.env.IYZICO_MERCHANT_ID,
  iyziEventType: 'subscription.order.success',
  iyziEventTime: Date.now(),
  iyziReferenceCode: `e2e-${Date.now()}-${++sequence}`,
  subscriptionReferenceCode: 'e2e-unknown-subscription',
  orderReferenceCode: `e2e-order-${sequence}`,
  customerReferenceCode: 'e2e-customer',
  ...overrides,
});
const signatureOf = (body: ReturnType<typeof notification>, secretKey = aws.env.IYZICO_SECRET_KEY as string) =>
  subscriptionNotificationSignature(secretKey, body as Parameters<typeof subscriptionNotificationSignature>[1]);

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.url}/webhooks/iyzico`, { method: 'POST', headers, body });
  return response.status;
}

async function waiting(queue: 'QUEUE_URL_BILLING_EVENTS' | 'QUEUE_URL_BILLING_EVENTS_DLQ'): Promise<number> {
  const out = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: aws.env[queue],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

/** The webhook logs each outcome; only `queued` follows a send. */
const logged = (outcome: string) =>
  stack
    .output()
    .split('\n')
    .filter((line) => line.includes('"iyzico webhook"') && line.includes(`"outcome":"${outcome}"`)).length;

describe('iyzico notifications on the local stack', () => {
  it('refuses unsigned, forged and other-merchant notifications with 401, and queues nothing', async () => {
    const json = { 'content-type': 'application/json' };
    const unsigned = notification();
    expect(await post(JSON.stringify(unsigned), json)).toBe(401);
    const forged = notification();
    expect(
      await post(JSON.stringify(forged), { ...json, 'x-iyz-signature-v3': signatureOf(forged, 'not-the-secret-key') }),
    ).toBe(401);
    const tampered = notification();
    const signature = signatureOf(tampered);
    expect(
      await post(JSON.stringify({ ...tampered, orderReferenceCode: 'changed' }), {
        ...json,
        'x-iyz-signature-v3': signature,
      }),
    ).toBe(401);
    const stranger = notification({ merchantId: '9999999' });
    expect(await post(JSON.stringify(stranger), { ...json, 'x-iyz-signature-v3': signatureOf(stranger) })).toBe(401);
    expect(await waiting('QUEUE_URL_BILLING_EVENTS')).toBe(0);
    expect(logged('queued')).toBe(0);
    expect(logged('bad-signature')).toBe(3);
    expect(logged('other-merchant')).toBe(1);
  });

  it('answers 415 to another content type, 413 to an oversized body and 400 to a malformed one', async () => {
    const body = notification();
    const signature = { 'x-iyz-signature-v3': signatureOf(body) };
    expect(await post(JSON.stringify(body), { 'content-type': 'text/plain', ...signature })).toBe(415);
    const padded = JSON.stringify({ ...body, padding: 'x'.repeat(20 * 1024) });
    expect(await post(padded, { 'content-type': 'application/json', ...signature })).toBe(413);
    expect(await post('{"merchantId":', { 'content-type': 'application/json', ...signature })).toBe(400);
    const wrongType = notification({ iyziEventType: 'CHECKOUT_FORM_AUTH' });
    expect(
      await post(JSON.stringify(wrongType), {
        'content-type': 'application/json',
        'x-iyz-signature-v3': signatureOf(wrongType),
      }),
    ).toBe(400);
    expect(logged('queued')).toBe(0);
  });

  it('queues a signed notification and answers 200', async () => {
    const body = notification();
    expect(
      await post(JSON.stringify(body), { 'content-type': 'application/json', 'x-iyz-signature-v3': signatureOf(body) }),
    ).toBe(200);
    await eventually(async () => (logged('queued') === 1 ? true : undefined));
  });

  it("delivers the fake iyzico's renewal notification, signed, through the gateway", async () => {
    const iyzico = iyzicoClient({
      baseUrl: aws.env.IYZICO_BASE_URL as string,
      apiKey: aws.env.IYZICO_API_KEY as string,
      secretKey: aws.env.IYZICO_SECRET_KEY as string,
    });
    const plans = await iyzico.ensureCatalog([
      { id: 'starter', name: 'Asistone Başlangıç', monthlyPrice: '499.00', currency: 'TRY' },
    ]);
    const form = await iyzico.initCheckout({
      conversationId: 'e2e',
      callbackUrl: `${stack.url}/api/billing/callback`,
      pricingPlanReferenceCode: plans.starter as string,
      customer: {
        name: 'Ayşe',
        surname: 'Demir',
        email: 'ayse@example.com',
        billingAddress: { contactName: 'Ayşe Demir', city: 'İstanbul', country: 'Turkey', address: 'Kadıköy' },
      },
      locale: 'tr',
    });
    // The hosted page is served on the web app's origin, so its form may post back to the app.
    expect(new URL(form.paymentPageUrl).origin).toBe(new URL(stack.url).origin);
    const paid = await fetch(form.paymentPageUrl, {
      method: 'POST',
      body: new URLSearchParams({
        cardHolderName: 'Ayşe Demir',
        cardNumber: '5528790000000008',
        expireDate: '12/30',
        cvc: '123',
      }),
    });
    expect(paid.status).toBe(200);
    const { subscriptionReferenceCode } = await iyzico.checkoutResult(form.token);
    const renewal = await fetch(`${stack.url}/dev/iyzico/renew`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subscriptionReferenceCode, outcome: 'failure' }),
    });
    expect(await renewal.json()).toMatchObject({
      orderStatus: 'FAILED',
      subscriptionStatus: 'UNPAID',
      webhook: { status: 200 },
    });
    await eventually(async () => (logged('queued') === 2 ? true : undefined));
  });
});
