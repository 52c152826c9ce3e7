import * as z from 'zod';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError, PermanentError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { ShopConnectionStore } from './connection-records.js';
import { type ShopifyAppSettings, shopOrigin } from './settings.js';

/** What a call to a shop's Admin API needs. */
export interface ShopAccess {
  shopDomain: string;
  accessToken: string;
}

export interface ShopTokenDeps {
  store: ShopConnectionStore;
  keyring: Pick<TenantKeyring, 'forTenant'>;
  settings: ShopifyAppSettings;
  fetch?: typeof fetch;
  now?: () => number;
  /** How a caller that lost the refresh race waits before reading the token again (tests shorten it). */
  waitMs?: number;
}

/** A token this close to expiry is refreshed first: a call started with it must not outlive it. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/** Longest one refresh may hold the lease; a crashed holder's lease lapses after this. */
const LEASE_MS = 15_000;
/** How often a caller that lost the race reads the token again before giving up. */
const WAIT_ATTEMPTS = 40;

/** Shopify refused a token request (bad code, used or expired refresh token): the merchant must reconnect. */
export class ShopTokenRefusedError extends PermanentError {
  override name = 'ShopTokenRefusedError';
}

/** What Shopify's `/admin/oauth/access_token` answers for expiring offline tokens. */
const tokenResponse = z.object({
  access_token: z.string().min(1),
  scope: z.string().default(''),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1),
  refresh_token_expires_in: z.number().int().positive(),
});

/** Fresh tokens in clear, with their expiries as epoch ms. */
export interface ShopTokens {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenExpiresAt: number;
  scopes: string;
}

/**
 * Asks the shop for tokens: the install's `code` grant (with `expiring=1`, so the offline token
 * expires and comes with a refresh token) or the `refresh_token` grant. Never logs or echoes a
 * token or the secret: errors carry Shopify's status only.
 */
export async function requestShopTokens(
  deps: Pick<ShopTokenDeps, 'settings' | 'fetch' | 'now'>,
  shopDomain: string,
  grant: { code: string } | { refreshToken: string },
): Promise<ShopTokens> {
  const body = {
    client_id: deps.settings.clientId,
    client_secret: deps.settings.clientSecret,
    ...('code' in grant
      ? { code: grant.code, expiring: '1' }
      : { grant_type: 'refresh_token', refresh_token: grant.refreshToken }),
  };
  const now = deps.now?.() ?? Date.now();
  const response = await (deps.fetch ?? fetch)(`${shopOrigin(deps.settings, shopDomain)}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 400 && response.status < 500) {
    throw new ShopTokenRefusedError(`Shopify refused the token request (${response.status})`);
  }
  if (!response.ok) throw new Error(`Shopify token request failed (${response.status})`);
  const parsed = tokenResponse.safeParse(await response.json());
  if (!parsed.success) throw new Error('Shopify answered the token request with an unexpected shape');
  return {
    accessToken: parsed.data.access_token,
    accessTokenExpiresAt: now + parsed.data.expires_in * 1000,
    refreshToken: parsed.data.refresh_token,
    refreshTokenExpiresAt: now + parsed.data.refresh_token_expires_in * 1000,
    scopes: parsed.data.scope,
  };
}

/**
 * Sealing context: bound to the business (its key), the record and the field, so a token copied
 * into another shop's record or another business does not open.
 */
export function sealShopTokens(keys: TenantKeys, shopDomain: string, tokens: ShopTokens) {
  return {
    accessToken: keys.seal('shopConnection', 'accessToken', shopDomain, tokens.accessToken),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshToken: keys.seal('shopConnection', 'refreshToken', shopDomain, tokens.refreshToken),
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  };
}

type ShopConnectionItem = NonNullable<
  Awaited<ReturnType<ReturnType<ShopConnectionStore['entities']['shopConnection']['get']>['go']>>['data']
>;

/** The business's connected shop, if any (one per business; the newest wins if there were more). */
export async function connectedShop(
  store: ShopConnectionStore,
  tenantId: string,
): Promise<ShopConnectionItem | undefined> {
  const found = await store.entities.shopConnection.query.byTenant({ tenantId }).go({ pages: 'all' });
  return found.data.filter((shop) => shop.status === 'connected').sort((a, b) => b.connectedAt - a.connectedAt)[0];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * A valid access token for the business's connected shop: refreshed single-flight when within
 * 5 minutes of expiry. Shopify rotates the refresh token at each refresh, so two Lambdas
 * refreshing at once would race on it: the first to take the lease (a conditional write on the
 * record) refreshes; the others wait and read the token it stored.
 *
 * @example
 * const access = await shopAccess({ store, keyring, settings }, tenantId);
 * await graphql.query(access, ORDERS_QUERY);
 */
export async function shopAccess(deps: ShopTokenDeps, tenantId: string): Promise<ShopAccess> {
  const now = deps.now ?? Date.now;
  const keys = await deps.keyring.forTenant(tenantId);
  for (let attempt = 0; attempt <= WAIT_ATTEMPTS; attempt++) {
    const shop = await connectedShop(deps.store, tenantId);
    if (!shop?.accessToken || !shop.refreshToken || shop.accessTokenExpiresAt === undefined) {
      throw new NotFoundError('This business has no connected Shopify store');
    }
    const { shopDomain } = shop;
    if (shop.accessTokenExpiresAt - now() > REFRESH_BEFORE_EXPIRY_MS) {
      return { shopDomain, accessToken: keys.open('shopConnection', 'accessToken', shopDomain, shop.accessToken) };
    }
    if ((shop.refreshLeaseUntil ?? 0) > now()) {
      // Someone else is refreshing: read again shortly.
      await sleep(deps.waitMs ?? 250);
      continue;
    }
    const leaseUntil = now() + LEASE_MS;
    const seenExpiry = shop.accessTokenExpiresAt;
    try {
      // Taken only if nobody holds a live lease and nobody stored new tokens since we read.
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .set({ refreshLeaseUntil: leaseUntil })
        .where(
          (attr, op) =>
            `(${op.notExists(attr.refreshLeaseUntil)} OR ${op.lte(attr.refreshLeaseUntil, now())}) AND ${op.eq(attr.accessTokenExpiresAt, seenExpiry)} AND ${op.eq(attr.status, 'connected')}`,
        )
        .go();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await sleep(deps.waitMs ?? 250);
      continue;
    }
    let tokens: ShopTokens;
    try {
      const refreshToken = keys.open('shopConnection', 'refreshToken', shopDomain, shop.refreshToken);
      tokens = await requestShopTokens(deps, shopDomain, { refreshToken });
    } catch (error) {
      // Let the next caller try at once rather than after the lease lapses.
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .remove(['refreshLeaseUntil'])
        .where((attr, op) => op.eq(attr.refreshLeaseUntil, leaseUntil))
        .go()
        .catch(() => undefined);
      throw error;
    }
    try {
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .set({ ...sealShopTokens(keys, shopDomain, tokens), ...(tokens.scopes && { scopes: tokens.scopes }) })
        .remove(['refreshLeaseUntil'])
        .where((attr, op) => op.eq(attr.refreshLeaseUntil, leaseUntil))
        .go();
    } catch (error) {
      // Our lease lapsed and was taken (or the shop was disconnected): the tokens we got are
      // still valid for this call, but the record is someone else's to write.
      if (!isConditionFailure(error)) throw error;
    }
    return { shopDomain, accessToken: tokens.accessToken };
  }
  throw new Error('The Shopify token is being refreshed by another process; try again');
}

/**
 * Which business a shop belongs to (the directory), or undefined: Shopify's webhooks name only
 * the shop.
 *
 * @example
 * const tenantId = await businessOfShop(store, 'asistone-demo.myshopify.com');
 */
export async function businessOfShop(store: ShopConnectionStore, shopDomain: string): Promise<string | undefined> {
  const found = await store.entities.shopDirectory.query
    .byShop({ shopDomain: shopDomain.toLowerCase() })
    .go({ pages: 'all' });
  return found.data.sort((a, b) => b.connectedAt - a.connectedAt)[0]?.tenantId;
}
