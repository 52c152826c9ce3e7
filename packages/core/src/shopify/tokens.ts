import * as z from 'zod';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError, PermanentError } from '../platform/errors.js';
import { providerRefused } from '../platform/provider-refusals.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { ShopConnectionStore } from './connection-records.js';
import { SHOPIFY_PROVIDER } from './provider.js';
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
    providerRefused(SHOPIFY_PROVIDER, 'auth', { status: response.status, operation: 'token' });
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

export type ShopConnectionItem = NonNullable<
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
 * Which token of the connection a single-flight fetch fills: the merchant's (offline token, or a
 * custom app's client-credentials token) or background work's application-only token. Each has
 * its own lease, so a refresh of one never waits on the other.
 */
export interface TokenSlot {
  token: 'accessToken' | 'appToken';
  expiresAt: 'accessTokenExpiresAt' | 'appTokenExpiresAt';
  lease: 'refreshLeaseUntil' | 'appTokenLeaseUntil';
}
const MERCHANT_SLOT: TokenSlot = {
  token: 'accessToken',
  expiresAt: 'accessTokenExpiresAt',
  lease: 'refreshLeaseUntil',
};

/** A token just fetched: the clear one for this call, and the (sealed) fields to store. */
export interface FetchedToken {
  accessToken: string;
  record: Record<string, string | number>;
}

/**
 * A valid token from the connection's slot, fetched single-flight when absent or within 5
 * minutes of expiry: the first caller to take the slot's lease (a conditional write on the
 * record) fetches and stores it sealed; the others wait and read what it stored. `usable`
 * says whether the connection can have this token at all (else a NotFoundError).
 */
export async function singleFlightToken(
  deps: Pick<ShopTokenDeps, 'store' | 'keyring' | 'now' | 'waitMs'>,
  tenantId: string,
  slot: TokenSlot,
  usable: (shop: ShopConnectionItem) => boolean,
  fetchFresh: (shop: ShopConnectionItem, keys: TenantKeys) => Promise<FetchedToken>,
): Promise<ShopAccess> {
  const now = deps.now ?? Date.now;
  const keys = await deps.keyring.forTenant(tenantId);
  for (let attempt = 0; attempt <= WAIT_ATTEMPTS; attempt++) {
    const shop = await connectedShop(deps.store, tenantId);
    if (!shop || !usable(shop)) throw new NotFoundError('This business has no connected Shopify store');
    const { shopDomain } = shop;
    const sealed = shop[slot.token];
    const seenExpiry = shop[slot.expiresAt];
    if (sealed && seenExpiry !== undefined && seenExpiry - now() > REFRESH_BEFORE_EXPIRY_MS) {
      return { shopDomain, accessToken: keys.open('shopConnection', slot.token, shopDomain, sealed) };
    }
    if ((shop[slot.lease] ?? 0) > now()) {
      // Someone else is fetching: read again shortly.
      await sleep(deps.waitMs ?? 250);
      continue;
    }
    const leaseUntil = now() + LEASE_MS;
    try {
      // Taken only if nobody holds a live lease and nobody stored a new token since we read.
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .set({ [slot.lease]: leaseUntil } as never)
        .where(
          (attr, op) =>
            `(${op.notExists(attr[slot.lease])} OR ${op.lte(attr[slot.lease], now())}) AND ${
              seenExpiry === undefined ? op.notExists(attr[slot.expiresAt]) : op.eq(attr[slot.expiresAt], seenExpiry)
            } AND ${op.eq(attr.status, 'connected')}`,
        )
        .go();
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await sleep(deps.waitMs ?? 250);
      continue;
    }
    let fetched: FetchedToken;
    try {
      fetched = await fetchFresh(shop, keys);
    } catch (error) {
      // Let the next caller try at once rather than after the lease lapses.
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .remove([slot.lease])
        .where((attr, op) => op.eq(attr[slot.lease], leaseUntil))
        .go()
        .catch(() => undefined);
      throw error;
    }
    try {
      await deps.store.entities.shopConnection
        .patch({ tenantId, shopDomain })
        .set(fetched.record as never)
        .remove([slot.lease])
        .where((attr, op) => op.eq(attr[slot.lease], leaseUntil))
        .go();
    } catch (error) {
      // Our lease lapsed and was taken (or the shop was disconnected): the token we got is
      // still valid for this call, but the record is someone else's to write.
      if (!isConditionFailure(error)) throw error;
    }
    return { shopDomain, accessToken: fetched.accessToken };
  }
  throw new Error('The Shopify token is being refreshed by another process; try again');
}

/**
 * A valid access token for the business's connected shop, refreshed single-flight when within
 * 5 minutes of expiry. For the public app, Shopify rotates the refresh token at each refresh,
 * so two Lambdas refreshing at once would race on it: one takes the lease and refreshes, the
 * others wait and read the token it stored. For a custom app, a new 24-hour token is asked
 * for with its client credentials (there is no refresh token), single-flight the same way.
 *
 * @example
 * const access = await shopAccess({ store, keyring, settings }, tenantId);
 * await graphql.query(access, ORDERS_QUERY);
 */
export async function shopAccess(deps: ShopTokenDeps, tenantId: string): Promise<ShopAccess> {
  return singleFlightToken(
    deps,
    tenantId,
    MERCHANT_SLOT,
    (shop) =>
      shop.kind === 'custom'
        ? Boolean(shop.customClientId && shop.customClientSecret)
        : Boolean(shop.accessToken && shop.refreshToken && shop.accessTokenExpiresAt !== undefined),
    async (shop, keys) => {
      const { shopDomain } = shop;
      if (shop.kind === 'custom') {
        const clientSecret = keys.open(
          'shopConnection',
          'customClientSecret',
          shopDomain,
          shop.customClientSecret as string,
        );
        const token = await requestClientCredentialsToken(deps, shopDomain, {
          clientId: shop.customClientId as string,
          clientSecret,
        });
        return { accessToken: token.accessToken, record: sealClientCredentialsToken(keys, shopDomain, token) };
      }
      const refreshToken = keys.open('shopConnection', 'refreshToken', shopDomain, shop.refreshToken as string);
      const tokens = await requestShopTokens(deps, shopDomain, { refreshToken });
      return {
        accessToken: tokens.accessToken,
        record: { ...sealShopTokens(keys, shopDomain, tokens), ...(tokens.scopes && { scopes: tokens.scopes }) },
      };
    },
  );
}

/** What Shopify's token endpoint answers for a client credentials grant: no refresh token. */
const clientCredentialsResponse = z.object({
  access_token: z.string().min(1),
  scope: z.string().default(''),
  expires_in: z.number().int().positive(),
});

/** A token with no refresh token (client credentials or application-only), its expiry in epoch ms. */
export interface ShortLivedToken {
  accessToken: string;
  expiresAt: number;
  scopes: string;
}

/**
 * Asks the shop for a token with the token endpoint's client credentials grant: a custom app's
 * client id and secret (24-hour tokens), or, when `assertion` is given, the public app's signed
 * client assertion instead of a secret (application-only tokens, up to an hour). The form's
 * fields are Shopify's; errors carry Shopify's status only, never a secret or a token.
 */
export async function requestClientCredentialsToken(
  deps: Pick<ShopTokenDeps, 'settings' | 'fetch' | 'now'>,
  shopDomain: string,
  client: { clientId: string; clientSecret: string } | { clientId: string; assertion: string },
): Promise<ShortLivedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId });
  if ('assertion' in client) {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', client.assertion);
  } else {
    form.set('client_secret', client.clientSecret);
  }
  const now = deps.now?.() ?? Date.now();
  const response = await (deps.fetch ?? fetch)(`${shopOrigin(deps.settings, shopDomain)}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  });
  if (response.status >= 400 && response.status < 500) {
    throw new ShopTokenRefusedError(
      'assertion' in client
        ? `Shopify refused the app's signed assertion (${response.status}): check that SHOPIFY_APP_PRIVATE_KEY matches the public key in the Dev Dashboard`
        : `Shopify refused the custom app's client credentials (${response.status})`,
    );
  }
  if (!response.ok) throw new Error(`Shopify token request failed (${response.status})`);
  const parsed = clientCredentialsResponse.safeParse(await response.json());
  if (!parsed.success) throw new Error('Shopify answered the token request with an unexpected shape');
  return {
    accessToken: parsed.data.access_token,
    expiresAt: now + parsed.data.expires_in * 1000,
    scopes: parsed.data.scope,
  };
}

/** A custom app's token, sealed like the offline token (same field: `shopAccess` reads it). */
export function sealClientCredentialsToken(keys: TenantKeys, shopDomain: string, token: ShortLivedToken) {
  return {
    accessToken: keys.seal('shopConnection', 'accessToken', shopDomain, token.accessToken),
    accessTokenExpiresAt: token.expiresAt,
    ...(token.scopes && { scopes: token.scopes }),
  };
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
