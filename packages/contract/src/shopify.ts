import * as z from 'zod';

/**
 * The Shopify connection, as the store page sees it: install (the app sends the merchant to
 * Shopify's authorize page), status and disconnect. Tokens never leave the server.
 */

/** A `<name>.myshopify.com` store address (the server checks it again with Shopify's own rule). */
export const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(255)
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'Enter your store address as <name>.myshopify.com');

/** `POST /businesses/:tenantId/shopify/install`. */
export const shopifyInstallBody = z.object({ shop: shopDomain });
export type ShopifyInstallBody = z.input<typeof shopifyInstallBody>;

/** Where to send the merchant: the shop's authorize page, good for 10 minutes and one use. */
export const shopifyInstallAnswer = z.object({ authorizeUrl: z.url() });
export type ShopifyInstallAnswer = z.output<typeof shopifyInstallAnswer>;

/**
 * `POST /businesses/:tenantId/shopify/custom-app`: a store connected with the merchant's own
 * custom app (made in Shopify's Dev Dashboard and installed on the store): its client id and
 * secret, exchanged for 24-hour tokens with the client credentials grant. The secret is kept
 * sealed and never returned.
 */
export const shopifyCustomAppBody = z.object({
  shop: shopDomain,
  clientId: z.string().trim().min(1, 'Enter the client ID').max(200),
  clientSecret: z.string().trim().min(1, 'Enter the client secret').max(500),
});
export type ShopifyCustomAppBody = z.input<typeof shopifyCustomAppBody>;

/** `GET` and `DELETE /businesses/:tenantId/shopify`. */
export const shopifyConnectionAnswer = z.object({
  connected: z.boolean(),
  shopDomain: z.string().nullable(),
  /** `uninstalled`: removed in Shopify; `disconnected`: from Asistone. Both keep the synced data. */
  status: z.enum(['connected', 'uninstalled', 'disconnected']).nullable(),
  /** `app`: installed through Asistone's Shopify app; `custom`: the merchant's own custom app. */
  kind: z.enum(['app', 'custom']).nullable(),
  scopes: z.array(z.string()),
  connectedAt: z.string().nullable(),
  disconnectedAt: z.string().nullable(),
});
export type ShopifyConnection = z.output<typeof shopifyConnectionAnswer>;
