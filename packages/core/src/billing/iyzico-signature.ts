import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * iyzico's merchant notifications carry `X-IYZ-SIGNATURE-V3`: lowercase hex HMAC-SHA256, keyed
 * with the merchant's secret key, over some of the payload's fields joined with no separator.
 * It is not a signature of the raw body, so the body is parsed before it can be checked.
 *
 * The two payment formats' strings (HPP/checkout form and Direct) are confirmed by iyzico's own
 * sample and its worked vectors, which the tests reproduce: they prove the HMAC and the
 * concatenation. The subscription format's string is known only from other integrators quoting
 * iyzico's page, not from iyzico's own code: unconfirmed until a sandbox delivery is checked
 * against it. V3 is also sent only once iyzico has turned it on for the merchant.
 */

export const IYZICO_SIGNATURE_HEADER = 'x-iyz-signature-v3';

const hmacHex = (secretKey: string, message: string) =>
  createHmac('sha256', secretKey).update(message, 'utf8').digest('hex');

/** Subscription notifications (`subscription.order.success|failure`). Unconfirmed, see above. */
export function subscriptionNotificationSignature(
  secretKey: string,
  fields: {
    merchantId: string;
    iyziEventType: string;
    subscriptionReferenceCode: string;
    orderReferenceCode: string;
    customerReferenceCode: string;
  },
): string {
  return hmacHex(
    secretKey,
    fields.merchantId +
      secretKey +
      fields.iyziEventType +
      fields.subscriptionReferenceCode +
      fields.orderReferenceCode +
      fields.customerReferenceCode,
  );
}

/** Hosted payment page (checkout form, Pay with iyzico) notifications. */
export function hppNotificationSignature(
  secretKey: string,
  fields: {
    iyziEventType: string;
    iyziPaymentId: string;
    token: string;
    paymentConversationId: string;
    status: string;
  },
): string {
  return hmacHex(
    secretKey,
    secretKey +
      fields.iyziEventType +
      fields.iyziPaymentId +
      fields.token +
      fields.paymentConversationId +
      fields.status,
  );
}

/** Direct (API, 3DS) payment notifications. */
export function directNotificationSignature(
  secretKey: string,
  fields: { iyziEventType: string; paymentId: string; paymentConversationId: string; status: string },
): string {
  return hmacHex(
    secretKey,
    secretKey + fields.iyziEventType + fields.paymentId + fields.paymentConversationId + fields.status,
  );
}

const LOWER_HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Whether `given` is exactly `expected` (both lowercase hex digests), compared in constant time.
 * Anything not shaped like one (missing, short, long, uppercase, not hex) is refused before the
 * comparison, so `timingSafeEqual` always sees two 32-byte buffers.
 */
export function signatureMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined || !LOWER_HEX_SHA256.test(given) || !LOWER_HEX_SHA256.test(expected)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}
