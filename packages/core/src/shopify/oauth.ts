import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { recordAuditEvent } from '../audit/audit-log.js';
import type { AuditStore } from '../audit/records.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { SHOP_CREDENTIAL_FIELDS, type ShopConnectionStatus, type ShopConnectionStore } from './connection-records.js';
import { SHOPIFY_API_VERSION, type ShopifyAppSettings, shopOrigin } from './settings.js';
import { requestShopTokens, type ShopTokens, sealShopTokens } from './tokens.js';

/**
 * The public app's OAuth install (authorization code grant) with expiring offline tokens.
 * Shopify's own library checks the callback's query HMAC and sanitises the shop domain (it runs
 * offline, in Node 22, with no call to Shopify); everything stateful (the one-time `state`, the
 * tokens) is ours.
 */

/** What the app asks for (the same list as `shopify.app.toml`). */
export const SHOPIFY_SCOPES = [
  'read_customers',
  'read_orders',
  'read_products',
  'read_inventory',
  'write_inventory',
  'read_locations',
  'read_fulfillments',
  'read_checkouts',
] as const;

/** An install link is good for 10 minutes: the merchant approves at Shopify and comes straight back. */
const INSTALL_TTL_MS = 10 * 60_000;

export interface ShopOAuthDeps {
  store: ShopConnectionStore & AuditStore;
  keyring: Pick<TenantKeyring, 'forTenant'>;
  settings: ShopifyAppSettings;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  /** Queues the shop's first import after a connect (shopify/backfill.ts startShopBackfill). */
  startBackfill?: (tenantId: string, shopDomain: string) => Promise<unknown>;
}

/**
 * One library instance per app secret (the checks need only the secret; its logger is silenced).
 * Loaded on first use: the API's cold start, shared by every route, does not pay for it.
 */
type ShopifyLibrary = ReturnType<typeof import('@shopify/shopify-api').shopifyApi>;
const libraries = new Map<string, Promise<ShopifyLibrary>>();
function library(settings: ShopifyAppSettings): Promise<ShopifyLibrary> {
  let api = libraries.get(settings.clientSecret);
  if (!api) {
    api = (async () => {
      await import('@shopify/shopify-api/adapters/node');
      const { LogSeverity, shopifyApi } = await import('@shopify/shopify-api');
      return shopifyApi({
        apiKey: settings.clientId,
        apiSecretKey: settings.clientSecret,
        scopes: [...SHOPIFY_SCOPES],
        hostName: 'asistone.invalid',
        apiVersion: SHOPIFY_API_VERSION as never,
        isEmbeddedApp: false,
        logger: { level: LogSeverity.Error, log: async () => undefined },
      });
    })();
    api.catch(() => libraries.delete(settings.clientSecret));
    libraries.set(settings.clientSecret, api);
  }
  return api;
}

/**
 * The shop domain, lower case, when it is a `<name>.myshopify.com` store; otherwise a 400.
 * On the local stack the fake Shopify serves the same domains, so the rule is the same.
 */
export async function shopDomainOf(settings: ShopifyAppSettings, shop: string): Promise<string> {
  const sanitized = (await library(settings)).utils.sanitizeShop(shop.trim().toLowerCase());
  if (!sanitized?.endsWith('.myshopify.com')) {
    throw new ValidationError('Enter your store address as <name>.myshopify.com');
  }
  return sanitized;
}

/**
 * Starts an install: a one-time `state` bound to the business, the member and the shop, and the
 * shop's authorize URL. The state is `<tenantId>.<nonce>`: the public callback finds the
 * install under the business's own partition without a directory.
 */
export async function startShopInstall(
  deps: Pick<ShopOAuthDeps, 'store' | 'settings' | 'now'>,
  input: { tenantId: string; memberId: string; shop: string; redirectUri: string },
): Promise<{ authorizeUrl: string }> {
  const shopDomain = await shopDomainOf(deps.settings, input.shop);
  const nonce = randomBytes(24).toString('base64url');
  const now = deps.now?.() ?? Date.now();
  await deps.store.entities.shopInstall
    .create({
      tenantId: input.tenantId,
      nonce,
      shopDomain,
      memberId: input.memberId,
      expiresAt: now + INSTALL_TTL_MS,
    })
    .go();
  const url = new URL(`${shopOrigin(deps.settings, shopDomain)}/admin/oauth/authorize`);
  url.searchParams.set('client_id', deps.settings.clientId);
  url.searchParams.set('scope', SHOPIFY_SCOPES.join(','));
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('state', `${input.tenantId}.${nonce}`);
  // No `grant_options[]=per-user`: an offline token, for work done while nobody is signed in.
  return { authorizeUrl: url.toString() };
}

const STATE = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{32})$/;

/** Whether Shopify signed this query with the app's secret (hex HMAC, constant time, fresh timestamp). */
async function signedByShopify(settings: ShopifyAppSettings, query: URLSearchParams): Promise<boolean> {
  try {
    return await (await library(settings)).utils.validateHmac(query);
  } catch {
    // No hmac, or a timestamp more than 90 seconds off: not a callback we accept.
    return false;
  }
}

/**
 * Finishes an install from Shopify's redirect: the query's HMAC first (a forged request cannot
 * burn a real state), then the shop domain, then the state, consumed by a conditional delete so
 * a replay, even a concurrent one, is refused; then the code is exchanged for expiring offline
 * tokens and the connection and its directory entry are stored. Every refusal is a 400 that
 * changes nothing.
 */
export async function finishShopInstall(
  deps: ShopOAuthDeps,
  query: URLSearchParams,
  sourceAddress?: string,
): Promise<{ tenantId: string; shopDomain: string }> {
  if (!(await signedByShopify(deps.settings, query))) {
    throw new ValidationError('This request was not signed by Shopify');
  }
  const shopDomain = await shopDomainOf(deps.settings, query.get('shop') ?? '');
  const state = STATE.exec(query.get('state') ?? '');
  const code = query.get('code');
  if (!state || !code) throw new ValidationError('This install link is not valid; start again from Asistone');
  const [, tenantId, nonce] = state as unknown as [string, string, string];
  let install: { shopDomain: string; memberId: string; expiresAt: number } | null = null;
  try {
    const removed = await deps.store.entities.shopInstall.remove({ tenantId, nonce }).go({ response: 'all_old' });
    install = removed.data;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const now = deps.now?.() ?? Date.now();
  if (!install || install.expiresAt <= now || install.shopDomain !== shopDomain) {
    throw new ValidationError('This install link was already used or has expired; start again from Asistone');
  }
  const tokens = await requestShopTokens(deps, shopDomain, { code });
  await saveShopConnection(deps, tenantId, shopDomain, tokens, install.memberId, now);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: install.memberId,
    target: { type: 'shopify', id: shopDomain },
    sourceAddress,
    detail: { kind: 'shopify' },
  });
  deps.log.info('shop connected', { tenantId, shopDomain });
  // The connection stands even if the import cannot be queued now: it can be started by hand.
  await deps
    .startBackfill?.(tenantId, shopDomain)
    .catch((error: unknown) =>
      deps.log.warn('shop backfill not queued', { tenantId, shopDomain, error: (error as Error).name }),
    );
  return { tenantId, shopDomain };
}

/**
 * Stores a connected shop: its tokens sealed with the business's key, and the directory entry
 * that routes the shop's webhooks to the business. Connecting again replaces the tokens.
 */
export async function saveShopConnection(
  deps: { store: ShopConnectionStore; keyring: Pick<TenantKeyring, 'forTenant'> },
  tenantId: string,
  shopDomain: string,
  tokens: ShopTokens,
  memberId: string,
  nowMs = Date.now(),
): Promise<void> {
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.shopConnection
    .put({
      tenantId,
      shopDomain,
      status: 'connected',
      scopes: tokens.scopes,
      ...sealShopTokens(keys, shopDomain, tokens),
      connectedBy: memberId,
      connectedAt: nowMs,
    })
    .go();
  await deps.store.entities.shopDirectory.put({ shopDomain, tenantId, connectedAt: nowMs }).go();
}

/** What the store page shows about the connection: never a token. */
export interface ShopConnectionView {
  connected: boolean;
  shopDomain: string | null;
  status: ShopConnectionStatus | null;
  /** `app`: through the public app's install; `custom`: the merchant's own custom app. */
  kind: 'app' | 'custom' | null;
  scopes: string[];
  connectedAt: string | null;
  disconnectedAt: string | null;
}

export async function shopConnectionView(store: ShopConnectionStore, tenantId: string): Promise<ShopConnectionView> {
  const { data } = await store.entities.shopConnection.query.byTenant({ tenantId }).go({ pages: 'all' });
  // The connected shop, or else the most recent one the business had.
  const shop = [...data].sort(
    (a, b) => Number(b.status === 'connected') - Number(a.status === 'connected') || b.updatedAt - a.updatedAt,
  )[0];
  if (!shop) {
    return {
      connected: false,
      shopDomain: null,
      status: null,
      kind: null,
      scopes: [],
      connectedAt: null,
      disconnectedAt: null,
    };
  }
  return {
    connected: shop.status === 'connected',
    shopDomain: shop.shopDomain,
    status: shop.status,
    kind: shop.kind ?? 'app',
    scopes: shop.scopes ? shop.scopes.split(',').filter(Boolean) : [],
    connectedAt: new Date(shop.connectedAt).toISOString(),
    disconnectedAt: shop.disconnectedAt ? new Date(shop.disconnectedAt).toISOString() : null,
  };
}

/**
 * Disconnects the business's shop: syncing stops (no token to call Shopify with, webhooks for a
 * disconnected shop are ignored), the tokens are dropped, the synced data is kept, as the
 * privacy policy says. The directory entry stays, so Shopify's later `shop/redact` still finds
 * the business. Disconnecting twice changes nothing.
 */
export async function disconnectShop(
  deps: Pick<ShopOAuthDeps, 'store' | 'log'>,
  actor: { userId: string; sourceAddress?: string | undefined },
  tenantId: string,
): Promise<ShopConnectionView> {
  const { data } = await deps.store.entities.shopConnection.query.byTenant({ tenantId }).go({ pages: 'all' });
  for (const shop of data.filter((s) => s.status === 'connected')) {
    await deps.store.entities.shopConnection
      .patch({ tenantId, shopDomain: shop.shopDomain })
      .set({ status: 'disconnected', disconnectedAt: Date.now() })
      .remove([...SHOP_CREDENTIAL_FIELDS])
      .go();
    await recordAuditEvent(deps.store, tenantId, {
      action: 'integration.disconnected',
      actorId: actor.userId,
      target: { type: 'shopify', id: shop.shopDomain },
      sourceAddress: actor.sourceAddress,
      detail: { kind: 'shopify' },
    });
    deps.log.info('shop disconnected', { tenantId, shopDomain: shop.shopDomain });
  }
  return shopConnectionView(deps.store, tenantId);
}
