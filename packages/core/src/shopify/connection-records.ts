import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import { CHANNEL_DIRECTORY } from '../tenancy/records.js';

/** Where a business's Shopify connection stands. `uninstalled` and `disconnected` keep the synced data. */
export const SHOP_CONNECTION_STATUSES = ['connected', 'uninstalled', 'disconnected'] as const;
export type ShopConnectionStatus = (typeof SHOP_CONNECTION_STATUSES)[number];

/**
 * A business's connected Shopify store: the expiring offline tokens (a ~60-minute access token and
 * a rotating refresh token), both sealed with the business's key. `refreshLeaseUntil` makes a
 * refresh single-flight: whoever writes it first (a conditional write) refreshes, the others
 * wait and read the new token, so two Lambdas never spend the same refresh token.
 */
export const ShopConnectionRecord = new Entity({
  model: { entity: 'shopConnection', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** `<name>.myshopify.com`, lower case. */
    shopDomain: { type: 'string', required: true, readOnly: true },
    status: { type: SHOP_CONNECTION_STATUSES, required: true, default: 'connected' },
    /** The access scopes Shopify granted, comma-separated as Shopify returns them. */
    scopes: { type: 'string', required: true },
    /** Sealed; absent once disconnected. */
    accessToken: { type: 'string' },
    accessTokenExpiresAt: { type: 'number' },
    /** Sealed; rotates at every refresh (the old one stops working). */
    refreshToken: { type: 'string' },
    refreshTokenExpiresAt: { type: 'number' },
    /** While in the future, one caller is refreshing the tokens (ms). */
    refreshLeaseUntil: { type: 'number' },
    /**
     * How the business connected: `app` through the public app's OAuth install (expiring offline
     * tokens), `custom` with its own custom app's client id and secret (client credentials grant,
     * 24-hour tokens, no refresh token). Absent on connections made before custom apps: `app`.
     */
    kind: { type: ['app', 'custom'] as const },
    /** A custom app's client id (not secret: it names the app). */
    customClientId: { type: 'string' },
    /** A custom app's client secret, sealed; absent once disconnected. */
    customClientSecret: { type: 'string' },
    /**
     * Background work's application-only token (a signed client assertion exchanged at the shop;
     * at most an hour, no refresh token), sealed, with its expiry (ms) and its own single-flight
     * lease, apart from the merchant's offline token.
     */
    appToken: { type: 'string' },
    appTokenExpiresAt: { type: 'number' },
    appTokenLeaseUntil: { type: 'number' },
    /** Who connected it (a member id), for the audit trail and the store page. */
    connectedBy: { type: 'string' },
    connectedAt: { type: 'number', required: true, default: () => Date.now() },
    disconnectedAt: { type: 'number' },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now(), watch: '*' },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['shopDomain'], template: 'shopify#${shopDomain}', casing: 'none' },
    },
  },
});

/**
 * Which business a shop belongs to: Shopify's webhooks name only the shop, so the answer must be
 * found before any business is known, in the channel directory's space (see CHANNEL_DIRECTORY;
 * the shop's domain is a provider id, no personal data). Kept after an uninstall, because
 * Shopify's `shop/redact` arrives 48 hours later and must still find the business.
 */
export const ShopDirectoryRecord = new Entity({
  model: { entity: 'shopDirectory', version: '1', service: 'asistone' },
  attributes: {
    shopDomain: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true, readOnly: true },
    connectedAt: { type: 'number', required: true, default: () => Date.now() },
  },
  indexes: {
    byShop: {
      pk: {
        field: 'pk',
        composite: ['shopDomain'],
        template: `t#${CHANNEL_DIRECTORY}#shopify#\${shopDomain}`,
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['tenantId'], template: 'shopowner#${tenantId}', casing: 'none' },
    },
  },
});

/**
 * An install under way: the one-time `state` sent to Shopify's authorize page, with who started
 * it. The state is `<tenantId>.<nonce>`, so the public callback finds the record under the
 * business's own partition; it is consumed by a conditional delete (a replay finds nothing) and
 * lapses after `expiresAt` (ms, checked on read; the table's TTL only tidies up).
 */
export const ShopInstallRecord = new Entity({
  model: { entity: 'shopInstall', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    nonce: { type: 'string', required: true, readOnly: true },
    shopDomain: { type: 'string', required: true, readOnly: true },
    memberId: { type: 'string', required: true, readOnly: true },
    /** ms. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byNonce: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['nonce'], template: 'shopinstall#${nonce}', casing: 'none' },
    },
  },
});

/** The connection's records (the local copy, stock and sync records sit beside them in area.ts). */
export const SHOPIFY_CONNECTION_RECORDS = {
  shopConnection: ShopConnectionRecord,
  shopDirectory: ShopDirectoryRecord,
  shopInstall: ShopInstallRecord,
};

export type ShopConnectionStore = Store<typeof SHOPIFY_CONNECTION_RECORDS>;

/**
 * Every credential a connection can hold (the merchant's offline token and its refresh token, a
 * custom app's secret, the app-only token) with their timings and leases: what disconnect and
 * `app/uninstalled` drop, so neither leaves a live secret on a connection that stopped syncing.
 */
export const SHOP_CREDENTIAL_FIELDS = [
  'accessToken',
  'accessTokenExpiresAt',
  'refreshToken',
  'refreshTokenExpiresAt',
  'refreshLeaseUntil',
  'customClientSecret',
  'appToken',
  'appTokenExpiresAt',
  'appTokenLeaseUntil',
] as const;
