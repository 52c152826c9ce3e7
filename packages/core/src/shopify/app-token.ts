import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { ConfigError } from '../platform/errors.js';
import type { ShopifyAppSettings } from './settings.js';
import {
  connectedShop,
  requestClientCredentialsToken,
  type ShopAccess,
  type ShopTokenDeps,
  shopAccess,
  singleFlightToken,
  type TokenSlot,
} from './tokens.js';

/**
 * Application-only access tokens for background work (reconcile, backfill, stock pushes,
 * webhook follow-ups): the app signs a short-lived JWT client assertion (RS256) with its private
 * key, and the shop exchanges it for a GraphQL Admin API token of up to an hour, with no refresh
 * token. Unlike the merchant's offline token, nothing rotates, so a lost answer costs nothing
 * but another signature; still, the token is cached sealed on the connection until 5 minutes
 * before expiry, fetched single-flight so a burst of jobs asks Shopify once.
 */

/** How long an assertion is good for: it is used at once, so a minute is plenty. */
const ASSERTION_SECONDS = 60;

const APP_SLOT: TokenSlot = { token: 'appToken', expiresAt: 'appTokenExpiresAt', lease: 'appTokenLeaseUntil' };

const keys = new Map<string, { privateKey: KeyObject; kid: string }>();

/**
 * The app's private key, parsed once per process, and its key id: the RFC 7638 thumbprint of
 * the public key's JWK, the same id the JWK added in the Dev Dashboard has. A key that does not
 * parse is a deployment mistake: a ConfigError that never echoes the key.
 */
function appKey(pem: string): { privateKey: KeyObject; kid: string } {
  let found = keys.get(pem);
  if (!found) {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(pem);
    } catch {
      throw new ConfigError('invalid configuration: SHOPIFY_APP_PRIVATE_KEY: not a PEM private key');
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
      throw new ConfigError('invalid configuration: SHOPIFY_APP_PRIVATE_KEY: must be an RSA key (RS256)');
    }
    found = { privateKey, kid: jwkThumbprint(createPublicKey(privateKey)) };
    keys.set(pem, found);
  }
  return found;
}

/** RFC 7638: SHA-256 of the required JWK members in lexical order, base64url. */
export function jwkThumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  return createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A client assertion for one shop: issued by and about the app (its client id), addressed to
 * that shop's token endpoint (so it opens no other shop), a minute long, with a unique id.
 *
 * @example
 * const assertion = signClientAssertion(settings, 'asistone-demo.myshopify.com');
 */
export function signClientAssertion(
  settings: Pick<ShopifyAppSettings, 'clientId' | 'appPrivateKey'>,
  shopDomain: string,
  nowMs = Date.now(),
): string {
  if (!settings.appPrivateKey) throw new ConfigError('invalid configuration: SHOPIFY_APP_PRIVATE_KEY: not set');
  const { privateKey, kid } = appKey(settings.appPrivateKey);
  const issuedAt = Math.floor(nowMs / 1000);
  const header = base64url({ alg: 'RS256', typ: 'JWT', kid });
  const payload = base64url({
    iss: settings.clientId,
    sub: settings.clientId,
    aud: `https://${shopDomain}/admin/oauth/access_token`,
    iat: issuedAt,
    exp: issuedAt + ASSERTION_SECONDS,
    jti: randomUUID(),
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * The token background work calls the shop with: an application-only token when the app's
 * private key is configured and the shop was connected through the public app; otherwise the
 * merchant's token (`shopAccess`: the offline token, or a custom app's own 24-hour token).
 *
 * @example
 * const reports = await reconcileShops({ ..., shopAccess: (id) => backgroundShopAccess(tokenDeps, id) });
 */
export async function backgroundShopAccess(deps: ShopTokenDeps, tenantId: string): Promise<ShopAccess> {
  if (!deps.settings.appPrivateKey) return shopAccess(deps, tenantId);
  // A custom app is not the public app: its own token serves background work too.
  if ((await connectedShop(deps.store, tenantId))?.kind === 'custom') return shopAccess(deps, tenantId);
  return singleFlightToken(
    deps,
    tenantId,
    APP_SLOT,
    (shop) => shop.kind !== 'custom',
    async (shop, tenantKeys) => {
      const token = await requestClientCredentialsToken(deps, shop.shopDomain, {
        clientId: deps.settings.clientId,
        // Shopify checks the assertion's times against its own clock: the wall clock, always.
        assertion: signClientAssertion(deps.settings, shop.shopDomain),
      });
      return {
        accessToken: token.accessToken,
        record: {
          appToken: tenantKeys.seal('shopConnection', 'appToken', shop.shopDomain, token.accessToken),
          appTokenExpiresAt: token.expiresAt,
        },
      };
    },
  );
}
