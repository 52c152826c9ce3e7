import { Entity } from 'electrodb';
import { atLocations, type DataClass } from '../platform/area.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import type { Store } from '../platform/store/service.js';

/**
 * Erasure suppression: once a Shopify customer is erased (Shopify's `customers/redact`, or an
 * inbox contact's erasure that took the customers matched to them), a late webhook or the next
 * reconcile still carries that customer's name, email and phone, and apply.ts would store them
 * again. So each erasure leaves a record keyed by a blind index of the customer's Shopify id
 * (nothing else: no id in clear, no name, no contact), and apply.ts skips any customer, order or
 * checkout of a suppressed customer. Kept while the business lives (Shopify's `shop/redact`
 * keeps it too: a reinstall's backfill must not bring an erased customer back either).
 */

export const ShopErasedCustomerRecord = new Entity({
  model: { entity: 'shopErasedCustomer', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    /** Blind index of the customer's numeric Shopify id ({@link erasedCustomerKey}). */
    customerKey: { type: 'string', required: true, readOnly: true },
    erasedAt: { type: 'number', required: true },
    /** The privacy request the erasure answers, while a `customers/redact` is in progress (a retry picks it up). */
    requestId: { type: 'string' },
  },
  indexes: {
    byKey: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['customerKey'], template: 'shoperased#${customerKey}', casing: 'none' },
    },
  },
});

export const SHOPIFY_SUPPRESSION_RECORDS = { shopErasedCustomer: ShopErasedCustomerRecord };
export type SuppressionStore = Store<typeof SHOPIFY_SUPPRESSION_RECORDS>;

export const SHOPIFY_SUPPRESSION_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.erased-customers',
    description:
      'Erased Shopify customers, as a blind index of their Shopify id only, so a late webhook or reconcile does not store them again',
    personal: false,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [{ partition: `t#${tenantId}`, skPrefix: 'shoperased#' }]),
  },
];

/** The numeric id of a customer GID or REST id: `gid://shopify/Customer/7` and `7` are one customer. */
function numericId(id: string | number): string {
  const text = String(id).split('?')[0]?.split('/').pop() ?? '';
  if (!/^[0-9]+$/.test(text)) throw new Error('not a Shopify customer id');
  return text;
}

/** The suppression key of a Shopify customer: a blind index of its numeric id (32 hex). */
export function erasedCustomerKey(keys: TenantKeys, customerId: string | number): string {
  return keys.blindIndex('shopify-erased-customer', numericId(customerId)).slice(0, 32);
}

/** Notes the customer as erased (again: the time moves, nothing else). */
export async function suppressCustomer(
  store: SuppressionStore,
  keys: TenantKeys,
  tenantId: string,
  customerId: string | number,
  requestId?: string,
): Promise<void> {
  await store.entities.shopErasedCustomer
    .upsert({
      tenantId,
      customerKey: erasedCustomerKey(keys, customerId),
      erasedAt: Date.now(),
      ...(requestId && { requestId }),
    })
    .go({ response: 'none' });
}

/** Whether the customer was erased; no customer (a guest order) is never suppressed. */
export async function isSuppressed(
  store: SuppressionStore,
  keys: TenantKeys,
  tenantId: string,
  customerId: string | number | undefined,
): Promise<boolean> {
  if (customerId === undefined || customerId === '') return false;
  const { data } = await store.entities.shopErasedCustomer
    .get({ tenantId, customerKey: erasedCustomerKey(keys, customerId) })
    .go({ attributes: ['customerKey'] });
  return data !== null;
}
