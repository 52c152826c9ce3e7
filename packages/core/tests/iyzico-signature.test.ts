import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { directNotificationSignature, hppNotificationSignature, signatureMatches, subscriptionNotificationSignature } =
  await import('../src/billing/iyzico-signature.js');

/**
 * The payment formats against iyzico's own worked vectors (iyzico/iyzipay-php
 * `samples/webhook_Signature_Validation.php`): they prove the HMAC and the concatenation. The
 * subscription format has no official vector; its value here was worked out with openssl from
 * the formula as quoted by integrators (unconfirmed until a sandbox delivery):
 *
 *   printf '%s' '33445566sandbox-subscription-secret-keysubscription.order.successsub-ref-1order-ref-1cust-ref-1' \
 *     | openssl dgst -sha256 -hmac sandbox-subscription-secret-key
 */
const OFFICIAL_SECRET = 'sandbox-UuLnD7wZa0a3DmytfIrwHQqAMfqCNJrs';
const SUBSCRIPTION_SECRET = 'sandbox-subscription-secret-key';
const SUBSCRIPTION = {
  merchantId: '33445566',
  iyziEventType: 'subscription.order.success',
  subscriptionReferenceCode: 'sub-ref-1',
  orderReferenceCode: 'order-ref-1',
  customerReferenceCode: 'cust-ref-1',
};
const SUBSCRIPTION_SIGNATURE = 'c48d6cc159a1ca42f4ec2b131ec40adb812c8e3cf020620b0eb9837c9ac37053';

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe("iyzico's notification signatures (X-IYZ-SIGNATURE-V3)", () => {
  it("reproduces iyzico's checkout form (HPP) vector", () => {
    expect(
      hppNotificationSignature(OFFICIAL_SECRET, {
        iyziEventType: 'CHECKOUT_FORM_AUTH',
        iyziPaymentId: '22483975',
        token: 'e828c62d-fd12-4b1a-ad5a-380f15fe6596',
        paymentConversationId: 'conversationId',
        status: 'SUCCESS',
      }),
    ).toBe('4031c575763486a2d2bf3f7ace0baebfcd6bed65393ab4df3fe80c00d5fd6878');
  });

  it("reproduces iyzico's Direct vector", () => {
    expect(
      directNotificationSignature(OFFICIAL_SECRET, {
        iyziEventType: 'API_AUTH',
        paymentId: '22484059',
        paymentConversationId: 'conversationId',
        status: 'SUCCESS',
      }),
    ).toBe('92c7a72b7741bc83eb696066605c894778c87297b2c88d6037670666230e18ae');
  });

  it('signs a subscription notification as merchantId + secretKey + type + subscription + order + customer', () => {
    expect(subscriptionNotificationSignature(SUBSCRIPTION_SECRET, SUBSCRIPTION)).toBe(SUBSCRIPTION_SIGNATURE);
    // Each field counts, and the merchant id leads (not the secret key, as in the payment formats).
    for (const field of Object.keys(SUBSCRIPTION) as (keyof typeof SUBSCRIPTION)[]) {
      expect(
        subscriptionNotificationSignature(SUBSCRIPTION_SECRET, { ...SUBSCRIPTION, [field]: `${SUBSCRIPTION[field]}x` }),
      ).not.toBe(SUBSCRIPTION_SIGNATURE);
    }
    expect(subscriptionNotificationSignature(`${SUBSCRIPTION_SECRET}x`, SUBSCRIPTION)).not.toBe(SUBSCRIPTION_SIGNATURE);
  });

  it('accepts the exact lowercase hex, compared in constant time', () => {
    expect(signatureMatches(SUBSCRIPTION_SIGNATURE, SUBSCRIPTION_SIGNATURE)).toBe(true);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it('refuses wrong, short, long, uppercase, empty and missing signatures', () => {
    const wrong = `${SUBSCRIPTION_SIGNATURE.slice(0, -1)}${SUBSCRIPTION_SIGNATURE.endsWith('0') ? '1' : '0'}`;
    expect(signatureMatches(SUBSCRIPTION_SIGNATURE, wrong)).toBe(false);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    for (const given of [
      SUBSCRIPTION_SIGNATURE.slice(0, 63),
      `${SUBSCRIPTION_SIGNATURE}0`,
      `${SUBSCRIPTION_SIGNATURE}${SUBSCRIPTION_SIGNATURE}`,
      SUBSCRIPTION_SIGNATURE.toUpperCase(),
      '',
      undefined,
      ` ${SUBSCRIPTION_SIGNATURE}`,
      Buffer.from(SUBSCRIPTION_SIGNATURE, 'hex').toString('base64'),
    ]) {
      expect(signatureMatches(SUBSCRIPTION_SIGNATURE, given)).toBe(false);
    }
  });
});
