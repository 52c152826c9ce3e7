import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { TenancyStore } from './records.js';

export interface TenancyDeps {
  store: TenancyStore;
  keyring: TenantKeyring;
}

/**
 * Creates a business: its own data key first, then its record with the name sealed under it.
 * Creating the same tenant twice keeps the first.
 */
export async function createTenant(deps: TenancyDeps, tenantId: string, name: string): Promise<{ created: boolean }> {
  await deps.keyring.provision(tenantId);
  const keys = await deps.keyring.forTenant(tenantId);
  try {
    await deps.store.entities.tenant.create({ tenantId, name: keys.seal('tenant', 'name', tenantId, name) }).go();
    return { created: true };
  } catch (error) {
    if (isConditionFailure(error)) return { created: false };
    throw error;
  }
}

/** Connects a WhatsApp business phone number to the tenant's inbox. */
export async function connectWhatsAppNumber(
  deps: TenancyDeps,
  tenantId: string,
  phoneNumberId: string,
  label: string,
): Promise<void> {
  await deps.store.entities.channel.put({ tenantId, kind: 'whatsapp', externalId: phoneNumberId, label }).go();
}
