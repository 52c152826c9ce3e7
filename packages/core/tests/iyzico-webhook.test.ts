import { describe, expect, it } from 'vitest';
import { subscriptionNotificationSignature } from '../src/billing/iyzico-signature.js';
import {
  type BillingEventMessage,
  iyzicoReceiver,
  iyzicoWebhookSettings,
  MAX_IYZICO_BODY_BYTES,
} from '../src/billing/iyzico-webhook.js';
import type { WebhookRequest } from '../src/platform/webhook.js';

/** `/webhooks/iyzico`'s checks, in the order a request meets them. */
const SETTINGS = { secretKey: 'sandbox-webhook-secret', merchantId: '3000001' };
const NOTIFICATION = {
  merchantId: '3000001',
  iyziEventType: 'subscription.order.failure',
  iyziEventTime: 1_764_583_200_000,
  iyziReferenceCode: 'b1d7c3b2-5a50-4d3c-9d7a-2f6f2a0c1e11',
  subscriptionReferenceCode: 'sub-ref-1',
  orderReferenceCode: 'order-ref-1',
  customerReferenceCode: 'cust-ref-1',
};

function setup() {
  const queued: BillingEventMessage[] = [];
  const receive = iyzicoReceiver({
    settings: async () => SETTINGS,
    enqueue: async (m) => void queued.push(m),
    now: () => 42,
  });
  return { queued, receive };
}
const request = (body: unknown, headers: Record<string, string> = {}, method = 'POST'): WebhookRequest => ({
  method,
  path: '/',
  query: new URLSearchParams(),
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const signed = (body: typeof NOTIFICATION) => ({
  'x-iyz-signature-v3': subscriptionNotificationSignature(SETTINGS.secretKey, body),
});

describe('the iyzico webhook', () => {
  it('queues a signed notification of our merchant with its receive time', async () => {
    const { queued, receive } = setup();
    const { response, outcome } = await receive(request(NOTIFICATION, signed(NOTIFICATION)));
    expect([response.status, outcome]).toEqual([200, 'queued']);
    expect(queued).toEqual([{ ...NOTIFICATION, tenantId: 'iyzico', receivedAt: 42 }]);
  });

  it('refuses a wrong, missing or uppercase signature, and another merchant, with 401 and queues nothing', async () => {
    const { queued, receive } = setup();
    const good = signed(NOTIFICATION)['x-iyz-signature-v3'];
    const attempts: Record<string, string>[] = [
      {},
      { 'x-iyz-signature-v3': good.toUpperCase() },
      { 'x-iyz-signature-v3': good.slice(1) },
    ];
    for (const headers of attempts) {
      expect((await receive(request(NOTIFICATION, headers))).response.status).toBe(401);
    }
    // Signed as iyzico would for another merchant: still not ours.
    const other = { ...NOTIFICATION, merchantId: '3000002' };
    expect((await receive(request(other, signed(other)))).outcome).toBe('other-merchant');
    // A field changed after signing.
    expect(
      (await receive(request({ ...NOTIFICATION, orderReferenceCode: 'order-ref-2' }, signed(NOTIFICATION)))).response
        .status,
    ).toBe(401);
    expect(queued).toEqual([]);
  });

  it('answers 413, 415 and 400 before any signature is checked', async () => {
    const { queued, receive } = setup();
    const big = request({ ...NOTIFICATION, padding: 'x'.repeat(MAX_IYZICO_BODY_BYTES) }, signed(NOTIFICATION));
    expect((await receive(big)).response.status).toBe(413);
    expect(
      (await receive(request(NOTIFICATION, { ...signed(NOTIFICATION), 'content-type': 'text/plain' }))).response.status,
    ).toBe(415);
    expect(
      (
        await receive(
          request(NOTIFICATION, { 'content-type': 'application/json; charset=utf-8', ...signed(NOTIFICATION) }),
        )
      ).response.status,
    ).toBe(200);
    for (const body of [
      '{',
      '[]',
      { ...NOTIFICATION, iyziEventType: 'CHECKOUT_FORM_AUTH' },
      { ...NOTIFICATION, iyziEventTime: '1764583200000' },
      { ...NOTIFICATION, orderReferenceCode: undefined },
    ]) {
      expect((await receive(request(body, signed(NOTIFICATION)))).response.status).toBe(400);
    }
    expect((await receive(request(NOTIFICATION, signed(NOTIFICATION), 'GET'))).response.status).toBe(405);
    expect(queued).toHaveLength(1);
  });

  it('needs the secret key and the merchant id', () => {
    expect(() => iyzicoWebhookSettings({ IYZICO_MERCHANT_ID: '3000001' })).toThrow(/IYZICO_SECRET_KEY/);
    expect(() => iyzicoWebhookSettings({ IYZICO_SECRET_KEY: 'sandbox-secret' })).toThrow(/IYZICO_MERCHANT_ID/);
    expect(iyzicoWebhookSettings({ IYZICO_SECRET_KEY: 'sandbox-secret', IYZICO_MERCHANT_ID: '3000001' })).toEqual({
      secretKey: 'sandbox-secret',
      merchantId: '3000001',
    });
  });
});
