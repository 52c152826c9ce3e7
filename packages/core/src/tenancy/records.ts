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
 * The tenant's Meta app: the secret Meta signs webhooks with and the token it echoes in the
 * verification handshake. Both sealed.
 */
export const MetaAppRecord = new Entity({
  model: { entity: 'metaApp', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    appSecret: { type: 'string', required: true },
    verifyToken: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'meta-app', casing: 'none' },
    },
  },
});

/** A connected messaging channel, e.g. a WhatsApp business phone number. */
export const ChannelRecord = new Entity({
  model: { entity: 'channel', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    kind: { type: ['whatsapp', 'instagram', 'messenger'] as const, required: true, readOnly: true },
    /** The provider's id: WhatsApp phone_number_id, Instagram account id, Page id. */
    externalId: { type: 'string', required: true, readOnly: true },
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
  },
});

/** The tenancy area's records. */
export const TENANCY_RECORDS = { tenant: TenantRecord, metaApp: MetaAppRecord, channel: ChannelRecord };

export type TenancyStore = Store<typeof TENANCY_RECORDS>;
