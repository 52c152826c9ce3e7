import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShopify, localAppKeyPair, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { AUDIT_RECORDS } from '../src/audit/records.js';
import { createLogger } from '../src/platform/log.js';
import { backgroundShopAccess, signClientAssertion } from '../src/shopify/app-token.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { connectCustomApp } from '../src/shopify/custom-app.js';
import { saveShopConnection } from '../src/shopify/oauth.js';
import type { ShopifyAppSettings } from '../src/shopify/settings.js';
import {
  requestClientCredentialsToken,
  type ShopTokenDeps,
  ShopTokenRefusedError,
  shopAccess,
} from '../src/shopify/tokens.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Application-only tokens for background work, against the local emulators and the fake
 * Shopify's token endpoint, which checks the RS256 client assertion with the app's public key
 * (as Shopify does with the key added in the Dev Dashboard).
 */
const BUSINESS = 'b_app_tokens';
const SHOP = 'app-tokens-test.myshopify.com';
const CLIENT_ID = 'asistone-test-shopify-key';
const SECRET = 'asistone-test-shopify-secret';
const APP_SCOPES =
  'read_customers,read_orders,read_products,read_inventory,write_inventory,read_locations,read_fulfillments,read_checkouts';
const appKey = localAppKeyPair();
let test: TestPlatform;
let fake: FakeShopify;
let deps: ShopTokenDeps;
let withoutKey: ShopTokenDeps;
let seedNumber = 0;

beforeAll(async () => {
  test = await startTestPlatform();
  fake = await startFakeShopify({ clientId: CLIENT_ID, clientSecret: SECRET, appPublicKey: appKey.publicKey });
  const settings: ShopifyAppSettings = {
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    shopBaseUrl: fake.url,
    appPrivateKey: appKey.privateKey,
  };
  deps = {
    store: test.platform.storeOf(SHOPIFY_CONNECTION_RECORDS),
    keyring: test.platform.keyring,
    settings,
    waitMs: 20,
  };
  withoutKey = { ...deps, settings: { ...settings, appPrivateKey: undefined } };
  await createTenant({ store: test.platform.store, keyring: test.platform.keyring }, BUSINESS, 'Arka Plan Dükkanı');
});
afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

/** The shop connected through the public app's install: a valid offline token, as after an install. */
async function connectThroughTheApp(): Promise<string> {
  const offlineToken = `shpat_offline_${++seedNumber}`;
  fake.state.shops[SHOP] ??= {
    domain: SHOP,
    name: 'app-tokens-test',
    customers: [],
    orders: [],
    products: [],
    inventory: [],
    webhookSubscriptions: [],
  };
  fake.state.accessTokens[offlineToken] = { shop: SHOP, scope: 'read_orders', expiresAt: Date.now() + 3_600_000 };
  await saveShopConnection(
    deps,
    BUSINESS,
    SHOP,
    {
      accessToken: offlineToken,
      accessTokenExpiresAt: Date.now() + 3_600_000,
      refreshToken: `shprt_offline_${seedNumber}`,
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_owner',
  );
  return offlineToken;
}

const stored = async () =>
  (await deps.store.entities.shopConnection.get({ tenantId: BUSINESS, shopDomain: SHOP }).go()).data;

/** What the fake says about a token: its kind, if it is live for the shop. */
const issuedAs = (token: string) => {
  const issued = fake.state.accessTokens[token];
  return issued && issued.shop === SHOP && issued.expiresAt > Date.now() ? (issued.kind ?? 'offline') : undefined;
};

/** The Admin API answers the token (the fake counts calls by kind of token). */
async function adminApiAnswers(token: string): Promise<number> {
  const response = await fetch(`${fake.url}/${SHOP}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query: '{ shop { name } }' }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('backgroundShopAccess with the app key configured', () => {
  beforeEach(() => {
    fake.state.appTokenGrants = 0;
    fake.state.refreshCalls = 0;
  });

  it('fetches an application-only token once and reuses it until 5 minutes before it expires', async () => {
    const offline = await connectThroughTheApp();
    const first = await backgroundShopAccess(deps, BUSINESS);
    expect(first.shopDomain).toBe(SHOP);
    expect(first.accessToken).not.toBe(offline);
    expect(issuedAs(first.accessToken)).toBe('app');
    expect(fake.state.appTokenGrants).toBe(1);
    expect(await adminApiAnswers(first.accessToken)).toBe(200);

    expect((await backgroundShopAccess(deps, BUSINESS)).accessToken).toBe(first.accessToken);
    // 54 minutes on, 5+ minutes are left: still the same token.
    const at54 = { ...deps, now: () => Date.now() + 54 * 60_000 };
    expect((await backgroundShopAccess(at54, BUSINESS)).accessToken).toBe(first.accessToken);
    expect(fake.state.appTokenGrants).toBe(1);
    // 56 minutes on, under 5 minutes are left: a new one first.
    const at56 = { ...deps, now: () => Date.now() + 56 * 60_000 };
    const next = await backgroundShopAccess(at56, BUSINESS);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect(issuedAs(next.accessToken)).toBe('app');
    expect(fake.state.appTokenGrants).toBe(2);
    // The merchant's offline token was neither used nor refreshed.
    expect(fake.state.refreshCalls).toBe(0);
    expect((await shopAccess(deps, BUSINESS)).accessToken).toBe(offline);
    expect((await stored())?.appTokenLeaseUntil).toBeUndefined();
  });

  it('ten jobs at once ask Shopify once', async () => {
    await connectThroughTheApp();
    const answers = await Promise.all(Array.from({ length: 10 }, () => backgroundShopAccess(deps, BUSINESS)));
    expect(fake.state.appTokenGrants).toBe(1);
    expect(new Set(answers.map((answer) => answer.accessToken)).size).toBe(1);
  });

  it('keeps the application-only token sealed in the table', async () => {
    await connectThroughTheApp();
    const { accessToken } = await backgroundShopAccess(deps, BUSINESS);
    const raw = await test.dumpTable();
    const item = raw.find((row) => row.pk === `t#${BUSINESS}` && row.sk === `shopify#${SHOP}`);
    expect(item?.appToken).toEqual(expect.any(String));
    expect(item?.appToken).not.toBe(accessToken);
    expect(JSON.stringify(raw)).not.toContain(accessToken);
  });

  it('a key that does not match the public key in the Dev Dashboard is refused with a clear error, and nothing is stored', async () => {
    await connectThroughTheApp();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const wrong = { ...deps, settings: { ...deps.settings, appPrivateKey: otherKey } };
    const refused = await backgroundShopAccess(wrong, BUSINESS).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ShopTokenRefusedError);
    expect((refused as Error).message).toMatch(/signed assertion \(401\).*SHOPIFY_APP_PRIVATE_KEY/);
    expect((refused as Error).message).not.toContain('PRIVATE KEY-----');
    expect(fake.state.appTokenGrants).toBe(0);
    const record = await stored();
    expect(record?.appToken).toBeUndefined();
    // The lease is released: the next job tries again at once.
    expect(record?.appTokenLeaseUntil).toBeUndefined();
  });

  it('the fake refuses a tampered, expired, replayed or other-shop assertion', async () => {
    await connectThroughTheApp();
    const ask = (assertion: string, shop = SHOP) =>
      requestClientCredentialsToken(deps, shop, { clientId: CLIENT_ID, assertion });
    const good = signClientAssertion(deps.settings, SHOP);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    // The claims changed after signing (another audience): the signature no longer matches.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(
      JSON.stringify({ ...claims, aud: 'https://other.myshopify.com/admin/oauth/access_token' }),
    );
    await expect(ask(`${header}.${forged.toString('base64url')}.${signature}`)).rejects.toBeInstanceOf(
      ShopTokenRefusedError,
    );
    // Signed two minutes ago: a minute-long assertion has expired.
    await expect(ask(signClientAssertion(deps.settings, SHOP, Date.now() - 120_000))).rejects.toBeInstanceOf(
      ShopTokenRefusedError,
    );
    // Signed for this shop, presented at another.
    await expect(ask(signClientAssertion(deps.settings, SHOP), 'other-shop.myshopify.com')).rejects.toBeInstanceOf(
      ShopTokenRefusedError,
    );
    // The good one works once; presented again it is refused.
    const token = await ask(good);
    expect(issuedAs(token.accessToken)).toBe('app');
    expect(token.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    await expect(ask(good)).rejects.toBeInstanceOf(ShopTokenRefusedError);
    expect(fake.state.appTokenGrants).toBe(1);
  });
});

describe('backgroundShopAccess without the app key', () => {
  it("uses the merchant's offline token", async () => {
    fake.state.appTokenGrants = 0;
    const offline = await connectThroughTheApp();
    const access = await backgroundShopAccess(withoutKey, BUSINESS);
    expect(access.accessToken).toBe(offline);
    expect(fake.state.appTokenGrants).toBe(0);
    expect((await stored())?.appToken).toBeUndefined();
  });
});

describe('backgroundShopAccess for a custom app', () => {
  it("uses the custom app's own 24-hour token, never the public app's assertion", async () => {
    fake.state.appTokenGrants = 0;
    fake.state.customApps = {
      ...fake.state.customApps,
      'custom-client': { clientSecret: 'shpss_custom_secret', shop: SHOP, scope: APP_SCOPES },
    };
    const view = await connectCustomApp(
      {
        store: test.platform.storeOf({ ...SHOPIFY_CONNECTION_RECORDS, ...AUDIT_RECORDS }),
        keyring: test.platform.keyring,
        settings: deps.settings,
        log: createLogger('test'),
      },
      { userId: 'u_owner' },
      BUSINESS,
      { shop: SHOP, clientId: 'custom-client', clientSecret: 'shpss_custom_secret' },
    );
    expect(view).toMatchObject({ connected: true, kind: 'custom', shopDomain: SHOP });
    const access = await backgroundShopAccess(deps, BUSINESS);
    expect(issuedAs(access.accessToken)).toBe('custom');
    expect(fake.state.appTokenGrants).toBe(0);
    expect((await stored())?.appToken).toBeUndefined();
  });
});
