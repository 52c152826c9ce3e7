import { Entity } from 'electrodb';

/** The tenant's data key, wrapped by its key provider. Deleted first when the tenant is. */
export const TenantKeyRecord = new Entity({
  model: { entity: 'tenantKey', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    provider: { type: ['local', 'kms'] as const, required: true },
    keyRef: { type: 'string', required: true },
    /** base64 of the wrapped data key. */
    wrappedDataKey: { type: 'string', required: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byTenant: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'key', casing: 'none' },
    },
  },
});

/** The records the keyring keeps. */
export const KEY_RECORDS = { tenantKey: TenantKeyRecord };
