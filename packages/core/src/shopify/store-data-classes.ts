import { atLocations, type DataClass, type DataLocation } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';

const root = (tenantId: string, ...prefixes: string[]): DataLocation[] =>
  prefixes.map((skPrefix) => ({ partition: `t#${tenantId}`, skPrefix }));

/**
 * The local copy of the business's Shopify store is kept while the business lives: an uninstall or
 * a disconnect stops syncing but keeps it (the privacy policy says so), the business's deletion
 * (or Shopify's `shop/redact`) removes it, and a customer's erasure removes what is theirs
 * (contact-data.ts).
 */
const WHILE_THE_BUSINESS_LIVES = { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' } as const;

export const SHOPIFY_STORE_DATA_CLASSES: DataClass[] = [
  {
    name: 'shopify.customers',
    description:
      "The store's customers: sealed names, emails and phones, their blind indexes, marketing consent as Shopify holds it",
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'shopcustomer#')),
  },
  {
    name: 'shopify.orders',
    description:
      'Orders: line items, quantities, statuses, exact money; sealed contact details, shipping address and tracking',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'shoporder#')),
  },
  {
    name: 'shopify.checkouts',
    description: 'Checkouts (carts): line items, totals, state; sealed token, contact details and recovery link',
    personal: true,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'shopcheckout#')),
  },
  {
    name: 'shopify.catalog',
    description:
      "Products, variants, SKUs, prices, images, the shop's locations and stock per location (no customer data)",
    personal: false,
    retention: WHILE_THE_BUSINESS_LIVES,
    partitions: atLocations((tenantId) => root(tenantId, 'shopproduct#', 'shopstock#', 'shoplocation#')),
  },
  {
    name: 'shopify.webhook-deliveries',
    description: 'Ids of Shopify webhook deliveries already applied (topic and id, no personal data)',
    personal: false,
    // Worth keeping only while Shopify could redeliver; DynamoDB's TTL removes them after
    // `expiresAt` (7 days). No time in their keys: the tenant purge removes what the TTL has not.
    retention: { days: 14, basis: 'created' },
    partitions: atLocations((tenantId) => root(tenantId, 'shopwebhook#')),
  },
];
