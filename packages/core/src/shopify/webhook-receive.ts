import * as z from 'zod';
import { ConfigError } from '../platform/errors.js';
import { reply, verifyBase64Signature, type WebhookRequest, type WebhookResponse } from '../platform/webhook.js';

/**
 * Shopify's webhook endpoint (`/webhooks/shopify`): one URL for every shop of the one public app.
 * It checks `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the raw bytes, key = the app's client
 * secret) in constant time, checks the headers Shopify's own library requires, and queues the
 * body untouched with them. Nothing is looked up and no business is resolved here (no table, no
 * tenant key): the worker does that, so the answer comes well inside Shopify's 5 seconds.
 */

/**
 * Shopify deliveries belong to no business when they are queued (the worker finds it by the shop):
 * claim checks and settlements are kept under this platform id, which business ids never take.
 */
export const SHOPIFY_DELIVERY_TENANT = 'shopify';

/** Orders with hundreds of lines stay far below this; the function URL refuses above 6 MB anyway. */
export const MAX_SHOPIFY_BODY_BYTES = 4 * 1024 * 1024;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const TOPIC = /^[a-z_]+\/[a-z_]+$/;
const WEBHOOK_ID = /^[A-Za-z0-9-]{1,100}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What the webhook queues on `shopify-events`: the signed body (base64, byte for byte) and Shopify's headers. */
export const ShopifyDelivery = z.object({
  tenantId: z.literal(SHOPIFY_DELIVERY_TENANT),
  topic: z.string().regex(TOPIC),
  /** `X-Shopify-Webhook-Id`: the same on every retry of a delivery, the dedupe key. */
  webhookId: z.string().regex(WEBHOOK_ID),
  shop: z.string().regex(SHOP_DOMAIN),
  /** `X-Shopify-Triggered-At`, ms, when Shopify says it: a deletion's time. */
  triggeredAt: z.number().int().positive().optional(),
  apiVersion: z.string().max(20).optional(),
  receivedAt: z.number().int().positive(),
  /**
   * The raw body as Shopify signed it, base64: SQS carries only some Unicode, base64 is ASCII
   * (the same reason as the Meta webhook's). Large bodies go by claim check (the producer).
   */
  body: z
    .string()
    .min(4)
    .refine((text) => text.length % 4 === 0 && BASE64.test(text), 'Invalid base64'),
});
export type ShopifyDelivery = z.infer<typeof ShopifyDelivery>;

/** The body's JSON text, exactly the bytes Shopify signed. */
export function shopifyDeliveryText(delivery: ShopifyDelivery): string {
  return Buffer.from(delivery.body, 'base64').toString('utf8');
}

export interface ShopifyReceiverDeps {
  /** The app's client secret, read once per container (SSM in AWS); asked only for a POST that may be Shopify's. */
  clientSecret(): Promise<string>;
  enqueue(delivery: ShopifyDelivery): Promise<void>;
  now?: () => number;
}

export type ShopifyReceiveOutcome = 'queued' | 'bad-signature' | 'bad-request' | 'too-large' | 'not-found';

/**
 * The client secret from the environment (SSM fills it in AWS): the webhook needs only that, not
 * the client id the connection's settings also require.
 */
export function shopifyClientSecret(env: Record<string, string | undefined>): string {
  const secret = env.SHOPIFY_CLIENT_SECRET;
  if (!secret || secret.length < 16) {
    throw new ConfigError('invalid configuration: SHOPIFY_CLIENT_SECRET: must be at least 16 characters');
  }
  return secret;
}

/**
 * @example
 * const receive = shopifyReceiver({ clientSecret, enqueue });
 * const { response } = await receive(request);
 */
export function shopifyReceiver(deps: ShopifyReceiverDeps) {
  const now = deps.now ?? Date.now;
  return async function receive(
    request: WebhookRequest,
  ): Promise<{ response: WebhookResponse; outcome: ShopifyReceiveOutcome }> {
    if (!/^\/?$/.test(request.path)) return { response: reply(404, 'not found'), outcome: 'not-found' };
    if (request.method !== 'POST') return { response: reply(405, 'method not allowed'), outcome: 'bad-request' };
    if (request.body.length > MAX_SHOPIFY_BODY_BYTES) {
      return { response: reply(413, 'payload too large'), outcome: 'too-large' };
    }
    // Shopify's rule: an invalid (or missing) HMAC is answered 401, before anything else is read.
    if (!verifyBase64Signature(await deps.clientSecret(), request.body, request.headers['x-shopify-hmac-sha256'])) {
      return { response: reply(401, 'invalid signature'), outcome: 'bad-signature' };
    }
    const { headers } = request;
    const topic = headers['x-shopify-topic'] ?? '';
    const shop = (headers['x-shopify-shop-domain'] ?? '').toLowerCase();
    const webhookId = headers['x-shopify-webhook-id'] ?? '';
    // Signed by our secret but not shaped like a delivery: the headers Shopify's library requires.
    if (!TOPIC.test(topic) || !SHOP_DOMAIN.test(shop) || !WEBHOOK_ID.test(webhookId)) {
      return { response: reply(400, 'missing or invalid Shopify headers'), outcome: 'bad-request' };
    }
    try {
      JSON.parse(request.body.toString('utf8'));
    } catch {
      return { response: reply(400, 'body is not JSON'), outcome: 'bad-request' };
    }
    const triggered = Date.parse(headers['x-shopify-triggered-at'] ?? '');
    const apiVersion = headers['x-shopify-api-version'];
    await deps.enqueue({
      tenantId: SHOPIFY_DELIVERY_TENANT,
      topic,
      webhookId,
      shop,
      ...(Number.isFinite(triggered) && triggered > 0 && { triggeredAt: triggered }),
      ...(apiVersion && apiVersion.length <= 20 && { apiVersion }),
      receivedAt: now(),
      body: request.body.toString('base64'),
    });
    return { response: reply(200, 'ok'), outcome: 'queued' };
  };
}
