import * as z from 'zod';
import { ConfigError } from '../platform/errors.js';
import { providerRefused } from '../platform/provider-refusals.js';
import { reply, safeEqual, type WebhookRequest, type WebhookResponse } from '../platform/webhook.js';
import { IYZICO_PROVIDER } from './iyzico-api.js';
import { IYZICO_SIGNATURE_HEADER, signatureMatches, subscriptionNotificationSignature } from './iyzico-signature.js';

/**
 * iyzico's merchant notifications for subscriptions (`/webhooks/iyzico`): one URL for the one
 * merchant account Asistone bills with. The notification is parsed, its merchant checked, its
 * `X-IYZ-SIGNATURE-V3` checked in constant time (iyzico-signature.ts: the subscription formula is
 * unconfirmed until a sandbox delivery), and it is queued on `billing-events`. Nothing is looked
 * up here and nothing is deduplicated: the worker claims each `iyziReferenceCode` once, and
 * reads the subscription back from iyzico before anything changes.
 */

/**
 * The queue's bookkeeping (claim checks, settlements) is kept under this platform id: a
 * notification names no business until the worker finds it by the subscription.
 */
export const IYZICO_DELIVERY_TENANT = 'iyzico';

/** A notification is a few hundred bytes; anything near this is not iyzico's. */
export const MAX_IYZICO_BODY_BYTES = 16 * 1024;

/** iyzico's references are UUID-like codes; a bound keeps junk out of the queue and the logs. */
const reference = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/);

/**
 * A subscription notification as iyzico posts it. Every field is required and typed exactly;
 * fields iyzico may add later are dropped rather than refused (a refusal would be retried three
 * times and then lost).
 */
export const IyzicoNotification = z.object({
  merchantId: z.string().regex(/^[0-9A-Za-z-]{1,40}$/),
  iyziEventType: z.enum(['subscription.order.success', 'subscription.order.failure']),
  /** ms since the epoch. */
  iyziEventTime: z.number().int().positive(),
  /** The notification's own id: the same on iyzico's resends, the worker's dedupe key. */
  iyziReferenceCode: reference,
  subscriptionReferenceCode: reference,
  orderReferenceCode: reference,
  customerReferenceCode: reference,
});
export type IyzicoNotification = z.infer<typeof IyzicoNotification>;

/** What the webhook queues on `billing-events`. */
export const BillingEventMessage = IyzicoNotification.extend({
  tenantId: z.literal(IYZICO_DELIVERY_TENANT),
  receivedAt: z.number().int().positive(),
});
export type BillingEventMessage = z.infer<typeof BillingEventMessage>;

export interface IyzicoWebhookSettings {
  secretKey: string;
  merchantId: string;
}

/** The webhook's settings: the secret key (SSM in AWS) and the merchant id (the deploying shell). */
export function iyzicoWebhookSettings(env: Record<string, string | undefined>): IyzicoWebhookSettings {
  const secretKey = env.IYZICO_SECRET_KEY ?? '';
  const merchantId = env.IYZICO_MERCHANT_ID ?? '';
  if (secretKey.length < 8) throw new ConfigError('invalid configuration: IYZICO_SECRET_KEY: must be set');
  if (!/^[0-9A-Za-z-]{1,40}$/.test(merchantId)) {
    throw new ConfigError('invalid configuration: IYZICO_MERCHANT_ID: must be the merchant number');
  }
  return { secretKey, merchantId };
}

export interface IyzicoReceiverDeps {
  /** Read once per container; asked only for a request that may be iyzico's. */
  settings(): Promise<IyzicoWebhookSettings>;
  enqueue(message: BillingEventMessage): Promise<void>;
  now?: () => number;
}

export type IyzicoReceiveOutcome =
  | 'queued'
  | 'bad-signature'
  | 'other-merchant'
  | 'bad-request'
  | 'unsupported-type'
  | 'too-large'
  | 'not-found';

const isJson = (contentType: string | undefined) => /^application\/json\s*(;.*)?$/i.test((contentType ?? '').trim());

/**
 * @example
 * const receive = iyzicoReceiver({ settings, enqueue });
 * const { response, outcome } = await receive(request);
 */
export function iyzicoReceiver(deps: IyzicoReceiverDeps) {
  const now = deps.now ?? Date.now;
  return async function receive(
    request: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: IyzicoReceiveOutcome }> {
    if (!/^\/?$/.test(request.path)) return { response: reply(404, 'not found'), outcome: 'not-found' };
    if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'bad-request' };
    if (request.body.length > MAX_IYZICO_BODY_BYTES) {
      return { response: reply(413, 'payload too large'), outcome: 'too-large' };
    }
    if (!isJson(request.headers['content-type'])) {
      return { response: reply(415, 'content type must be application/json'), outcome: 'unsupported-type' };
    }
    // The signature covers fields, not bytes: the body must be read before it can be checked.
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      return { response: reply(400, 'body is not JSON'), outcome: 'bad-request' };
    }
    const parsed = IyzicoNotification.safeParse(json);
    if (!parsed.success) return { response: reply(400, 'not a subscription notification'), outcome: 'bad-request' };
    const notification = parsed.data;
    const { secretKey, merchantId } = await deps.settings();
    const signed = signatureMatches(
      subscriptionNotificationSignature(secretKey, notification),
      request.headers[IYZICO_SIGNATURE_HEADER],
    );
    // Checked after the signature is computed either way, so the answer's timing says nothing
    // about which of the two failed.
    if (!safeEqual(notification.merchantId, merchantId)) {
      return { response: reply(401, 'invalid signature'), outcome: 'other-merchant' };
    }
    if (!signed) {
      // Our merchant's notification with a signature we cannot match: if it is iyzico, renewals go unheard.
      providerRefused(IYZICO_PROVIDER, 'auth', { operation: 'webhook-signature' });
      return { response: reply(401, 'invalid signature'), outcome: 'bad-signature' };
    }
    await deps.enqueue({ ...notification, tenantId: IYZICO_DELIVERY_TENANT, receivedAt: now() });
    return { response: reply(200, 'ok'), outcome: 'queued' };
  };
}
