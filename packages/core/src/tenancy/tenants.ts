import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { CHANNEL_KINDS, TenancyStore } from './records.js';

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

export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelConnection {
  kind: ChannelKind;
  /** WhatsApp phone number id, Instagram professional account id, Facebook Page id, or `sandbox`. */
  externalId: string;
  /** WhatsApp: the number's WABA id. */
  accountId?: string | undefined;
  label: string;
}

/** What connecting through Meta adds: secrets, given in clear here and sealed before they are stored. */
export interface ChannelCredentials {
  accessToken?: string | undefined;
  tokenExpiresAt?: number | undefined;
  /** WhatsApp: the two-step verification PIN the number was registered with. */
  pin?: string | undefined;
  coexistence?: boolean | undefined;
}

/**
 * Sealing context of a channel's secrets: bound to the tenant, the record and the field, so a
 * token copied to another channel or business does not open.
 */
const channelItem = (channel: { kind: string; externalId: string }) => `${channel.kind}#${channel.externalId}`;

/**
 * The channel's access token in clear, for the code that calls Meta with it (outbound, media,
 * connection test, refresh); undefined when the channel has none (seeded demo, sandbox).
 *
 * @example
 * const token = openChannelToken(keys, channel); // channel: a stored ChannelRecord item
 */
export function openChannelToken(
  keys: TenantKeys,
  channel: { kind: string; externalId: string; accessToken?: string | undefined },
): string | undefined {
  return channel.accessToken
    ? keys.open('channel', 'accessToken', channelItem(channel), channel.accessToken)
    : undefined;
}

/** The registration PIN in clear (a number moved to another provider needs it). */
export function openChannelPin(
  keys: TenantKeys,
  channel: { kind: string; externalId: string; pin?: string | undefined },
): string | undefined {
  return channel.pin ? keys.open('channel', 'pin', channelItem(channel), channel.pin) : undefined;
}

/**
 * Records a channel, keeping what an earlier connection of the same channel stored (its token,
 * when it was connected): connecting twice changes nothing, and a record written before the
 * channel directory existed gets its directory keys. A disconnected channel stays disconnected
 * (the demo seed runs on every start and must not undo a merchant's choice).
 */
export async function connectChannel(deps: TenancyDeps, tenantId: string, channel: ChannelConnection): Promise<void> {
  const existing = await deps.store.entities.channel
    .get({ tenantId, kind: channel.kind, externalId: channel.externalId })
    .go();
  const accountId = channel.accountId ?? existing.data?.accountId;
  await deps.store.entities.channel.put({ ...(existing.data ?? {}), ...channel, tenantId, accountId }).go();
  if (channel.kind === 'whatsapp' && accountId && existing.data?.status !== 'disconnected') {
    await deps.store.entities.providerAccount.put({ kind: 'whatsapp', accountId, tenantId }).go();
  }
}

export type ChannelItem = NonNullable<
  Awaited<ReturnType<ReturnType<TenancyStore['entities']['channel']['get']>['go']>>['data']
>;

/**
 * Connects (or reconnects) a channel with fresh credentials, sealed with the tenant's key:
 * status connected, back in the channel directory, the WABA's directory entry written.
 */
export async function saveConnectedChannel(
  deps: TenancyDeps,
  tenantId: string,
  channel: ChannelConnection,
  credentials: ChannelCredentials = {},
  nowMs = Date.now(),
): Promise<ChannelItem> {
  const keys = await deps.keyring.forTenant(tenantId);
  const item = channelItem(channel);
  const existing = await deps.store.entities.channel
    .get({ tenantId, kind: channel.kind, externalId: channel.externalId })
    .go();
  const kept = existing.data && existing.data.status !== 'disconnected' ? existing.data : undefined;
  const record = {
    tenantId,
    kind: channel.kind,
    externalId: channel.externalId,
    label: channel.label,
    accountId: channel.accountId ?? existing.data?.accountId,
    status: 'connected' as const,
    connectedAt: kept?.connectedAt ?? nowMs,
    // A refresh or reconnection keeps the newest connection test's outcome.
    ...(kept?.lastTestedAt && { lastTestedAt: kept.lastTestedAt, lastTestOk: kept.lastTestOk }),
    // ...and what Meta's account webhooks said (whatsapp-account-events.ts): they are not sent again.
    ...(kept?.messagingLimit && { messagingLimit: kept.messagingLimit, messagingLimitAt: kept.messagingLimitAt }),
    ...(kept?.accountEvent && { accountEvent: kept.accountEvent, accountEventAt: kept.accountEventAt }),
    ...(credentials.accessToken && {
      accessToken: keys.seal('channel', 'accessToken', item, credentials.accessToken),
      tokenIssuedAt: nowMs,
    }),
    ...(credentials.tokenExpiresAt !== undefined && { tokenExpiresAt: credentials.tokenExpiresAt }),
    ...(credentials.pin && { pin: keys.seal('channel', 'pin', item, credentials.pin) }),
    ...(credentials.coexistence !== undefined && { coexistence: credentials.coexistence }),
  };
  await deps.store.entities.channel.put(record).go();
  if (record.kind === 'whatsapp' && record.accountId) {
    await deps.store.entities.providerAccount.put({ kind: 'whatsapp', accountId: record.accountId, tenantId }).go();
  }
  const saved = await deps.store.entities.channel
    .get({ tenantId, kind: channel.kind, externalId: channel.externalId })
    .go();
  return saved.data as ChannelItem;
}

/**
 * Marks a channel disconnected and takes it out of the channel directory (the record is put
 * whole, and the directory index is sparse on the status), so Meta's deliveries for it count as
 * for no known business. Its conversations and messages stay. The token is dropped: nothing may
 * send for a channel the merchant disconnected. The WABA's entry goes when no other number of
 * the business under it stays connected.
 */
export async function markChannelDisconnected(
  deps: TenancyDeps,
  channel: ChannelItem,
  nowMs = Date.now(),
): Promise<void> {
  const { accessToken: _token, pin: _pin, ...kept } = channel;
  await deps.store.entities.channel.put({ ...kept, status: 'disconnected', disconnectedAt: nowMs }).go();
  if (channel.kind === 'whatsapp' && channel.accountId) {
    const siblings = await deps.store.entities.channel.query
      .byTenant({ tenantId: channel.tenantId, kind: 'whatsapp' })
      .go({ pages: 'all' });
    const stillUnder = siblings.data.some(
      (other) => other.accountId === channel.accountId && other.status !== 'disconnected',
    );
    if (!stillUnder) {
      await deps.store.entities.providerAccount
        .delete({ kind: 'whatsapp', accountId: channel.accountId, tenantId: channel.tenantId })
        .go();
    }
  }
}
