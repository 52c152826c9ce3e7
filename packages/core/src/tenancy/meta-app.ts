import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { TenancyStore } from './records.js';

export interface MetaAppSecrets {
  appSecret: string;
  verifyToken: string;
}

/** Stores a tenant's Meta app credentials, sealed with the tenant's key. */
export async function saveMetaApp(
  deps: { store: TenancyStore; keyring: TenantKeyring },
  tenantId: string,
  secrets: MetaAppSecrets,
): Promise<void> {
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.metaApp
    .put({
      tenantId,
      appSecret: keys.seal('metaApp', 'appSecret', tenantId, secrets.appSecret),
      verifyToken: keys.seal('metaApp', 'verifyToken', tenantId, secrets.verifyToken),
    })
    .go();
}

/**
 * Reads tenants' Meta app credentials, keeping them in memory for a few minutes: every
 * webhook call needs them, and a webhook must answer in milliseconds.
 */
export function metaAppDirectory(deps: { store: TenancyStore; keyring: TenantKeyring }, cacheMs = 5 * 60_000) {
  const cache = new Map<string, { secrets: MetaAppSecrets | undefined; expiresAt: number }>();
  return async function secretsFor(tenantId: string): Promise<MetaAppSecrets | undefined> {
    const hit = cache.get(tenantId);
    if (hit && hit.expiresAt > Date.now()) return hit.secrets;
    const record = await deps.store.entities.metaApp.get({ tenantId }).go();
    let secrets: MetaAppSecrets | undefined;
    if (record.data) {
      const keys = await deps.keyring.forTenant(tenantId);
      secrets = {
        appSecret: keys.open('metaApp', 'appSecret', tenantId, record.data.appSecret),
        verifyToken: keys.open('metaApp', 'verifyToken', tenantId, record.data.verifyToken),
      };
    }
    // Unknown tenants are cached briefly too, so a flood of bad URLs costs one read a minute.
    cache.set(tenantId, { secrets, expiresAt: Date.now() + (secrets ? cacheMs : 60_000) });
    return secrets;
  };
}
