import { createHmac, randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { FakeShopState } from './shopify-state.js';

/**
 * The fake Shopify's webhook sender: it posts a delivery the way Shopify does, the body signed
 * with the app's client secret (`X-Shopify-Hmac-Sha256`, base64 HMAC-SHA256 of the exact bytes)
 * and Shopify's headers, to the local stack's `/webhooks/shopify`. For developers and tests:
 *
 *   POST /dev/shopify/webhooks { topic, shop, payload, webhookId?, triggeredAt?, hmac? }
 *   → { status, webhookId }   (the product's answer to the delivery)
 *
 * `webhookId` repeats a delivery (Shopify's retries keep it); `hmac` sends a given signature
 * instead of the right one (a forged delivery). The payload is Shopify's REST-style JSON body.
 */

export interface ShopifyWebhookDelivery {
  topic: string;
  shop: string;
  payload: unknown;
  webhookId?: string;
  /** ISO time the event fired; now by default. */
  triggeredAt?: string;
  /** A signature to send instead of the right one. */
  hmac?: string;
}

/** The headers Shopify sends with a delivery of these bytes. */
export function shopifyWebhookHeaders(
  secret: string,
  body: string,
  delivery: Omit<ShopifyWebhookDelivery, 'payload'> & { webhookId: string },
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': delivery.hmac ?? createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
    'x-shopify-topic': delivery.topic,
    'x-shopify-shop-domain': delivery.shop,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': delivery.webhookId,
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': delivery.triggeredAt ?? new Date().toISOString(),
  };
}

/** Signs and posts one delivery; answers the product's HTTP status. */
export async function sendShopifyWebhook(
  state: Pick<FakeShopState, 'clientSecret'>,
  url: string,
  delivery: ShopifyWebhookDelivery,
): Promise<{ status: number; webhookId: string }> {
  const webhookId = delivery.webhookId ?? randomUUID();
  const body = JSON.stringify(delivery.payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: shopifyWebhookHeaders(state.clientSecret, body, { ...delivery, webhookId }),
    body,
    // Shopify gives up after 5 seconds.
    signal: AbortSignal.timeout(5_000),
  });
  await response.body?.cancel();
  return { status: response.status, webhookId };
}

const TOPIC = /^[a-z_]+\/[a-z_]+$/;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The dev endpoint, mounted by the fake Shopify (shopify.ts). `webhookUrl` is the local stack's
 * `/webhooks/shopify`, known once its gateway listens.
 */
export function shopifyWebhookRoutes(state: FakeShopState, webhookUrl: () => string | undefined) {
  const app = new Hono();
  app.post('/dev/shopify/webhooks', async (c) => {
    const input = (await c.req.json().catch(() => undefined)) as Partial<ShopifyWebhookDelivery> | undefined;
    if (!input || typeof input.topic !== 'string' || !TOPIC.test(input.topic)) {
      return c.json({ error: 'topic must be like orders/updated' }, 400);
    }
    if (typeof input.shop !== 'string' || !SHOP_DOMAIN.test(input.shop)) {
      return c.json({ error: 'shop must be a myshopify.com domain' }, 400);
    }
    if (input.payload === undefined || input.payload === null || typeof input.payload !== 'object') {
      return c.json({ error: 'payload must be the JSON body Shopify would send' }, 400);
    }
    const url = webhookUrl();
    if (!url) return c.json({ error: 'the local stack is not listening yet' }, 503);
    const sent = await sendShopifyWebhook(state, url, input as ShopifyWebhookDelivery);
    return c.json(sent);
  });
  return app;
}
