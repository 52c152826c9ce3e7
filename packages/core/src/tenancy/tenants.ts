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

/**
 * Connects a WhatsApp business phone number to the tenant's inbox. `businessAccountId` is the
 * number's WABA: template and account events name only it.
 */
export async function connectWhatsAppNumber(
  deps: TenancyDeps,
  tenantId: string,
  phoneNumberId: string,
  label: string,
  businessAccountId?: string,
): Promise<void> {
  await connectChannel(deps, tenantId, {
    kind: 'whatsapp',
    externalId: phoneNumberId,
    accountId: businessAccountId,
    label,
  });
}

export interface ChannelConnection {
  kind: 'whatsapp' | 'instagram' | 'messenger';
  /** WhatsApp phone number id, Instagram professional account id, or Facebook Page id. */
  externalId: string;
  /** WhatsApp: the number's WABA id. */
  accountId?: string;
  label: string;
}

/**
 * Records a channel, keeping what an earlier connection of the same channel stored (its token,
 * when it was connected): connecting twice changes nothing, and a record written before the
 * channel directory existed gets its directory keys.
 */
export async function connectChannel(deps: TenancyDeps, tenantId: string, channel: ChannelConnection): Promise<void> {
  const existing = await deps.store.entities.channel
    .get({ tenantId, kind: channel.kind, externalId: channel.externalId })
    .go();
  const accountId = channel.accountId ?? existing.data?.accountId;
  await deps.store.entities.channel.put({ ...(existing.data ?? {}), ...channel, tenantId, accountId }).go();
  if (channel.kind === 'whatsapp' && accountId) {
    await deps.store.entities.providerAccount.put({ kind: 'whatsapp', accountId, tenantId }).go();
  }
}
