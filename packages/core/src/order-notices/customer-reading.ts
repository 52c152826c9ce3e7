import { openOrUndefined, type TenantKeys } from '../platform/crypto/keyring.js';
import type { Store } from '../platform/store/service.js';
import type { SHOPIFY_STORE_RECORDS } from '../shopify/store-records.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';

/**
 * What a message to a shop's customer reads about them and the shop, shared by order notices and
 * cart reminders: the number a text can go to, their name, the shop's name, and money as the
 * customer reads it.
 */

type ReadingStore = Store<Pick<typeof SHOPIFY_STORE_RECORDS, 'shopCustomer'> & Pick<typeof TENANCY_RECORDS, 'tenant'>>;

/** A number a text can go to (E.164 with '+'), from what the customer typed; undefined when it is not one. */
export function mobileOf(raw: string | undefined): string | undefined {
  const phone = raw?.replace(/[\s()-]/g, '');
  return phone && /^\+[1-9][0-9]{6,14}$/.test(phone) ? phone : undefined;
}

/** JSON a sealed field holds, or undefined when it is missing or not JSON. */
export function parsedJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The Shopify customer's first and last name, opened; empty when unknown. */
export async function shopCustomerName(
  store: ReadingStore,
  keys: TenantKeys,
  tenantId: string,
  customerId: string | undefined,
): Promise<string> {
  if (!customerId) return '';
  const { data: customer } = await store.entities.shopCustomer.get({ tenantId, customerId }).go();
  const sealed = customer ? openOrUndefined(keys, 'shopCustomer', 'name', customerId, customer.name) : undefined;
  const name = parsedJson<{ firstName?: string; lastName?: string }>(sealed);
  return [name?.firstName, name?.lastName].filter(Boolean).join(' ');
}

/** The business's name as its customers know it. */
export async function shopNameOf(store: ReadingStore, keys: TenantKeys, tenantId: string): Promise<string> {
  const { data: tenant } = await store.entities.tenant.get({ tenantId }).go();
  return (tenant && openOrUndefined(keys, 'tenant', 'name', tenantId, tenant.name)) ?? '';
}

/** Money as the customer reads it: the exact decimal (a comma in Turkish) and the currency. */
export function moneyText(total: { amount: string; currencyCode: string } | undefined, language: 'tr' | 'en'): string {
  if (!total) return '';
  return `${language === 'tr' ? total.amount.replace('.', ',') : total.amount} ${total.currencyCode}`;
}
