import type * as z from 'zod';
import { ShopifyCustomer, ShopifyInventoryLevel, ShopifyOrder, ShopifyProduct } from './payloads.js';

/**
 * The reconciliation's GraphQL queries (Admin API 2026-10) and how their nodes become the same
 * normalised payloads the webhooks give (shopify/payloads.ts): ids as GIDs, times as epoch ms,
 * money as exact decimal strings with their currency, statuses in the webhooks' lower-case
 * words. Each query pages by `first`/`after`, sorted by UPDATED_AT, filtered by an
 * `updated_at:>` search.
 */

const PAGE_ARGS = 'first: $first, after: $after, sortKey: UPDATED_AT, query: $query';
const PAGE_VARS = '$first: Int!, $after: String, $query: String';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
const MONEY = 'shopMoney { amount currencyCode }';

export const RECONCILE_CUSTOMERS_QUERY = `query ReconcileCustomers(${PAGE_VARS}) {
  customers(${PAGE_ARGS}) {
    nodes {
      id firstName lastName state createdAt updatedAt tags
      defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
      defaultPhoneNumber { phoneNumber marketingState marketingUpdatedAt }
    }
    ${PAGE_INFO}
  }
}`;

const LINE_ITEM_FIELDS = `id title variantTitle sku quantity unfulfilledQuantity variant { id } product { id }
          originalUnitPriceSet { ${MONEY} }
          totalDiscountSet { ${MONEY} }`;

/**
 * Line items read with each order of a page. An order with more (a wholesale order, a big
 * basket) says so in `pageInfo`, and the rest is read by {@link ORDER_LINE_ITEMS_QUERY}: the copy
 * keeps every line, never the first hundred of them.
 */
export const ORDER_LINE_ITEMS_PAGE = 100;
/** Line items per follow-up page (Shopify's largest page). */
export const MORE_LINE_ITEMS_PAGE = 250;

export const ORDER_LINE_ITEMS_QUERY = `query OrderLineItems($id: ID!, $first: Int!, $after: String) {
  order(id: $id) {
    lineItems(first: $first, after: $after) { nodes { ${LINE_ITEM_FIELDS} } ${PAGE_INFO} }
  }
}`;

/**
 * The shop's currency (product prices are in it, and Shopify's product payloads do not name it)
 * and its primary domain (the storefront customers know, which may not be the myshopify one).
 */
export const SHOP_FACTS_QUERY = `query ShopFacts {
  shop { currencyCode primaryDomain { host } }
}`;

export const RECONCILE_ORDERS_QUERY = `query ReconcileOrders(${PAGE_VARS}) {
  orders(${PAGE_ARGS}) {
    nodes {
      id name email phone createdAt updatedAt cancelledAt cancelReason closedAt currencyCode customerLocale
      sourceName retailLocation { id }
      displayFinancialStatus displayFulfillmentStatus
      customer { id }
      subtotalPriceSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      totalShippingPriceSet { ${MONEY} }
      totalTaxSet { ${MONEY} }
      totalPriceSet { ${MONEY} }
      discountApplications(first: 20) {
        nodes { ... on DiscountCodeApplication { code value { ... on MoneyV2 { amount currencyCode } } } }
      }
      lineItems(first: ${ORDER_LINE_ITEMS_PAGE}) { nodes { ${LINE_ITEM_FIELDS} } ${PAGE_INFO} }
      shippingLines(first: 10) { nodes { title originalPriceSet { ${MONEY} } } }
      shippingAddress { name address1 address2 city province zip country countryCodeV2 phone }
      fulfillments(first: 20) { id status displayStatus createdAt updatedAt trackingInfo { company number url } }
    }
    ${PAGE_INFO}
  }
}`;

export const RECONCILE_PRODUCTS_QUERY = `query ReconcileProducts(${PAGE_VARS}) {
  products(${PAGE_ARGS}) {
    nodes {
      id title handle status vendor productType tags createdAt updatedAt
      variants(first: 100) { nodes { id title sku barcode price compareAtPrice position inventoryItem { id } } }
      media(first: 20) { nodes { ... on MediaImage { id image { url altText } } } }
    }
    ${PAGE_INFO}
  }
}`;

/**
 * Stock: the shop's locations (a shop has a handful; inactive ones hold no stock to sell; their
 * names and whether they ship online orders are kept for the app and cart recovery), then,
 * per location, the inventory levels whose own `updatedAt` is after the cursor. A level's
 * quantity changing moves the level's `updatedAt`, not its inventory item's nor its product's,
 * so `Location.inventoryLevels(query: "updated_at:>…")` is the one search that finds exactly the
 * levels a lost `inventory_levels/update` left behind (docs/shopify.md, "Stock in the backfill
 * and the reconcile").
 */
export const RECONCILE_LOCATIONS_QUERY = `query ReconcileLocations($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    nodes { id name fulfillsOnlineOrders }
    pageInfo { hasNextPage endCursor }
  }
}`;

const LEVEL_FIELDS = 'id updatedAt item { id } quantities(names: ["available"]) { name quantity }';

export const RECONCILE_INVENTORY_LEVELS_QUERY = `query ReconcileInventoryLevels($location: ID!, $first: Int!, $after: String, $query: String) {
  location(id: $location) {
    inventoryLevels(first: $first, after: $after, query: $query) {
      nodes { ${LEVEL_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** The bulk backfill's selection of each variant's stock (shopify/backfill.ts, products phase). */
export const BULK_LEVEL_FIELDS = `__typename ${LEVEL_FIELDS} location { id }`;

type Node = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const time = (value: unknown) => {
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
};
/** GraphQL enums (`PARTIALLY_PAID`) in the webhooks' words (`partially_paid`). */
const word = (value: unknown) => text(value)?.toLowerCase();
const nodesOf = (connection: unknown): Node[] => {
  if (Array.isArray(connection)) return connection as Node[];
  const nodes = (connection as { nodes?: unknown } | null | undefined)?.nodes;
  return Array.isArray(nodes) ? (nodes as Node[]) : [];
};
const idOf = (value: unknown) => text((value as { id?: unknown } | null | undefined)?.id);
const moneyOf = (set: unknown) => {
  const shop = (set as { shopMoney?: { amount?: unknown; currencyCode?: unknown } } | null | undefined)?.shopMoney;
  const amount = typeof shop?.amount === 'number' ? String(shop.amount) : text(shop?.amount);
  const currencyCode = text(shop?.currencyCode);
  return amount && currencyCode ? { amount, currencyCode } : undefined;
};
const zero = (currencyCode: string) => ({ amount: '0.00', currencyCode });
/** Drops absent fields, so the payload has the same keys a webhook's would. */
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined && field !== null)) as T;

/** A node Shopify sent that does not fit the payload: named by its id and the failing fields only. */
export class UnexpectedNodeError extends Error {
  override name = 'UnexpectedNodeError';
  constructor(
    readonly nodeId: string,
    readonly fields: string[],
  ) {
    super(`Shopify node ${nodeId} does not fit the payload: ${fields.join(', ')}`);
  }
}

/** Validates with the webhooks' own schema; the error names paths, never values. */
function checked<T>(schema: z.ZodType<T>, candidate: { id?: unknown }): T {
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new UnexpectedNodeError(
    String(candidate.id),
    parsed.error.issues.map((issue) => issue.path.map(String).join('.') || '(root)'),
  );
}

const consentOf = (contact: Node | null | undefined) => {
  const state = word(contact?.marketingState);
  const updatedAt = time(contact?.marketingUpdatedAt);
  return state ? defined({ state, updatedAt }) : undefined;
};

export function customerFromNode(raw: unknown): ShopifyCustomer {
  const node = raw as Node;
  const email = node.defaultEmailAddress as Node | null | undefined;
  const phone = node.defaultPhoneNumber as Node | null | undefined;
  return checked(
    ShopifyCustomer,
    defined({
      id: node.id,
      email: text(email?.emailAddress),
      phone: text(phone?.phoneNumber),
      firstName: text(node.firstName),
      lastName: text(node.lastName),
      state: word(node.state),
      tags: Array.isArray(node.tags) ? node.tags : [],
      emailMarketing: consentOf(email),
      smsMarketing: consentOf(phone),
      createdAt: time(node.createdAt),
      updatedAt: time(node.updatedAt),
    }),
  );
}

/** GraphQL's display statuses in the webhooks' `fulfillment_status` words. */
const FULFILLMENT_WORDS: Readonly<Record<string, string>> = {
  UNFULFILLED: 'unfulfilled',
  PARTIALLY_FULFILLED: 'partial',
  FULFILLED: 'fulfilled',
  RESTOCKED: 'restocked',
};

export function orderFromNode(raw: unknown): ShopifyOrder {
  const node = raw as Node;
  const total = moneyOf(node.totalPriceSet);
  const currency = text(node.currencyCode) ?? total?.currencyCode ?? '';
  const totalDiscounts = moneyOf(node.totalDiscountsSet) ?? zero(currency);
  const codes = nodesOf(node.discountApplications).filter((application) => text(application.code));
  const address = node.shippingAddress as Node | null | undefined;
  const status = text(node.displayFulfillmentStatus);
  return checked(
    ShopifyOrder,
    defined({
      id: node.id,
      name: node.name,
      customerId: idOf(node.customer),
      email: text(node.email),
      phone: text(node.phone),
      currencyCode: currency,
      financialStatus: word(node.displayFinancialStatus),
      fulfillmentStatus: status ? (FULFILLMENT_WORDS[status] ?? status.toLowerCase()) : 'unfulfilled',
      cancelledAt: time(node.cancelledAt),
      cancelReason: word(node.cancelReason),
      closedAt: time(node.closedAt),
      customerLocale: text(node.customerLocale),
      sourceName: text(node.sourceName),
      // `retailLocation` replaced `location`/`physicalLocation` in Admin API 2024-07: where a POS sale was made.
      locationId: idOf(node.retailLocation),
      lineItems: nodesOf(node.lineItems).map((item) =>
        defined({
          id: item.id,
          title: item.title,
          variantTitle: text(item.variantTitle),
          sku: text(item.sku),
          productId: idOf(item.product),
          variantId: idOf(item.variant),
          quantity: item.quantity,
          fulfillableQuantity: typeof item.unfulfilledQuantity === 'number' ? item.unfulfilledQuantity : undefined,
          unitPrice: moneyOf(item.originalUnitPriceSet),
          totalDiscount: moneyOf(item.totalDiscountSet) ?? zero(currency),
        }),
      ),
      // A fixed-amount code's value is what it took; a percentage one's share is not on the
      // application, so a lone code takes the order's discount total, as the webhook shows it.
      discountCodes: codes.map((application) => ({
        code: application.code,
        amount: moneyOf({ shopMoney: application.value }) ?? (codes.length === 1 ? totalDiscounts : zero(currency)),
      })),
      shippingAddress: address
        ? defined({
            name: text(address.name),
            address1: text(address.address1),
            address2: text(address.address2),
            city: text(address.city),
            province: text(address.province),
            zip: text(address.zip),
            country: text(address.country),
            countryCode: text(address.countryCodeV2),
            phone: text(address.phone),
          })
        : undefined,
      shippingLines: nodesOf(node.shippingLines).map((line) => ({
        title: line.title,
        price: moneyOf(line.originalPriceSet) ?? zero(currency),
      })),
      fulfillments: nodesOf(node.fulfillments).map((fulfillment) => {
        const tracking = nodesOf(fulfillment.trackingInfo);
        return defined({
          id: fulfillment.id,
          status: word(fulfillment.status),
          shipmentStatus: word(fulfillment.displayStatus),
          trackingCompany: tracking.map((info) => text(info.company)).find(Boolean),
          trackingNumbers: tracking.map((info) => text(info.number)).filter(Boolean),
          trackingUrls: tracking.map((info) => text(info.url)).filter(Boolean),
          createdAt: time(fulfillment.createdAt),
          updatedAt: time(fulfillment.updatedAt ?? fulfillment.createdAt),
        });
      }),
      subtotal: moneyOf(node.subtotalPriceSet) ?? zero(currency),
      totalDiscounts,
      totalShipping: moneyOf(node.totalShippingPriceSet),
      totalTax: moneyOf(node.totalTaxSet) ?? zero(currency),
      total,
      createdAt: time(node.createdAt),
      updatedAt: time(node.updatedAt),
    }),
  );
}

export function productFromNode(raw: unknown): ShopifyProduct {
  const node = raw as Node;
  return checked(
    ShopifyProduct,
    defined({
      id: node.id,
      title: node.title,
      handle: text(node.handle),
      status: word(node.status) ?? 'active',
      vendor: text(node.vendor),
      productType: text(node.productType),
      tags: Array.isArray(node.tags) ? node.tags : [],
      variants: nodesOf(node.variants).map((variant) =>
        defined({
          id: variant.id,
          title: variant.title,
          sku: text(variant.sku),
          barcode: text(variant.barcode),
          price: typeof variant.price === 'number' ? String(variant.price) : variant.price,
          compareAtPrice: text(variant.compareAtPrice),
          inventoryItemId: idOf(variant.inventoryItem),
          position: typeof variant.position === 'number' ? variant.position : undefined,
        }),
      ),
      images: nodesOf(node.media)
        .filter((media) => text((media.image as Node | undefined)?.url))
        .map((media) =>
          defined({
            id: media.id,
            url: (media.image as Node).url,
            alt: text((media.image as Node).altText),
          }),
        ),
      createdAt: time(node.createdAt),
      updatedAt: time(node.updatedAt),
    }),
  );
}

/**
 * An inventory level node (`InventoryLevel` with `item { id }`, `quantities(names: ["available"])`
 * and `updatedAt`) as the webhook's payload gives it. The location comes from the node when it
 * names it (the bulk file), else from the location it was read under (the reconcile); the item
 * likewise from the node, else from the variant it was read under.
 */
export function levelFromNode(
  raw: unknown,
  context: { locationId?: string; inventoryItemId?: string } = {},
): ShopifyInventoryLevel {
  const node = raw as Node;
  const available = (Array.isArray(node.quantities) ? (node.quantities as Node[]) : []).find(
    (quantity) => quantity.name === 'available',
  )?.quantity;
  return checked(ShopifyInventoryLevel, {
    id: node.id,
    inventoryItemId: idOf(node.item) ?? context.inventoryItemId,
    locationId: idOf(node.location) ?? context.locationId,
    available,
    updatedAt: time(node.updatedAt),
  } as { id?: unknown });
}

/**
 * The stock levels a bulk products line carried, put back together under each variant's
 * `inventoryItem.inventoryLevels`: each normalised, or the error that says which did not fit.
 */
export function levelsOfProductNode(raw: unknown): (ShopifyInventoryLevel | UnexpectedNodeError)[] {
  return nodesOf((raw as Node).variants).flatMap((variant) => {
    const item = variant.inventoryItem as Node | null | undefined;
    return nodesOf(item?.inventoryLevels).map((level) => {
      try {
        return levelFromNode(level, { inventoryItemId: idOf(item) });
      } catch (error) {
        if (error instanceof UnexpectedNodeError) return error;
        throw error;
      }
    });
  });
}
