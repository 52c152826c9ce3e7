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

/** `GET` and `DELETE /businesses/:tenantId/shopify`. */
export const shopifyConnectionAnswer = z.object({
  connected: z.boolean(),
  shopDomain: z.string().nullable(),
  /** `uninstalled`: removed in Shopify; `disconnected`: from Asistone. Both keep the synced data. */
  status: z.enum(['connected', 'uninstalled', 'disconnected']).nullable(),
  scopes: z.array(z.string()),
  connectedAt: z.string().nullable(),
  disconnectedAt: z.string().nullable(),
});
export type ShopifyConnection = z.output<typeof shopifyConnectionAnswer>;
