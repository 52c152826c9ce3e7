import { Entity } from 'electrodb';
import type { Store } from '../platform/store/service.js';
import { StockAlertRecord, StockLedgerEntryRecord } from './stock-ledger-records.js';
import { StockAdjustmentRecord } from './stock-records.js';
import { SHOPIFY_SUPPRESSION_RECORDS } from './suppression.js';

/**
 * The local copy of a business's Shopify store: customers, orders, products, stock per location
 * and checkouts, in the business's partition (`t#<tenant>`) under `shop<kind>#<id>` (never
 * `shopify#`, which is the connection's). Shopify is the source of truth: each record keeps
 * Shopify's `updatedAt`, and apply.ts replaces a record only with a newer one, so a late or
 * repeated webhook, or a reconcile racing one, never moves it backwards. Every personal field
 * (names, emails, phones, addresses, tracking, recovery links) is sealed with the business's key;
 * customers are found by blind indexes of their phone and email, which is how they are matched
 * to inbox contacts.
 */

const key = {
  tenantId: { type: 'string', required: true, readOnly: true },
} as const;

/** Shopify's own times, ms. `updatedAt` orders versions: only a greater one replaces a record. */
const shopifyTimes = {
  createdAt: { type: 'number' },
  updatedAt: { type: 'number', required: true },
  /** When this copy was written, ms (ours, not Shopify's). */
  storedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
} as const;

/** Money as Shopify gives it: the exact decimal string and its currency. */
const money = {
  type: 'map',
  properties: {
    amount: { type: 'string', required: true },
    currencyCode: { type: 'string', required: true },
  },
} as const;

/** Marketing consent as Shopify last said it (Shopify's words: `subscribed`, `unsubscribed`, ...). */
const consent = {
  type: 'map',
  properties: { state: { type: 'string', required: true }, updatedAt: { type: 'number' } },
} as const;

/**
 * Who an order or checkout belongs to, for the customer's index (gsi1; ids only, no personal
 * data): the customer's id, or {@link NO_CUSTOMER} for a guest order or a deleted checkout,
 * which have no index entry. Always set, because ElectroDB wants every composite of a sparse
 * index on each write, and the tenant id is always there.
 */
export const NO_CUSTOMER = '-';

/**
 * A customer's phone or email blind index when Shopify holds no phone or no email: always set for
 * the same reason (both sparse indexes share the tenant and customer composites), and left out of
 * its index by the condition. Many customers of a WhatsApp-first shop have a phone and no email.
 */
export const NO_BLIND_INDEX = '-';
const customerRef = { type: 'string', required: true } as const;
const customerPartition = 't#${tenantId}#shopcustomer#${customerRef}';

export const ShopCustomerRecord = new Entity({
  model: { entity: 'shopCustomer', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** The numeric part of the GID. */
    customerId: { type: 'string', required: true, readOnly: true },
    /** Sealed. */
    email: { type: 'string' },
    /** Sealed, E.164. */
    phone: { type: 'string' },
    /** Sealed: first and last name as one JSON object. */
    name: { type: 'string' },
    /** Blind index of the phone (`phone`, the inbox's kind): matches an inbox contact's `phoneIndex`; or {@link NO_BLIND_INDEX}. */
    phoneIndex: { type: 'string' },
    /** Blind index of the normalised email (`email`, as accounts use); or {@link NO_BLIND_INDEX}. */
    emailIndex: { type: 'string' },
    state: { type: 'string' },
    tags: { type: 'list', items: { type: 'string' } },
    emailMarketing: consent,
    smsMarketing: consent,
    whatsappMarketing: consent,
    ...shopifyTimes,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['customerId'], template: 'shopcustomer#${customerId}', casing: 'none' },
    },
    /** Customers with this phone (blind index); sparse. Every write is a whole put, so the condition sees it. */
    byPhone: {
      index: 'gsi1',
      condition: (item) => typeof item.phoneIndex === 'string' && item.phoneIndex !== NO_BLIND_INDEX,
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'phoneIndex'],
        template: 't#${tenantId}#shopphone#${phoneIndex}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['customerId'], template: 'shopcustomer#${customerId}', casing: 'none' },
    },
    byEmail: {
      index: 'gsi2',
      condition: (item) => typeof item.emailIndex === 'string' && item.emailIndex !== NO_BLIND_INDEX,
      pk: {
        field: 'gsi2pk',
        composite: ['tenantId', 'emailIndex'],
        template: 't#${tenantId}#shopemail#${emailIndex}',
        casing: 'none',
      },
      sk: { field: 'gsi2sk', composite: ['customerId'], template: 'shopcustomer#${customerId}', casing: 'none' },
    },
  },
});

export const OrderRecord = new Entity({
  model: { entity: 'shopOrder', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    orderId: { type: 'string', required: true, readOnly: true },
    /** `#1001`: the merchant's and the customer's name for it. */
    name: { type: 'string', required: true },
    customerId: { type: 'string' },
    customerRef,
    /** Sealed contact details given at checkout. */
    email: { type: 'string' },
    phone: { type: 'string' },
    /** Sealed JSON of the shipping address. */
    shippingAddress: { type: 'string' },
    currencyCode: { type: 'string', required: true },
    financialStatus: { type: 'string' },
    fulfillmentStatus: { type: 'string', required: true },
    cancelledAt: { type: 'number' },
    cancelReason: { type: 'string' },
    closedAt: { type: 'number' },
    /** Products, variants, SKUs, quantities and prices (no personal data): payloads.ts OrderLineItem[]. */
    lineItems: { type: 'any', required: true },
    discountCodes: { type: 'any' },
    shippingLines: { type: 'any' },
    /** Sealed JSON of the fulfillments: carrier, tracking numbers and links lead to the customer's parcel. */
    fulfillments: { type: 'string' },
    subtotal: money,
    totalDiscounts: money,
    totalShipping: money,
    totalTax: money,
    total: money,
    /** The checkout token's blind index (checkout key), to find the checkout it completed. */
    checkoutKey: { type: 'string' },
    /** The storefront language the customer shopped in (`tr`, `en-US`): the language of the order's notices. */
    customerLocale: { type: 'string' },
    /** Shopify's sales channel (`web`, `pos`, `shopify_draft_order`, ...): the back office's channel of the order. */
    sourceName: { type: 'string' },
    /** The numeric id of the location a POS order was made at (absent online): the sales report's location. */
    locationId: { type: 'string' },
    ...shopifyTimes,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['orderId'], template: 'shoporder#${orderId}', casing: 'none' },
    },
    /** A customer's orders, for their side panel, export and erasure; sparse (guest orders have none). */
    byCustomer: {
      index: 'gsi1',
      condition: (item) => typeof item.customerRef === 'string' && item.customerRef !== NO_CUSTOMER,
      pk: { field: 'gsi1pk', composite: ['tenantId', 'customerRef'], template: customerPartition, casing: 'none' },
      // No composite in the sort key: one that is always given would force the customer on guest orders.
      sk: { field: 'gsi1sk', composite: [], template: 'shoporder', casing: 'none' },
    },
  },
});

export const ProductRecord = new Entity({
  model: { entity: 'shopProduct', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    productId: { type: 'string', required: true, readOnly: true },
    title: { type: 'string', required: true },
    handle: { type: 'string' },
    status: { type: 'string', required: true },
    vendor: { type: 'string' },
    productType: { type: 'string' },
    tags: { type: 'list', items: { type: 'string' } },
    /** Variants with SKU, barcode and exact prices (shop currency): payloads.ts ShopifyProduct['variants']. */
    variants: { type: 'any', required: true },
    images: { type: 'any' },
    ...shopifyTimes,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['productId'], template: 'shopproduct#${productId}', casing: 'none' },
    },
  },
});

/**
 * How many units of one inventory item (a variant) are available at one location: the running
 * balance of its stock ledger (stock/ledger.ts), at Shopify's locations and Asistone's own.
 * `updatedAt` is Shopify's time of the last level it told us (newer-only, as every record here);
 * at an Asistone-only location, when the level was made.
 */
export const InventoryLevelRecord = new Entity({
  model: { entity: 'shopInventoryLevel', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    inventoryItemId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    /** The last ledger entry's `balanceAfter`. */
    available: { type: 'number', required: true },
    /** The last ledger entry folded in (0: none yet). */
    seq: { type: 'number' },
    /** The last moves' own ids (transfer legs, repairs): a retried move finds itself here. */
    ops: { type: 'list', items: { type: 'string' } },
    /** Low-stock threshold: alert when `available` falls to it or below. */
    threshold: { type: 'number' },
    /** At or below the threshold, with the open alert's key. */
    low: { type: 'boolean' },
    alertKey: { type: 'string' },
    ...shopifyTimes,
  },
  indexes: {
    byItem: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: {
        field: 'sk',
        composite: ['inventoryItemId', 'locationId'],
        template: 'shopstock#${inventoryItemId}#${locationId}',
        casing: 'none',
      },
    },
  },
});

/**
 * One of the shop's locations, as the reconcile last listed it: its name for the app's pickers,
 * and whether Shopify ships online orders from it (where cart recovery looks for stock).
 */
export const ShopLocationRecord = new Entity({
  model: { entity: 'shopLocation', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** Shopify's number for the location (the gid's tail), as the stock levels name it. */
    locationId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    fulfillsOnlineOrders: { type: 'boolean', required: true },
    seenAt: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['locationId'], template: 'shoplocation#${locationId}', casing: 'none' },
    },
  },
});

export const CheckoutRecord = new Entity({
  model: { entity: 'shopCheckout', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    /** Blind index of the checkout's token (the token completes a purchase: it is not a key). */
    checkoutKey: { type: 'string', required: true, readOnly: true },
    /** Sealed. */
    token: { type: 'string', required: true },
    customerId: { type: 'string' },
    customerRef,
    email: { type: 'string' },
    phone: { type: 'string' },
    /** Sealed: the link that takes the customer back to their cart. */
    recoveryUrl: { type: 'string' },
    state: { type: ['open', 'completed', 'deleted'] as const, required: true },
    completedAt: { type: 'number' },
    /** The order that completed it (known once that order is seen): cart recovery credits it. */
    orderId: { type: 'string' },
    currencyCode: { type: 'string' },
    lineItems: { type: 'any', required: true },
    subtotal: money,
    total: money,
    ...shopifyTimes,
  },
  indexes: {
    byKey: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['checkoutKey'], template: 'shopcheckout#${checkoutKey}', casing: 'none' },
    },
    byCustomer: {
      index: 'gsi1',
      condition: (item) => typeof item.customerRef === 'string' && item.customerRef !== NO_CUSTOMER,
      pk: { field: 'gsi1pk', composite: ['tenantId', 'customerRef'], template: customerPartition, casing: 'none' },
      sk: { field: 'gsi1sk', composite: [], template: 'shopcheckout', casing: 'none' },
    },
  },
});

/**
 * A webhook delivery already applied (`X-Shopify-Webhook-Id`, the same across Shopify's retries):
 * a redelivery is acknowledged without applying it again. Ids only; DynamoDB's TTL tidies them
 * after Shopify's retries are long over.
 */
export const ShopWebhookDeliveryRecord = new Entity({
  model: { entity: 'shopWebhookDelivery', version: '1', service: 'asistone' },
  attributes: {
    ...key,
    webhookId: { type: 'string', required: true, readOnly: true },
    topic: { type: 'string', required: true, readOnly: true },
    appliedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    /** Epoch seconds, DynamoDB's TTL. */
    expiresAt: { type: 'number', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['webhookId'], template: 'shopwebhook#${webhookId}', casing: 'none' },
    },
  },
});

export const SHOPIFY_STORE_RECORDS = {
  shopCustomer: ShopCustomerRecord,
  shopOrder: OrderRecord,
  shopProduct: ProductRecord,
  shopInventoryLevel: InventoryLevelRecord,
  shopLocation: ShopLocationRecord,
  shopCheckout: CheckoutRecord,
  shopWebhookDelivery: ShopWebhookDeliveryRecord,
  // Erased customers apply.ts must not store again (suppression.ts).
  ...SHOPIFY_SUPPRESSION_RECORDS,
  // The levels are the stock ledger's balances: whoever stores Shopify's stock writes its ledger,
  // its pushes and its low-stock alerts (stock/ledger.ts).
  shopStockAdjustment: StockAdjustmentRecord,
  stockLedgerEntry: StockLedgerEntryRecord,
  stockAlert: StockAlertRecord,
};

export type ShopifyLocalStore = Store<typeof SHOPIFY_STORE_RECORDS>;
