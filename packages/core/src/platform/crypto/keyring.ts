import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { TenantKeyMissingError } from '../errors.js';
import type { Store } from '../store/service.js';
import { blindIndex } from './blind-index.js';
import type { KeyProvider } from './key-provider.js';
import type { KEY_RECORDS } from './records.js';
import { openField, type SealContext, sealField } from './sealing.js';

/** What a tenant's unwrapped data key lets code do. */
export interface TenantKeys {
  readonly tenantId: string;
  seal(entity: string, field: string, itemKey: string, plaintext: string): string;
  open(entity: string, field: string, itemKey: string, sealed: string): string;
  /** Fingerprint for equality lookups on a sealed value (phone, email). */
  blindIndex(kind: string, normalisedValue: string): string;
}

/** Opens a sealed field; one sealed under a key since erased, or never set, reads as absent instead of failing the whole page. */
export function openOrUndefined(
  keys: TenantKeys | undefined,
  entity: string,
  field: string,
  itemKey: string,
  sealed?: string,
): string | undefined {
  if (!keys || sealed === undefined) return undefined;
  try {
    return keys.open(entity, field, itemKey, sealed);
  } catch {
    return undefined;
  }
}

interface CachedKeys {
  keys: TenantKeys;
  expiresAt: number;
}

/** Two independent subkeys from one data key: one seals fields, one makes blind indexes. */
function deriveKeys(tenantId: string, dataKey: Buffer): TenantKeys {
  const salt = Buffer.from(`asistone:${tenantId}`);
  const sealKey: KeyObject = createSecretKey(Buffer.from(hkdfSync('sha256', dataKey, salt, 'field-seal/v1', 32)));
  const indexKey = Buffer.from(hkdfSync('sha256', dataKey, salt, 'blind-index/v1', 32));
  const context = (entity: string, field: string, itemKey: string): SealContext => ({
    tenantId,
    entity,
    field,
    itemKey,
  });
  return {
    tenantId,
    seal: (entity, field, itemKey, plaintext) => sealField(sealKey, plaintext, context(entity, field, itemKey)),
    open: (entity, field, itemKey, sealed) => openField(sealKey, sealed, context(entity, field, itemKey)),
    blindIndex: (kind, value) => blindIndex(indexKey, kind, value),
  };
}

/**
 * Hands out each tenant's keys: unwraps the stored data key once, then serves it from memory
 * for `cacheMs`. Provisioning happens once, when the tenant is created; destruction is the
 * first step of deleting a tenant.
 */
export class TenantKeyring {
  private readonly cache = new Map<string, CachedKeys>();
  private readonly pending = new Map<string, Promise<TenantKeys>>();

  constructor(
    private readonly provider: KeyProvider,
    private readonly store: Store<typeof KEY_RECORDS>,
    private readonly cacheMs: number,
  ) {}

  /** Creates the tenant's wrapping key and data key. Safe to call again: keeps the first key. */
  async provision(tenantId: string): Promise<void> {
    const existing = await this.store.entities.tenantKey.get({ tenantId }).go();
    if (existing.data) return;
    const keyRef = await this.provider.createTenantKey(tenantId);
    const { wrapped } = await this.provider.generateDataKey(tenantId, keyRef);
    await this.store.entities.tenantKey
      .create({ tenantId, provider: this.provider.kind, keyRef, wrappedDataKey: wrapped.toString('base64') })
      .go()
      .catch(async (error: unknown) => {
        // Lost a race with another provisioner: theirs stands.
        const raced = await this.store.entities.tenantKey.get({ tenantId }).go();
        if (!raced.data) throw error;
      });
  }

  /** The tenant's keys; throws {@link TenantKeyMissingError} if it has none (or they were destroyed). */
  async forTenant(tenantId: string): Promise<TenantKeys> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.expiresAt > Date.now()) return hit.keys;
    let loading = this.pending.get(tenantId);
    if (!loading) {
      loading = this.load(tenantId).finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, loading);
    }
    return loading;
  }

  private async load(tenantId: string): Promise<TenantKeys> {
    const record = await this.store.entities.tenantKey.get({ tenantId }).go();
    if (!record.data) throw new TenantKeyMissingError(tenantId);
    const dataKey = await this.provider.unwrapDataKey(
      tenantId,
      record.data.keyRef,
      Buffer.from(record.data.wrappedDataKey, 'base64'),
    );
    const keys = deriveKeys(tenantId, dataKey);
    dataKey.fill(0);
    this.cache.set(tenantId, { keys, expiresAt: Date.now() + this.cacheMs });
    return keys;
  }

  /**
   * Crypto-shreds the tenant: destroys its wrapping key, then removes the wrapped data key.
   * Every sealed value of the tenant, in the table, in backups and in exports, becomes noise.
   */
  async destroy(tenantId: string): Promise<void> {
    this.cache.delete(tenantId);
    const record = await this.store.entities.tenantKey.get({ tenantId }).go();
    if (!record.data) return;
    await this.provider.destroyTenantKey(tenantId, record.data.keyRef);
    await this.store.entities.tenantKey.delete({ tenantId }).go();
  }
}
