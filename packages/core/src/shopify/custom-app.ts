import { recordAuditEvent } from '../audit/audit-log.js';
import { ValidationError } from '../platform/errors.js';
import {
  SHOPIFY_SCOPES,
  type ShopConnectionView,
  type ShopOAuthDeps,
  shopConnectionView,
  shopDomainOf,
} from './oauth.js';
import { requestClientCredentialsToken, ShopTokenRefusedError, sealClientCredentialsToken } from './tokens.js';

/**
 * A store connected with the merchant's own custom app (made in Shopify's Dev Dashboard for
 * their own store, not Asistone's public app): no install redirect; the merchant gives us the
 * app's client id and secret, and every token comes from the client credentials grant, valid
 * 24 hours with no refresh token (`shopAccess` asks again before expiry). The secret is sealed
 * with the business's key like the tokens.
 */

export interface CustomAppInput {
  shop: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Checks the credentials by asking the shop for a token first: refused (wrong id or secret,
 * app not installed on that store) or short of the scopes the sync needs, it is a 400 and
 * nothing is stored. Accepted, the connection replaces any earlier one for that shop, the
 * directory routes the shop to the business, and the first import is queued.
 *
 * @example
 * await connectCustomApp(deps, { userId, sourceAddress }, tenantId, { shop, clientId, clientSecret });
 */
export async function connectCustomApp(
  deps: ShopOAuthDeps,
  actor: { userId: string; sourceAddress?: string | undefined },
  tenantId: string,
  input: CustomAppInput,
): Promise<ShopConnectionView> {
  const shopDomain = await shopDomainOf(deps.settings, input.shop);
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret.trim();
  let token: Awaited<ReturnType<typeof requestClientCredentialsToken>>;
  try {
    token = await requestClientCredentialsToken(deps, shopDomain, { clientId, clientSecret });
  } catch (error) {
    if (!(error instanceof ShopTokenRefusedError)) throw error;
    throw new ValidationError(
      'Shopify did not accept this client ID and secret for this store: check them in the Dev Dashboard and that the app is installed on the store',
    );
  }
  const granted = new Set(token.scopes.split(',').map((scope) => scope.trim()));
  const missing = SHOPIFY_SCOPES.filter((scope) => !granted.has(scope) && !impliedBy(scope, granted));
  if (missing.length > 0) {
    throw new ValidationError(`The custom app needs these access scopes as well: ${missing.join(', ')}`);
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const now = deps.now?.() ?? Date.now();
  await deps.store.entities.shopConnection
    .put({
      tenantId,
      shopDomain,
      status: 'connected',
      kind: 'custom',
      customClientId: clientId,
      customClientSecret: keys.seal('shopConnection', 'customClientSecret', shopDomain, clientSecret),
      ...sealClientCredentialsToken(keys, shopDomain, token),
      scopes: token.scopes,
      connectedBy: actor.userId,
      connectedAt: now,
    })
    .go();
  await deps.store.entities.shopDirectory.put({ shopDomain, tenantId, connectedAt: now }).go();
  await recordAuditEvent(deps.store, tenantId, {
    action: 'integration.connected',
    actorId: actor.userId,
    target: { type: 'shopify', id: shopDomain },
    sourceAddress: actor.sourceAddress,
    detail: { kind: 'shopify' },
  });
  deps.log.info('shop connected with a custom app', { tenantId, shopDomain });
  // The connection stands even if the import cannot be queued now: it can be started by hand.
  await deps
    .startBackfill?.(tenantId, shopDomain)
    .catch((error: unknown) =>
      deps.log.warn('shop backfill not queued', { tenantId, shopDomain, error: (error as Error).name }),
    );
  return shopConnectionView(deps.store, tenantId);
}

/** Shopify's `write_x` scope includes `read_x`. */
function impliedBy(scope: string, granted: Set<string>): boolean {
  return scope.startsWith('read_') && granted.has(`write_${scope.slice('read_'.length)}`);
}
