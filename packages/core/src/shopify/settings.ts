import { readShopifyAppConfig } from '../platform/config.js';

/** The Admin API version every call names (GraphQL only since 2025-04 for public apps). */
export const SHOPIFY_API_VERSION = '2026-10';

/** The Shopify app's credentials and where shops are reached. */
export interface ShopifyAppSettings {
  clientId: string;
  clientSecret: string;
  /** Local stack only: the fake Shopify, serving each shop under `<base>/<shop domain>`. */
  shopBaseUrl?: string | undefined;
  /**
   * The app's RSA private key (PEM) for application-only tokens (shopify/app-token.ts); unset,
   * background work uses the merchant's offline token.
   */
  appPrivateKey?: string | undefined;
}

/**
 * @example
 * const settings = shopifyAppSettings(await withSecrets(process.env));
 */
export function shopifyAppSettings(env: Record<string, string | undefined>): ShopifyAppSettings {
  const config = readShopifyAppConfig(env);
  return {
    clientId: config.SHOPIFY_CLIENT_ID,
    clientSecret: config.SHOPIFY_CLIENT_SECRET,
    shopBaseUrl: config.SHOPIFY_SHOP_BASE_URL?.replace(/\/+$/, ''),
    // A `.env` line carries the PEM's line breaks as `\n`.
    appPrivateKey: config.SHOPIFY_APP_PRIVATE_KEY?.replace(/\\n/g, '\n'),
  };
}

/**
 * Where a shop's Admin endpoints are: `https://<shop>.myshopify.com` in AWS, the fake's
 * `<base>/<shop>` on the local stack. Every call to a shop (OAuth, GraphQL) starts here.
 *
 * @example
 * fetch(`${shopOrigin(settings, 'asistone-demo.myshopify.com')}/admin/oauth/access_token`, ...)
 */
export function shopOrigin(settings: Pick<ShopifyAppSettings, 'shopBaseUrl'>, shopDomain: string): string {
  return settings.shopBaseUrl ? `${settings.shopBaseUrl}/${shopDomain}` : `https://${shopDomain}`;
}
