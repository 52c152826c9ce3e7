import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { saveShopConnection } from '../../packages/core/src/shopify/oauth.js';
import { SHOPIFY_STORE_RECORDS } from '../../packages/core/src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { createTenant } from '../../packages/core/src/tenancy/tenants.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';

/**
 * Shopify's webhooks against a real `npm start`: the fake Shopify signs each delivery with the
 * app's client secret (`asistone-demo-shopify-secret` locally) and posts it to `/webhooks/shopify`
 * with Shopify's headers; the worker finds the business by the shop and applies it to the local
 * copy. A business of its own, with its own shop, is seeded next to the demo one.
 */
const FLORIST = { tenantId: 'b_e2e_florist', shop: 'cicekci-e2e.myshopify.com' };

let stack: RunningStack;
let aws: ReturnType<typeof localAws>;
let core: ReturnType<typeof createPlatform>;
let store: ReturnType<typeof storeOf>;
const storeOf = (platform: ReturnType<typeof createPlatform>) =>
  platform.storeOf({ ...SHOPIFY_STORE_RECORDS, ...SHOPIFY_CONNECTION_RECORDS, ...TENANCY_RECORDS });

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  aws = localAws(stack.dataDir);
  core = createPlatform(readConfig(aws.env));
  store = storeOf(core);
  await createTenant({ store, keyring: core.keyring }, FLORIST.tenantId, 'Çiçekçi');
  await saveShopConnection(
    { store, keyring: core.keyring },
    FLORIST.tenantId,
    FLORIST.shop,
    {
      accessToken: 'shpat_e2e',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_e2e',
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_e2e',
  );
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

let sequence = 0;
/** An `orders/*` body as Shopify sends it. */
function order(id: number, updatedAt: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (++sequence % 1000)}`,
    email: 'deniz@example.com',
    currency: 'TRY',
    financial_status: 'paid',
    fulfillment_status: null,
    created_at: '2026-11-30T09:00:00+03:00',
    updated_at: updatedAt,
    line_items: [{ id: id + 1, title: 'Gül', sku: 'GUL-1', quantity: 2, price: '84.95' }],
    total_price: '169.90',
    ...overrides,
  };
}

/** Through the fake Shopify's sender: signed as Shopify signs, with Shopify's headers. */
async function send(topic: string, payload: unknown, extra: { shop?: string; webhookId?: string; hmac?: string } = {}) {
  const response = await fetch(`${stack.url}/dev/shopify/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topic, shop: extra.shop ?? FLORIST.shop, payload, ...extra }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { status: number; webhookId: string };
}

const storedOrder = async (orderId: number) =>
  (await store.entities.shopOrder.get({ tenantId: FLORIST.tenantId, orderId: String(orderId) }).go()).data ?? undefined;

async function waiting(queue: 'QUEUE_URL_SHOPIFY_EVENTS' | 'QUEUE_URL_SHOPIFY_EVENTS_DLQ'): Promise<number> {
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

describe('Shopify webhooks on the local stack', () => {
  it('stores a signed delivery in the business of its shop, money exact and contact details sealed', async () => {
    const sent = await send('orders/create', order(5001, '2026-11-30T09:00:00+03:00'));
    expect(sent.status).toBe(200);
    const stored = await eventually(() => storedOrder(5001));
    expect(stored.total).toEqual({ amount: '169.90', currencyCode: 'TRY' });
    expect(stored.lineItems).toEqual([expect.objectContaining({ sku: 'GUL-1', quantity: 2 })]);
    expect(stored.email).not.toContain('deniz');
    const keys = await core.keyring.forTenant(FLORIST.tenantId);
    expect(keys.open('shopOrder', 'email', '5001', stored.email as string)).toBe('deniz@example.com');
  });

  it('answers a bad HMAC 401 and queues nothing', async () => {
    const forged = await send('orders/create', order(5002, '2026-11-30T09:00:00+03:00'), {
      hmac: 'K2Y1mD6yQ2mY1w3ZlH7q3Xh2bq9m0b2k3c4d5e6f7g8=',
    });
    expect(forged.status).toBe(401);
    // Without any signature, straight to the endpoint.
    const unsigned = await fetch(`${stack.url}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': FLORIST.shop,
        'x-shopify-webhook-id': 'e2e-unsigned',
      },
      body: JSON.stringify(order(5003, '2026-11-30T09:00:00+03:00')),
    });
    expect(unsigned.status).toBe(401);
    expect(await waiting('QUEUE_URL_SHOPIFY_EVENTS')).toBe(0);
    // A good delivery after them is applied, and they still are not: they never reached the queue.
    await send('orders/create', order(5004, '2026-11-30T09:00:00+03:00'));
    await eventually(() => storedOrder(5004));
    expect(await storedOrder(5002)).toBeUndefined();
    expect(await storedOrder(5003)).toBeUndefined();
  });

  it('applies a delivery once per webhook id, and only newer versions', async () => {
    const first = await send(
      'orders/updated',
      order(5010, '2026-11-30T10:00:00+03:00', { financial_status: 'pending' }),
    );
    await eventually(async () => (await storedOrder(5010))?.financialStatus === 'pending' || undefined);
    // The same webhook id again (Shopify's retries keep it and carry the original payload): even
    // a body that differs is not applied twice.
    await send('orders/updated', order(5010, '2026-11-30T10:10:00+03:00', { financial_status: 'paid' }), {
      webhookId: first.webhookId,
    });
    // An older version under a new id, delivered late: stale.
    await send('orders/updated', order(5010, '2026-11-30T09:50:00+03:00', { financial_status: 'voided' }));
    // A barrier: once this is stored, the deliveries before it have been handled.
    await send('orders/create', order(5011, '2026-11-30T10:00:00+03:00'));
    await eventually(() => storedOrder(5011));
    await eventually(async () => (await waiting('QUEUE_URL_SHOPIFY_EVENTS')) === 0 || undefined);
    expect((await storedOrder(5010))?.financialStatus).toBe('pending');
    expect((await storedOrder(5010))?.updatedAt).toBe(Date.parse('2026-11-30T07:00:00Z'));
    const remembered = await store.entities.shopWebhookDelivery
      .get({ tenantId: FLORIST.tenantId, webhookId: first.webhookId })
      .go();
    expect(remembered.data?.topic).toBe('orders/updated');
  });

  it('acknowledges a delivery for a shop nobody connected, without a dead letter', async () => {
    const sent = await send('orders/create', order(5020, '2026-11-30T09:00:00+03:00'), {
      shop: 'nobody-e2e.myshopify.com',
    });
    expect(sent.status).toBe(200);
    await eventually(async () => (await waiting('QUEUE_URL_SHOPIFY_EVENTS')) === 0 || undefined);
    expect(await waiting('QUEUE_URL_SHOPIFY_EVENTS_DLQ')).toBe(0);
    expect(await storedOrder(5020)).toBeUndefined();
  });

  it('app/uninstalled marks the connection uninstalled, drops its tokens and keeps the data', async () => {
    await send('app/uninstalled', { id: 548380009, domain: FLORIST.shop, myshopify_domain: FLORIST.shop });
    const connection = await eventually(async () => {
      const found = await store.entities.shopConnection
        .get({ tenantId: FLORIST.tenantId, shopDomain: FLORIST.shop })
        .go();
      return found.data?.status === 'uninstalled' ? found.data : undefined;
    });
    expect(connection.accessToken).toBeUndefined();
    expect(connection.refreshToken).toBeUndefined();
    expect(await storedOrder(5001)).toBeDefined();
    expect(await storedOrder(5010)).toBeDefined();
  });
});
