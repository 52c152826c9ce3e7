import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * What the fake Shopify knows: its shops (each with the data its webhooks and GraphQL
 * serve: customers, orders, products, inventory, webhook subscriptions), the app's credentials,
 * and the OAuth codes and tokens it issued. Plain JSON, so it is kept in the local data folder
 * across restarts (a sealed token stored by the product must still be one the fake knows).
 */

/** A shop with everything the other fake routes add (as Shopify's GraphQL shapes, loosely typed here). */
export interface FakeShop {
  domain: string;
  name: string;
  /** The shop's currency (`shop { currencyCode }`), which its product prices are in; TRY when unset. */
  currencyCode?: string;
  /** The storefront's own domain (`shop { primaryDomain { host } }`); its myshopify domain when unset. */
  primaryDomain?: string;
  customers: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  products: Record<string, unknown>[];
  inventory: Record<string, unknown>[];
  /** Names of the shop's locations by gid, and whether each ships online orders (`Location N` and yes when unset). */
  locations?: Record<string, { name: string; fulfillsOnlineOrders?: boolean }>;
  webhookSubscriptions: Record<string, unknown>[];
  /** Checkouts made by `/dev/shopify/checkouts` (shopify-checkouts.ts), as their webhooks carried them. */
  checkouts?: (Record<string, unknown> & { token: string })[];
}

export interface FakeShopToken {
  shop: string;
  /** ms. */
  expiresAt: number;
  scope: string;
  /** Which grant issued an access token: the merchant's offline token (default), an application-only token, a custom app's. */
  kind?: 'offline' | 'app' | 'custom';
}

/** A custom app a merchant made in the Dev Dashboard and installed on one of their stores. */
export interface FakeCustomApp {
  clientSecret: string;
  shop: string;
  scope: string;
}

export interface FakeShopState {
  clientId: string;
  clientSecret: string;
  shops: Record<string, FakeShop>;
  /** Authorization codes, single use, 60 seconds. */
  codes: Record<string, FakeShopToken & { used?: boolean }>;
  accessTokens: Record<string, FakeShopToken>;
  refreshTokens: Record<string, FakeShopToken>;
  /** How many `refresh_token` grants were answered (the single-flight tests count them). */
  refreshCalls: number;
  /** How many `code` grants were answered. */
  codeExchanges: number;
  /** Custom apps by client id (client credentials grant). */
  customApps?: Record<string, FakeCustomApp>;
  /** How many application-only tokens (signed client assertions) and custom-app tokens were issued. */
  appTokenGrants?: number;
  clientCredentialsGrants?: number;
  /** How many Admin API calls each kind of token made (the tests see which token background work used). */
  callsByTokenKind?: Record<string, number>;
}

/** Access tokens last 60 minutes, refresh tokens 90 days, as Shopify's expiring offline tokens. */
export const FAKE_ACCESS_TOKEN_SECONDS = 60 * 60;
export const FAKE_REFRESH_TOKEN_SECONDS = 90 * 24 * 60 * 60;

export function createFakeShopState(options: { clientId: string; clientSecret: string }): FakeShopState {
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    shops: {},
    codes: {},
    accessTokens: {},
    refreshTokens: {},
    refreshCalls: 0,
    codeExchanges: 0,
  };
}

/** The shop, created empty on first sight (a merchant installing the app brings their store). */
export function fakeShop(state: FakeShopState, domain: string): FakeShop {
  state.shops[domain] ??= {
    domain,
    name: domain.replace(/\.myshopify\.com$/, ''),
    customers: [],
    orders: [],
    products: [],
    inventory: [],
    webhookSubscriptions: [],
  };
  return state.shops[domain];
}

/** The shop an Admin API access token opens, or undefined when it is unknown, expired or another shop's. */
export function shopOfAccessToken(state: FakeShopState, shop: string, token: string | undefined): FakeShop | undefined {
  const issued = token ? state.accessTokens[token] : undefined;
  if (!issued || issued.shop !== shop || issued.expiresAt <= Date.now()) return undefined;
  const kind = issued.kind ?? 'offline';
  state.callsByTokenKind = { ...state.callsByTokenKind, [kind]: (state.callsByTokenKind?.[kind] ?? 0) + 1 };
  return state.shops[shop];
}

export function restoreFakeShopState(file: string | undefined, fresh: FakeShopState): FakeShopState {
  if (!file || !existsSync(file)) return fresh;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as FakeShopState;
  // The credentials are the stack's settings of this run, not the saved ones.
  return { ...saved, clientId: fresh.clientId, clientSecret: fresh.clientSecret };
}

export function persistFakeShopState(file: string | undefined, state: FakeShopState): void {
  if (file) writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
}
