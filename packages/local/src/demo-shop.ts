import { isLocalStack } from '@asistone/core/platform/config';
import type { Platform } from '@asistone/core/platform/context';
import { startShopBackfill } from '@asistone/core/shopify/backfill';
import { SHOPIFY_BACKFILL_RECORDS } from '@asistone/core/shopify/backfill-records';
import { SHOPIFY_CONNECTION_RECORDS } from '@asistone/core/shopify/connection-records';
import { SHOPIFY_SCOPES, saveShopConnection } from '@asistone/core/shopify/oauth';
import { shopifyAppSettings } from '@asistone/core/shopify/settings';
import { DEMO_TENANT } from '@asistone/core/tenancy/demo';
import { DEMO_OWNER } from './demo-owner.js';

/**
 * The demo business's Shopify store on the local stack: `asistone-demo.myshopify.com`, served by
 * the fake Shopify. Its app credentials are the local stack's only (`.env` may change them);
 * in AWS they are SST secrets.
 */
export const DEMO_SHOP = {
  domain: 'asistone-demo.myshopify.com',
  /**
   * The refresh token the fake Shopify knows for the demo shop when it first sees it: the seed
   * stores it with an already expired access token, so the first call refreshes, as after an hour.
   */
  seedRefreshToken: 'shprt_asistone_demo_seed',
} as const;

/** The local stack's Shopify app settings, as SSM gives them to the functions in AWS. */
export function localShopifyAppSettings(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const settings = {
    SHOPIFY_CLIENT_ID: env.DEMO_SHOPIFY_CLIENT_ID || 'asistone-demo-shopify-key',
    SHOPIFY_CLIENT_SECRET: env.DEMO_SHOPIFY_CLIENT_SECRET || 'asistone-demo-shopify-secret',
  };
  // Checked at start, not at the first install: a too-short value stops `npm start` naming it.
  shopifyAppSettings(settings);
  return settings;
}

/**
 * Connects the demo business to the demo shop once (a merchant's later disconnect is kept), and
 * queues its first backfill once, which imports the shop's history (demo-shop-history.ts, held by
 * the fake Shopify), stock per location included, while the store page counts it in. Only on the embedded local stack;
 * elsewhere it does nothing.
 */
export async function seedDemoShop(platform: Pick<Platform, 'config' | 'storeOf' | 'keyring' | 'producer'>): Promise<{
  seeded: boolean;
  backfillQueued?: boolean;
}> {
  if (!isLocalStack(platform.config)) return { seeded: false };
  const store = platform.storeOf(SHOPIFY_CONNECTION_RECORDS);
  const existing = await store.entities.shopConnection
    .get({ tenantId: DEMO_TENANT.tenantId, shopDomain: DEMO_SHOP.domain })
    .go();
  if (existing.data && existing.data.status !== 'connected') return { seeded: false };
  if (!existing.data) {
    await saveShopConnection(
      { store, keyring: platform.keyring },
      DEMO_TENANT.tenantId,
      DEMO_SHOP.domain,
      {
        accessToken: 'shpat_asistone_demo_expired',
        accessTokenExpiresAt: 0,
        refreshToken: DEMO_SHOP.seedRefreshToken,
        refreshTokenExpiresAt: Date.now() + 90 * 24 * 3600 * 1000,
        scopes: SHOPIFY_SCOPES.join(','),
      },
      DEMO_OWNER.userId,
    );
  }
  // As after an OAuth connect: recorded once per shop (a data folder seeded before the demo
  // shop had a history gets it on its next start), then the queue's worker imports it.
  const backfillQueued = await startShopBackfill(
    { store: platform.storeOf(SHOPIFY_BACKFILL_RECORDS), producer: platform.producer },
    DEMO_TENANT.tenantId,
    DEMO_SHOP.domain,
  );
  return { seeded: !existing.data, backfillQueued };
}
