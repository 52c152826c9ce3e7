import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';

/** A business using Asistone. Everything it owns carries its `tenantId`. */
export const TenantRecord = new Entity({
  model: { entity: 'tenant', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** Sealed: a business name can identify a sole trader. */
    name: { type: 'string', required: true },
    status: { type: ['active', 'deleting'] as const, required: true, default: 'active' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'tenant', casing: 'none' },
    },
  },
});

/**
 * Where the channel directory lives: "which business owns this phone number id (Page, Instagram
 * account)?" is asked before any business is known (one Meta app delivers for every business),
 * so its keys cannot start with a tenant. The one other exception to tenant-first keys, next
 * to the accounts space; generated business ids (`b…`) can never take this name, and the index
 * holds only what Meta already puts in every delivery (provider ids, no personal data).
 */
export const CHANNEL_DIRECTORY = 'channels';

/** A connected messaging channel, e.g. a WhatsApp business phone number. */
export const ChannelRecord = new Entity({
  model: { entity: 'channel', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    kind: { type: ['whatsapp', 'instagram', 'messenger'] as const, required: true, readOnly: true },
    /** The provider's id: WhatsApp phone_number_id, Instagram account id, Page id. */
    externalId: { type: 'string', required: true, readOnly: true },
    /**
     * The account the channel belongs to at the provider: the WhatsApp Business Account (WABA)
     * id, whose template and account events name no phone number.
     */
    accountId: { type: 'string', readOnly: true },
    label: { type: 'string', required: true },
    /** Sealed provider access token, when the channel sends. */
    accessToken: { type: 'string' },
    connectedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['kind', 'externalId'],
        template: 'channel#${kind}#${externalId}',
        casing: 'none',
      },
    },
    /** The business that owns a provider id, for routing Meta deliveries (see CHANNEL_DIRECTORY). */
    byProviderId: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['kind', 'externalId'],
        template: `t#${CHANNEL_DIRECTORY}#\${kind}#\${externalId}`,
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['tenantId'], template: 'owner#${tenantId}', casing: 'none' },
    },
  },
});

/**
 * That a business has channels under a provider account: a WhatsApp Business Account (WABA),
 * whose template and account events name no phone number. A directory entry (see
 * CHANNEL_DIRECTORY) rather than an index on the channel, because most channels have no such
 * account and a DynamoDB index cannot leave them out here.
 */
export const ProviderAccountRecord = new Entity({
  model: { entity: 'providerAccount', version: '1', service: 'asistone' },
  attributes: {
    kind: { type: ['whatsapp'] as const, required: true, readOnly: true },
    accountId: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true, readOnly: true },
    connectedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byAccount: {
      pk: {
        field: 'pk',
        composite: ['kind', 'accountId'],
        template: `t#${CHANNEL_DIRECTORY}#\${kind}-account#\${accountId}`,
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['tenantId'], template: 'owner#${tenantId}', casing: 'none' },
    },
  },
});

/** The tenancy area's records. */
export const TENANCY_RECORDS = { tenant: TenantRecord, channel: ChannelRecord, providerAccount: ProviderAccountRecord };

export type TenancyStore = Store<typeof TENANCY_RECORDS>;
