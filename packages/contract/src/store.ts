import * as z from 'zod';

/**
 * The local copy of the business's Shopify store as the team reads it: orders, customers and
 * products with stock per location, and the orders of an inbox contact's matching customer. Read
 * with `conversations.read`: agents answer customers about their orders. Money is the exact
 * decimal string Shopify gave, with its currency, never a float.
 */

/** A Shopify numeric id (the number inside `gid://shopify/Order/123`). */
export const shopIdSchema = z.string().regex(/^[0-9]{1,20}$/, 'must be a Shopify id (digits)');

export const moneySchema = z.object({ amount: z.string(), currencyCode: z.string() });
export type StoreMoney = z.output<typeof moneySchema>;

/** Shopify's words for an order's payment and shipping states (what the list filters on). */
export const FINANCIAL_STATUSES = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
  'expired',
] as const;
export const FULFILLMENT_STATUSES = ['unfulfilled', 'partial', 'fulfilled', 'restocked'] as const;

/** A page's cursor: the last id of the page before (the server checks its shape). */
const cursorSchema = z
  .string()
  .regex(/^[0-9]{1,20}$/, 'The cursor is not one this list gave')
  .optional();

/** `GET …/store/orders` — newest first, 25 a page by default. */
export const storeOrdersQuery = z.object({
  financialStatus: z.enum(FINANCIAL_STATUSES).optional(),
  fulfillmentStatus: z.enum(FULFILLMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: cursorSchema,
});
export type StoreOrdersQuery = z.input<typeof storeOrdersQuery>;

/** A parcel: the carrier, its tracking numbers and links. */
export const trackingSchema = z.object({
  /** Shopify's fulfillment id (digits). */
  id: z.string(),
  status: z.string(),
  shipmentStatus: z.string().nullable(),
  company: z.string().nullable(),
  numbers: z.array(z.string()),
  urls: z.array(z.string()),
  updatedAt: z.string(),
});
export type StoreTracking = z.output<typeof trackingSchema>;

/** An order in a list: enough to answer "where is my order?". */
export const orderSummarySchema = z.object({
  orderId: z.string(),
  /** `#1001`. */
  name: z.string(),
  customerId: z.string().nullable(),
  /** The customer's name as Shopify has it (opened for the team), when known. */
  customerName: z.string().nullable(),
  financialStatus: z.string().nullable(),
  fulfillmentStatus: z.string(),
  cancelledAt: z.string().nullable(),
  total: moneySchema.nullable(),
  itemCount: z.number().int(),
  /** Tracking links of the order's parcels, first one first. */
  trackingUrls: z.array(z.string()),
  createdAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type StoreOrderSummary = z.output<typeof orderSummarySchema>;

export const storeOrdersAnswer = z.object({
  orders: z.array(orderSummarySchema),
  cursor: z.string().optional(),
});
export type StoreOrdersPage = z.output<typeof storeOrdersAnswer>;

export const addressSchema = z.object({
  name: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  city: z.string().nullable(),
  province: z.string().nullable(),
  zip: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
});

/** `GET …/store/orders/:orderId`. */
export const storeOrderAnswer = orderSummarySchema.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  cancelReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  lineItems: z.array(
    z.object({
      /** Shopify's line item id (digits). */
      id: z.string(),
      title: z.string(),
      variantTitle: z.string().nullable(),
      sku: z.string().nullable(),
      quantity: z.number().int(),
      unitPrice: moneySchema,
      totalDiscount: moneySchema,
    }),
  ),
  discountCodes: z.array(z.object({ code: z.string(), amount: moneySchema })),
  shippingLines: z.array(z.object({ title: z.string(), price: moneySchema })),
  shippingAddress: addressSchema.nullable(),
  fulfillments: z.array(trackingSchema),
  subtotal: moneySchema.nullable(),
  totalDiscounts: moneySchema.nullable(),
  totalShipping: moneySchema.nullable(),
  totalTax: moneySchema.nullable(),
});
export type StoreOrder = z.output<typeof storeOrderAnswer>;

/** `GET …/store/customers` — 25 a page by default. */
export const storeCustomersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: cursorSchema,
});
export const storeCustomerSchema = z.object({
  customerId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  state: z.string().nullable(),
  tags: z.array(z.string()),
  /** Shopify's marketing consent states per channel (`subscribed`, `unsubscribed`, ...). */
  whatsappMarketing: z.string().nullable(),
  smsMarketing: z.string().nullable(),
  emailMarketing: z.string().nullable(),
  updatedAt: z.string(),
});
export type StoreCustomer = z.output<typeof storeCustomerSchema>;
export const storeCustomersAnswer = z.object({
  customers: z.array(storeCustomerSchema),
  cursor: z.string().optional(),
});

/** `GET …/store/products` — 25 a page by default. */
export const storeProductsQuery = storeCustomersQuery;
export const storeProductSchema = z.object({
  productId: z.string(),
  title: z.string(),
  status: z.string(),
  vendor: z.string().nullable(),
  productType: z.string().nullable(),
  /** The shop's currency (`shop { currencyCode }`, read by the reconcile), which the prices are in; null before it is known. */
  currencyCode: z.string().nullable(),
  imageUrl: z.string().nullable(),
  variants: z.array(
    z.object({
      variantId: z.string(),
      title: z.string(),
      sku: z.string().nullable(),
      /** In the product's `currencyCode` (Shopify's product payloads do not name it). */
      price: z.string(),
      compareAtPrice: z.string().nullable(),
      inventoryItemId: z.string().nullable(),
      /** Units available per location. */
      stock: z.array(z.object({ locationId: z.string(), available: z.number().int() })),
    }),
  ),
  updatedAt: z.string(),
});
export type StoreProduct = z.output<typeof storeProductSchema>;
export const storeProductsAnswer = z.object({
  products: z.array(storeProductSchema),
  cursor: z.string().optional(),
});

/** `GET …/store/locations` — the shop's locations as the last reconcile listed them, by name. */
export const storeLocationsAnswer = z.object({
  locations: z.array(
    z.object({
      locationId: z.string(),
      name: z.string(),
      /** Shopify ships online orders from it. */
      fulfillsOnlineOrders: z.boolean(),
    }),
  ),
});
export type StoreLocations = z.output<typeof storeLocationsAnswer>;

/** `GET …/contacts/:contactId/orders` — the orders of the Shopify customers matched to the contact, newest first. */
export const contactOrdersAnswer = z.object({
  /** The matched Shopify customers' ids (by phone or email). */
  customerIds: z.array(z.string()),
  orders: z.array(orderSummarySchema),
});
export type ContactOrders = z.output<typeof contactOrdersAnswer>;

/** The first import of a connected store's history (a bulk operation), for its progress on the page. */
export const storeImportSchema = z.object({
  status: z.enum(['queued', 'running', 'done', 'failed']),
  customersDone: z.number().int().nonnegative(),
  productsDone: z.number().int().nonnegative(),
  ordersDone: z.number().int().nonnegative(),
  /** ISO time it finished, once done or failed. */
  finishedAt: z.string().nullable(),
});
export type StoreImport = z.output<typeof storeImportSchema>;

/**
 * `GET …/store/sync` — when the scheduled reconciliation last finished, and the connected
 * store's first import (null before any, or with no store connected).
 */
export const storeSyncAnswer = z.object({
  lastReconciledAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  import: storeImportSchema.nullable(),
});
export type StoreSync = z.output<typeof storeSyncAnswer>;
