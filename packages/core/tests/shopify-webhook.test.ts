import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../src/platform/webhook.js';
import {
  MAX_SHOPIFY_BODY_BYTES,
  type ShopifyDelivery,
  shopifyClientSecret,
  shopifyDeliveryText,
  shopifyReceiver,
} from '../src/shopify/webhook-receive.js';

/**
 * `/webhooks/shopify`'s checks, with signature vectors made outside this code (openssl):
 * `printf '%s' "$BODY" | openssl dgst -sha256 -hmac asistone-demo-shopify-secret -binary | base64`.
 */
const SECRET = 'asistone-demo-shopify-secret';
const BODY = '{"id":450789469,"name":"#1001","updated_at":"2026-11-30T10:00:00+03:00"}';
const BODY_HMAC = 'NZTtrsX1UvDz1NjbNu9sWKqE9lv6VfuBWoQFPh5vYEw=';
/** The same JSON re-encoded with spaces (what a framework's parse-and-stringify would give). */
const REENCODED = '{"id": 450789469, "name": "#1001", "updated_at": "2026-11-30T10:00:00+03:00"}';
const REENCODED_HMAC = '/H1GURZBZBnyy+Mdwv8IW33903Gy04NzQVd5qjF3bpA=';

function request(body: string | Buffer, headers: Record<string, string | undefined>, method = 'POST'): WebhookRequest {
  return {
    method,
    path: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/updated',
      'x-shopify-shop-domain': 'asistone-demo.myshopify.com',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-api-version': '2026-10',
      'x-shopify-triggered-at': '2026-11-30T07:00:01.123Z',
      ...headers,
    },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  };
}

function receiver() {
  const queued: ShopifyDelivery[] = [];
  const receive = shopifyReceiver({
    clientSecret: async () => SECRET,
    enqueue: async (delivery) => {
      queued.push(delivery);
    },
    now: () => 1_796_000_000_000,
  });
  return { receive, queued };
}

describe('Shopify webhook signature', () => {
  it('accepts the known vector and queues the exact bytes with the headers', async () => {
    const { receive, queued } = receiver();
    const { response, outcome } = await receive(request(BODY, { 'x-shopify-hmac-sha256': BODY_HMAC }));
    expect(response.status).toBe(200);
    expect(outcome).toBe('queued');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      tenantId: 'shopify',
      topic: 'orders/updated',
      shop: 'asistone-demo.myshopify.com',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      apiVersion: '2026-10',
      triggeredAt: Date.parse('2026-11-30T07:00:01.123Z'),
      receivedAt: 1_796_000_000_000,
    });
    expect(shopifyDeliveryText(queued[0] as ShopifyDelivery)).toBe(BODY);
  });

  it.each([
    ['a wrong HMAC', BODY, { 'x-shopify-hmac-sha256': REENCODED_HMAC }],
    ['no HMAC', BODY, { 'x-shopify-hmac-sha256': undefined }],
    ['an empty HMAC', BODY, { 'x-shopify-hmac-sha256': '' }],
    [
      'the hex form of the right HMAC',
      BODY,
      { 'x-shopify-hmac-sha256': Buffer.from(BODY_HMAC, 'base64').toString('hex') },
    ],
    ['a re-encoded body with the original HMAC', REENCODED, { 'x-shopify-hmac-sha256': BODY_HMAC }],
    ['a body with one byte changed', BODY.replace('1001', '1002'), { 'x-shopify-hmac-sha256': BODY_HMAC }],
  ])('refuses %s with 401 and queues nothing', async (_what, body, headers) => {
    const { receive, queued } = receiver();
    const { response, outcome } = await receive(request(body, headers));
    expect(response.status).toBe(401);
    expect(outcome).toBe('bad-signature');
    expect(queued).toHaveLength(0);
  });

  it('a re-encoded body signed as sent is accepted: the HMAC is over the bytes, not the JSON', async () => {
    const { receive, queued } = receiver();
    expect((await receive(request(REENCODED, { 'x-shopify-hmac-sha256': REENCODED_HMAC }))).response.status).toBe(200);
    expect(shopifyDeliveryText(queued[0] as ShopifyDelivery)).toBe(REENCODED);
  });

  it('keeps bytes that are not plain ASCII exactly (a Turkish name, an emoji)', async () => {
    const { receive, queued } = receiver();
    const body = '{"id":1,"first_name":"Ayşe 🌷"}';
    const { createHmac } = await import('node:crypto');
    const hmac = createHmac('sha256', SECRET).update(Buffer.from(body, 'utf8')).digest('base64');
    expect((await receive(request(body, { 'x-shopify-hmac-sha256': hmac }))).response.status).toBe(200);
    expect(shopifyDeliveryText(queued[0] as ShopifyDelivery)).toBe(body);
  });
});

describe('Shopify webhook requests', () => {
  it('answers 413 to an oversized body before checking anything', async () => {
    const { receive, queued } = receiver();
    const big = Buffer.alloc(MAX_SHOPIFY_BODY_BYTES + 1, 0x20);
    const { response } = await receive(request(big, { 'x-shopify-hmac-sha256': BODY_HMAC }));
    expect(response.status).toBe(413);
    expect(queued).toHaveLength(0);
  });

  it.each([
    ['no topic', { 'x-shopify-topic': undefined }],
    ['a shop that is not a myshopify.com domain', { 'x-shopify-shop-domain': 'evil.example.com' }],
    ['no webhook id', { 'x-shopify-webhook-id': undefined }],
  ])('a signed delivery with %s is refused 400, nothing queued', async (_what, headers) => {
    const { receive, queued } = receiver();
    const { response } = await receive(request(BODY, { 'x-shopify-hmac-sha256': BODY_HMAC, ...headers }));
    expect(response.status).toBe(400);
    expect(queued).toHaveLength(0);
  });

  it('answers only POST at its own path', async () => {
    const { receive } = receiver();
    expect((await receive(request(BODY, { 'x-shopify-hmac-sha256': BODY_HMAC }, 'GET'))).response.status).toBe(405);
    expect(
      (await receive({ ...request(BODY, { 'x-shopify-hmac-sha256': BODY_HMAC }), path: '/t_demo' })).response.status,
    ).toBe(404);
  });

  it('does not echo what it received, and never names the secret in a configuration error', async () => {
    const { receive } = receiver();
    const { response } = await receive(request(BODY, { 'x-shopify-hmac-sha256': 'nope' }));
    expect(response.body).not.toContain('1001');
    expect(() => shopifyClientSecret({ SHOPIFY_CLIENT_SECRET: 'short' })).toThrow(/SHOPIFY_CLIENT_SECRET/);
    expect(() => shopifyClientSecret({ SHOPIFY_CLIENT_SECRET: 'short' })).not.toThrow(/short/);
    expect(shopifyClientSecret({ SHOPIFY_CLIENT_SECRET: SECRET })).toBe(SECRET);
  });
});
