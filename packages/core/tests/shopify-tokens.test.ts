import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../src/shopify/connection-records.js';
import { saveShopConnection } from '../src/shopify/oauth.js';
import type { ShopifyAppSettings } from '../src/shopify/settings.js';
import {
  businessOfShop,
  requestShopTokens,
  type ShopTokenDeps,
  ShopTokenRefusedError,
  sealShopTokens,
  shopAccess,
} from '../src/shopify/tokens.js';
import { createTenant } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Expiring offline tokens against the local emulators and the fake Shopify's token endpoint
 * (its real shapes: rotating refresh tokens, each usable once). Two Lambdas needing a token at
 * the same moment must not both spend the refresh token: one refreshes, the other waits.
 */
const BUSINESS = 'b_shop_tokens';
const SHOP = 'tokens-test.myshopify.com';
const SECRET = 'asistone-test-shopify-secret';
let test: TestPlatform;
let fake: FakeShopify;
let deps: ShopTokenDeps;
let seedNumber = 0;

beforeAll(async () => {
  test = await startTestPlatform();
  fake = await startFakeShopify({ clientId: 'asistone-test-shopify-key', clientSecret: SECRET });
  const settings: ShopifyAppSettings = {
    clientId: 'asistone-test-shopify-key',
    clientSecret: SECRET,
    shopBaseUrl: fake.url,
  };
  deps = {
    store: test.platform.storeOf(SHOPIFY_CONNECTION_RECORDS),
    keyring: test.platform.keyring,
    settings,
    waitMs: 20,
  };
  await createTenant({ store: test.platform.store, keyring: test.platform.keyring }, BUSINESS, 'Tokens Dükkanı');
});
afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

/**
 * Connects the shop with an access token that has run out and a refresh token the fake knows,
 * as an hour after the install. Answers that refresh token.
 */
async function connectWithExpiredToken(): Promise<string> {
  const refreshToken = `shprt_seed_${++seedNumber}`;
  fake.state.refreshTokens[refreshToken] = { shop: SHOP, scope: 'read_orders', expiresAt: Date.now() + 86_400_000 };
  await saveShopConnection(
    deps,
    BUSINESS,
    SHOP,
    {
      accessToken: `shpat_stale_${seedNumber}`,
      accessTokenExpiresAt: Date.now() - 1000,
      refreshToken,
      refreshTokenExpiresAt: Date.now() + 86_400_000,
      scopes: 'read_orders',
    },
    'u_owner',
  );
  return refreshToken;
}

const stored = async () =>
  (await deps.store.entities.shopConnection.get({ tenantId: BUSINESS, shopDomain: SHOP }).go()).data;

/** The fake's own answer: is this a live access token for the shop? */
const liveAtShopify = (token: string) => {
  const issued = fake.state.accessTokens[token];
  return Boolean(issued && issued.shop === SHOP && issued.expiresAt > Date.now());
};

describe('shopAccess', () => {
  beforeEach(() => {
    fake.state.refreshCalls = 0;
  });

  it('two concurrent calls on an expired token: exactly one refresh, both get the new token', async () => {
    await connectWithExpiredToken();
    const [first, second] = await Promise.all([shopAccess(deps, BUSINESS), shopAccess(deps, BUSINESS)]);
    expect(fake.state.refreshCalls).toBe(1);
    expect(first.accessToken).toBe(second.accessToken);
    expect(first.shopDomain).toBe(SHOP);
    expect(liveAtShopify(first.accessToken)).toBe(true);
    const record = await stored();
    expect(record?.refreshLeaseUntil).toBeUndefined();
    expect(record?.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 55 * 60_000);
  });

  it('ten at once still refresh once', async () => {
    await connectWithExpiredToken();
    const answers = await Promise.all(Array.from({ length: 10 }, () => shopAccess(deps, BUSINESS)));
    expect(fake.state.refreshCalls).toBe(1);
    expect(new Set(answers.map((a) => a.accessToken)).size).toBe(1);
  });

  it('a fresh token is used as it is; within 5 minutes of expiry it is refreshed', async () => {
    await connectWithExpiredToken();
    const { accessToken } = await shopAccess(deps, BUSINESS);
    expect(fake.state.refreshCalls).toBe(1);
    expect((await shopAccess(deps, BUSINESS)).accessToken).toBe(accessToken);
    expect(fake.state.refreshCalls).toBe(1);
    // 56 minutes later: 4 minutes left, so the next call refreshes first.
    const later = { ...deps, now: () => Date.now() + 56 * 60_000 };
    const refreshed = await shopAccess(later, BUSINESS);
    expect(fake.state.refreshCalls).toBe(2);
    expect(refreshed.accessToken).not.toBe(accessToken);
    expect(liveAtShopify(refreshed.accessToken)).toBe(true);
  });

  it('a caller that loses the race waits and reads the token the winner stored', async () => {
    const refreshToken = await connectWithExpiredToken();
    // Another Lambda has taken the lease and is refreshing right now.
    await deps.store.entities.shopConnection
      .patch({ tenantId: BUSINESS, shopDomain: SHOP })
      .set({ refreshLeaseUntil: Date.now() + 10_000 })
      .go();
    const waiting = shopAccess(deps, BUSINESS);
    await new Promise((done) => setTimeout(done, 150));
    // ...and finishes: new tokens stored, lease released.
    const tokens = await requestShopTokens(deps, SHOP, { refreshToken });
    const keys = await test.platform.keyring.forTenant(BUSINESS);
    await deps.store.entities.shopConnection
      .patch({ tenantId: BUSINESS, shopDomain: SHOP })
      .set(sealShopTokens(keys, SHOP, tokens))
      .remove(['refreshLeaseUntil'])
      .go();
    expect((await waiting).accessToken).toBe(tokens.accessToken);
    // Only the winner's refresh reached Shopify.
    expect(fake.state.refreshCalls).toBe(1);
  });

  it('a lease left by a crashed refresh lapses, and the next caller refreshes', async () => {
    await connectWithExpiredToken();
    await deps.store.entities.shopConnection
      .patch({ tenantId: BUSINESS, shopDomain: SHOP })
      .set({ refreshLeaseUntil: Date.now() - 1 })
      .go();
    const { accessToken } = await shopAccess(deps, BUSINESS);
    expect(fake.state.refreshCalls).toBe(1);
    expect(liveAtShopify(accessToken)).toBe(true);
  });

  it('a refused refresh says the merchant must reconnect and releases the lease', async () => {
    const refreshToken = await connectWithExpiredToken();
    delete fake.state.refreshTokens[refreshToken];
    await expect(shopAccess(deps, BUSINESS)).rejects.toBeInstanceOf(ShopTokenRefusedError);
    expect((await stored())?.refreshLeaseUntil).toBeUndefined();
  });

  it('keeps both tokens sealed in the table', async () => {
    await connectWithExpiredToken();
    const { accessToken } = await shopAccess(deps, BUSINESS);
    const refreshToken = Object.keys(fake.state.refreshTokens).at(-1) as string;
    expect(refreshToken).toMatch(/^shprt_/);
    const raw = await test.dumpTable();
    const item = raw.find((row) => row.pk === `t#${BUSINESS}` && row.sk === `shopify#${SHOP}`);
    expect(item?.accessToken).toEqual(expect.any(String));
    expect(item?.refreshToken).toEqual(expect.any(String));
    const everything = JSON.stringify(raw);
    expect(everything).not.toContain(accessToken);
    expect(everything).not.toContain(refreshToken);
  });
});

describe('businessOfShop', () => {
  it('finds the business from the shop alone, and nothing for a shop nobody connected', async () => {
    await connectWithExpiredToken();
    expect(await businessOfShop(deps.store, SHOP)).toBe(BUSINESS);
    expect(await businessOfShop(deps.store, 'nobody.myshopify.com')).toBeUndefined();
    const raw = await test.dumpTable();
    // In the channel directory's space, with the owner as sort key (the tenant purge finds it by index).
    expect(raw).toContainEqual(
      expect.objectContaining({ pk: `t#channels#shopify#${SHOP}`, sk: `shopowner#${BUSINESS}`, tenantId: BUSINESS }),
    );
  });
});
