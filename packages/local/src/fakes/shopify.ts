import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { fakeShopifyBulkApp } from './shopify-bulk.js';
import { shopifyCheckoutRoutes } from './shopify-checkouts.js';
import { shopifyDemoRoutes } from './shopify-demo.js';
import { fakeShopifyGraphqlApp } from './shopify-graphql.js';
import { shopifyInventoryRoutes } from './shopify-inventory.js';
import {
  createFakeShopState,
  FAKE_ACCESS_TOKEN_SECONDS,
  FAKE_REFRESH_TOKEN_SECONDS,
  type FakeShopState,
  fakeShop,
  persistFakeShopState,
  restoreFakeShopState,
} from './shopify-state.js';
import { shopifyWebhookRoutes } from './shopify-webhooks.js';

/**
 * A fake of Shopify for the local stack and tests. Every shop is served under
 * `<url>/<shop domain>` (the product's `SHOPIFY_SHOP_BASE_URL`), speaking Shopify's real shapes:
 * the OAuth authorize page (approves at once), the token endpoint with expiring offline tokens
 * and rotating refresh tokens, and, mounted by their own files, the webhooks and GraphQL.
 * Local only: nothing in stacks/ or functions/ refers to it.
 */

export interface FakeShopifyOptions {
  clientId: string;
  clientSecret: string;
  port?: number;
  /** Where to keep shops and tokens across restarts (the local data folder); memory only when unset. */
  stateFile?: string;
  /**
   * Shops that exist from the start, each with a refresh token the fake honours the first time
   * it sees the shop (the local seed stores the same one): the demo store.
   */
  seedShops?: readonly { domain: string; refreshToken: string }[];
  /** The local stack's `/webhooks/shopify`, where the webhook sender posts (shopify-webhooks.ts). */
  webhookUrl?: () => string | undefined;
  /**
   * The public key (PEM) added to the app in the Dev Dashboard: it verifies the client assertions
   * of application-only tokens. Without it the fake refuses every assertion.
   */
  appPublicKey?: string;
}

export interface FakeShopify {
  url: string;
  state: FakeShopState;
  /** Keeps the state in the state file (routes that change it call this). */
  save(): void;
  stop(): Promise<void>;
}

/** The settings that point a process at this fake. */
export function fakeShopifyEnvironment(fake: Pick<FakeShopify, 'url'>) {
  return { SHOPIFY_SHOP_BASE_URL: fake.url };
}

/**
 * The local stack's app key pair for application-only tokens: the private key goes to the
 * functions (as SSM gives `SHOPIFY_APP_PRIVATE_KEY` in AWS), the public key to this fake (as the
 * Dev Dashboard holds it). Made in memory at each start, never a file in git; a `.env` key is
 * used instead when set.
 */
export function localAppKeyPair(privateKeyPem?: string): { privateKey: string; publicKey: string } {
  if (privateKeyPem) {
    const pem = privateKeyPem.replace(/\\n/g, '\n');
    return { privateKey: pem, publicKey: createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString() };
  }
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const token = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`;

/** Shopify's OAuth query signature: hex HMAC-SHA256 of the sorted query (without `hmac`), URL-encoded. */
export function signShopifyQuery(params: Record<string, string>, secret: string): string {
  const sorted = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const message = sorted.toString().replace(/\+/g, '%20');
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Reads a token request's fields, JSON or form-encoded, as Shopify accepts both. */
async function fields(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, String(value)]));
  }
  const form = await c.req.parseBody();
  return Object.fromEntries(Object.entries(form).map(([key, value]) => [key, String(value)]));
}

/** Application-only tokens last up to an hour; custom apps' client-credentials tokens 24 hours (Shopify answers 86399). */
export const FAKE_APP_TOKEN_SECONDS = 60 * 60 - 1;
export const FAKE_CUSTOM_APP_TOKEN_SECONDS = 24 * 60 * 60 - 1;
const APP_SCOPES =
  'read_customers,read_orders,read_products,read_inventory,write_inventory,read_locations,read_fulfillments,read_checkouts';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Longest assertion the fake accepts (exp - iat), and the clock skew it allows on `iat`. */
const MAX_ASSERTION_SECONDS = 10 * 60;
const SKEW_SECONDS = 60;

/**
 * Why a client assertion is refused, or undefined when it is good: an RS256 JWT signed with the
 * app's private key (checked with the Dev Dashboard's public key), issued by and about the app's
 * client id, addressed to this shop's token endpoint, not expired, not too long, used once.
 */
function assertionRefusal(
  assertion: string,
  input: { publicKey: KeyObject | undefined; clientId: string; shop: string; usedIds: Set<string> },
): string | undefined {
  if (!input.publicKey) return 'No public key is registered for this app';
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'The client assertion is not a JWT';
  const [header, payload, signature] = parts as [string, string, string];
  let claims: Record<string, unknown>;
  try {
    const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (head.alg !== 'RS256') return 'The client assertion must be signed with RS256';
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'The client assertion is not a JWT';
  }
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    input.publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) return 'The client assertion signature is invalid';
  const now = Math.floor(Date.now() / 1000);
  const { iss, sub, aud, iat, exp, jti } = claims;
  if (iss !== input.clientId || sub !== input.clientId) return 'The client assertion is not from this app';
  if (aud !== `https://${input.shop}/admin/oauth/access_token`) return 'The client assertion is for another store';
  if (typeof exp !== 'number' || exp <= now) return 'The client assertion has expired';
  if (typeof iat !== 'number' || iat > now + SKEW_SECONDS || exp - iat > MAX_ASSERTION_SECONDS) {
    return 'The client assertion lifetime is not valid';
  }
  if (typeof jti !== 'string' || !jti || input.usedIds.has(jti)) return 'The client assertion was already used';
  input.usedIds.add(jti);
  return undefined;
}

/** The fake's own routes for one shop's OAuth. */
function oauthRoutes(state: FakeShopState, save: () => void, appPublicKey?: string) {
  const app = new Hono();
  const publicKey = appPublicKey ? createPublicKey(appPublicKey) : undefined;
  // Assertion ids seen (in memory: an assertion lives a minute, far less than a restart).
  const usedAssertionIds = new Set<string>();

  // The merchant approves at once: Shopify redirects to the app's redirect_uri with a signed query.
  app.get('/:shop/admin/oauth/authorize', (c) => {
    const shop = c.req.param('shop');
    const redirectUri = c.req.query('redirect_uri');
    const stateParam = c.req.query('state');
    if (!SHOP_DOMAIN.test(shop)) return c.text('There is no store at this address', 404);
    if (c.req.query('client_id') !== state.clientId)
      return c.text('Oauth error invalid_request: The client id is wrong', 400);
    if (!redirectUri || !/^https?:\/\//.test(redirectUri) || !stateParam) {
      return c.text('Oauth error invalid_request: The redirect_uri and state are required', 400);
    }
    fakeShop(state, shop);
    const code = token('code');
    state.codes[code] = { shop, expiresAt: Date.now() + 60_000, scope: c.req.query('scope') ?? '' };
    save();
    const query: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, '')}`).toString('base64url'),
      shop,
      state: stateParam,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    target.searchParams.set('hmac', signShopifyQuery(query, state.clientSecret));
    return c.redirect(target.toString(), 302);
  });

  app.post('/:shop/admin/oauth/access_token', async (c) => {
    const shop = c.req.param('shop');
    const body = await fields(c);
    if (body.grant_type === 'client_credentials') {
      const issueShortLived = (kind: 'app' | 'custom', scope: string, seconds: number) => {
        const accessToken = token('shpat');
        state.accessTokens[accessToken] = { shop, scope, expiresAt: Date.now() + seconds * 1000, kind };
        if (kind === 'app') state.appTokenGrants = (state.appTokenGrants ?? 0) + 1;
        else state.clientCredentialsGrants = (state.clientCredentialsGrants ?? 0) + 1;
        save();
        return c.json({ access_token: accessToken, scope, expires_in: seconds });
      };
      if (body.client_assertion !== undefined) {
        // The public app: a signed client assertion instead of the secret, for a store that installed it.
        if (body.client_assertion_type !== JWT_BEARER || body.client_id !== state.clientId) {
          return c.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
        }
        const refusal = assertionRefusal(body.client_assertion, {
          publicKey,
          clientId: state.clientId,
          shop,
          usedIds: usedAssertionIds,
        });
        if (refusal) return c.json({ error: 'invalid_client', error_description: refusal }, 401);
        if (!state.shops[shop]) {
          return c.json(
            { error: 'app_not_installed', error_description: 'The app is not installed on this store' },
            400,
          );
        }
        return issueShortLived('app', APP_SCOPES, FAKE_APP_TOKEN_SECONDS);
      }
      // A custom app: its own client id and secret, only for the store it is installed on.
      const custom = state.customApps?.[body.client_id ?? ''];
      if (!custom || !body.client_secret || custom.clientSecret !== body.client_secret) {
        return c.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
      }
      if (custom.shop !== shop) {
        return c.json(
          { error: 'shop_not_permitted', error_description: 'The app is not installed on this store' },
          400,
        );
      }
      return issueShortLived('custom', custom.scope, FAKE_CUSTOM_APP_TOKEN_SECONDS);
    }
    if (body.client_id !== state.clientId || body.client_secret !== state.clientSecret) {
      return c.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
    }
    const issue = (scope: string) => {
      const accessToken = token('shpat');
      const refreshToken = token('shprt');
      const now = Date.now();
      state.accessTokens[accessToken] = { shop, scope, expiresAt: now + FAKE_ACCESS_TOKEN_SECONDS * 1000 };
      state.refreshTokens[refreshToken] = { shop, scope, expiresAt: now + FAKE_REFRESH_TOKEN_SECONDS * 1000 };
      save();
      return c.json({
        access_token: accessToken,
        scope,
        expires_in: FAKE_ACCESS_TOKEN_SECONDS,
        refresh_token: refreshToken,
        refresh_token_expires_in: FAKE_REFRESH_TOKEN_SECONDS,
      });
    };
    if (body.grant_type === 'refresh_token') {
      const issued = state.refreshTokens[body.refresh_token ?? ''];
      if (!issued || issued.shop !== shop || issued.expiresAt <= Date.now()) {
        return c.json({ error: 'invalid_grant', error_description: 'The refresh token is invalid or expired' }, 400);
      }
      // Rotation: the old refresh token stops working once it has been used.
      delete state.refreshTokens[body.refresh_token as string];
      state.refreshCalls += 1;
      return issue(issued.scope);
    }
    const code = state.codes[body.code ?? ''];
    if (!code || code.used || code.shop !== shop || code.expiresAt <= Date.now()) {
      return c.json(
        { error: 'invalid_request', error_description: 'The authorization code was not found or was already used' },
        400,
      );
    }
    code.used = true;
    state.codeExchanges += 1;
    // Without `expiring=1` Shopify would issue a non-expiring offline token, which public apps may no longer use.
    if (body.expiring !== '1') {
      const accessToken = token('shpat');
      state.accessTokens[accessToken] = { shop, scope: code.scope, expiresAt: Number.MAX_SAFE_INTEGER };
      save();
      return c.json({ access_token: accessToken, scope: code.scope });
    }
    return issue(code.scope);
  });

  // For developers and tests: counts only, never a token.
  app.get('/dev/shopify/state', (c) =>
    c.json({
      shops: Object.keys(state.shops).sort(),
      refreshCalls: state.refreshCalls,
      codeExchanges: state.codeExchanges,
      appTokenGrants: state.appTokenGrants ?? 0,
      clientCredentialsGrants: state.clientCredentialsGrants ?? 0,
      callsByTokenKind: state.callsByTokenKind ?? {},
      liveAccessTokens: Object.values(state.accessTokens).filter((t) => t.expiresAt > Date.now()).length,
    }),
  );

  // For developers and tests: a merchant makes a custom app in the Dev Dashboard and installs it
  // on their store; the answer is what the Dev Dashboard's settings page shows.
  app.post('/dev/shopify/custom-apps', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { shop?: unknown; scope?: unknown };
    const shop = typeof body.shop === 'string' ? body.shop : '';
    if (!SHOP_DOMAIN.test(shop)) return c.json({ error: 'shop must be <name>.myshopify.com' }, 400);
    fakeShop(state, shop);
    const clientId = randomBytes(16).toString('hex');
    const clientSecret = token('shpss');
    const scope = typeof body.scope === 'string' ? body.scope : APP_SCOPES;
    state.customApps = { ...state.customApps, [clientId]: { clientSecret, shop, scope } };
    save();
    return c.json({ client_id: clientId, client_secret: clientSecret, scope });
  });
  return app;
}

export async function startFakeShopify(options: FakeShopifyOptions): Promise<FakeShopify> {
  const state = restoreFakeShopState(options.stateFile, createFakeShopState(options));
  const save = () => persistFakeShopState(options.stateFile, state);
  for (const seed of options.seedShops ?? []) {
    if (state.shops[seed.domain]) continue;
    fakeShop(state, seed.domain);
    state.refreshTokens[seed.refreshToken] = {
      shop: seed.domain,
      scope: APP_SCOPES,
      expiresAt: Date.now() + FAKE_REFRESH_TOKEN_SECONDS * 1000,
    };
    save();
  }
  const app = new Hono();
  app.route('/', oauthRoutes(state, save, options.appPublicKey));
  app.route(
    '/',
    shopifyWebhookRoutes(state, () => options.webhookUrl?.()),
  );
  app.route('/', shopifyInventoryRoutes(state, { save, webhookUrl: () => options.webhookUrl?.() }));
  app.route('/', fakeShopifyBulkApp(state, { save }));
  app.route('/dev/shopify', shopifyDemoRoutes(state, { save }));
  app.route('/', shopifyCheckoutRoutes(state, { save, webhookUrl: () => options.webhookUrl?.() }));
  app.route('/', fakeShopifyGraphqlApp(state, { save }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    save,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
