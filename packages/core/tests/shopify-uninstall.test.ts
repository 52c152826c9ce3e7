import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORDS, type AuditStore } from '../src/audit/records.js';
import { INBOX_RECORDS } from '../src/inbox/records.js';
import { SHOP_CREDENTIAL_FIELDS, SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { processShopifyDelivery, type ShopifyEventDeps } from '../src/shopify/events.js';
import { disconnectShop, saveShopConnection } from '../src/shopify/oauth.js';
import { SHOPIFY_STORE_RECORDS } from '../src/shopify/store-records.js';
import { TENANCY_RECORDS } from '../src/tenancy/records.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * A connection holds up to three kinds of credential (the merchant's offline token with its
 * refresh token, a custom app's client secret, the app-only token). `app/uninstalled` and a
 * disconnect both stop syncing: neither may leave any of them behind on the record.
 */

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
let test: TestPlatform;
let deps: ShopifyEventDeps & { store: ShopifyEventDeps['store'] & AuditStore };

async function connectWithEveryCredential(tenantId: string, shop: string) {
  await createTenant({ store: deps.store, keyring: test.platform.keyring }, tenantId, 'Lale');
  await saveShopConnection(
    { store: deps.store, keyring: test.platform.keyring },
    tenantId,
    shop,
    {
      accessToken: 'shpat_x',
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: 'shprt_x',
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_owner',
  );
  await deps.store.entities.shopConnection
    .patch({ tenantId, shopDomain: shop })
    .set({
      customClientSecret: 'sealed-secret',
      appToken: 'sealed-app-token',
      appTokenExpiresAt: Date.now() + 3_000_000,
      appTokenLeaseUntil: Date.now(),
      refreshLeaseUntil: Date.now(),
    })
    .go();
}

async function connection(tenantId: string, shop: string) {
  return (await deps.store.entities.shopConnection.get({ tenantId, shopDomain: shop }).go()).data!;
}

beforeAll(async () => {
  test = await startTestPlatform();
  const store = test.platform.storeOf({
    ...SHOPIFY_STORE_RECORDS,
    ...SHOPIFY_CONNECTION_RECORDS,
    ...INBOX_RECORDS,
    ...TENANCY_RECORDS,
    ...AUDIT_RECORDS,
  });
  deps = { store, keyring: test.platform.keyring, log: quiet };
});
afterAll(() => test.stop());

describe('a connection that stops syncing keeps no credential', () => {
  it('app/uninstalled drops every credential and keeps the connection, marked uninstalled', async () => {
    await connectWithEveryCredential('t_uninst', 'lale-uninst.myshopify.com');
    const before = await connection('t_uninst', 'lale-uninst.myshopify.com');
    for (const field of SHOP_CREDENTIAL_FIELDS) expect(before[field], field).toBeDefined();

    const outcome = await processShopifyDelivery(deps, {
      tenantId: 'shopify',
      topic: 'app/uninstalled',
      webhookId: 'w-uninst-1',
      shop: 'lale-uninst.myshopify.com',
      receivedAt: Date.now(),
      body: Buffer.from(JSON.stringify({ id: 1, myshopify_domain: 'lale-uninst.myshopify.com' })).toString('base64'),
    });

    expect(outcome).toBe('uninstalled');
    const after = await connection('t_uninst', 'lale-uninst.myshopify.com');
    expect(after.status).toBe('uninstalled');
    for (const field of SHOP_CREDENTIAL_FIELDS) expect(after[field], field).toBeUndefined();
  });

  it('a disconnect drops every credential too', async () => {
    await connectWithEveryCredential('t_disc', 'lale-disc.myshopify.com');
    await disconnectShop({ store: deps.store, log: quiet }, { userId: 'u_owner' }, 't_disc');
    const after = await connection('t_disc', 'lale-disc.myshopify.com');
    expect(after.status).toBe('disconnected');
    for (const field of SHOP_CREDENTIAL_FIELDS) expect(after[field], field).toBeUndefined();
  });
});
