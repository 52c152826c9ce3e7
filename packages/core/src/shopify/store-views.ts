import type {
  ContactOrders,
  StoreCustomer,
  StoreMoney,
  StoreOrder,
  StoreOrderSummary,
  StoreProduct,
  StoreSync,
  StoreTracking,
} from '@asistone/contract/store';
import { INBOX_RECORDS } from '../inbox/records.js';
import type { Blobs } from '../platform/blobs.js';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { NotFoundError } from '../platform/errors.js';
import type { Records, Store } from '../platform/store/service.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { backfillStatus } from './backfill.js';
import { SHOPIFY_BACKFILL_RECORDS } from './backfill-records.js';
import { SHOPIFY_CONNECTION_RECORDS } from './connection-records.js';
import { customerIdsOf } from './contact-data.js';
import type { Address, ShopifyOrder, ShopifyProduct } from './payloads.js';
import { SHOPIFY_RECONCILE_RECORDS } from './reconcile-records.js';
import { SHOPIFY_STORE_RECORDS } from './store-records.js';
import { connectedShop } from './tokens.js';

/**
 * The local copy of the store as the team reads it (store page, inbox Orders panel). Reads only:
 * Shopify is the source of truth and apply.ts the only writer. Each list is a Query of the
 * business's partition by its sort-key prefix (`shoporder#`, ...), never a Scan, paged by the
 * last id of the page before, so a cursor is a Shopify id the server checks, not an opaque
 * DynamoDB key a caller could point at another partition. Personal fields are opened with the
 * business's key for the team; a field that does not open is shown as absent, never guessed.
 *
 * Order: Shopify's ids grow with creation and all have the same number of digits in practice
 * (13 today), so the sort key's order is creation order and "newest first" is a descending Query.
 */

export const STORE_VIEW_RECORDS = {
  ...SHOPIFY_STORE_RECORDS,
  ...SHOPIFY_CONNECTION_RECORDS,
  ...SHOPIFY_BACKFILL_RECORDS,
  ...SHOPIFY_RECONCILE_RECORDS,
  ...INBOX_RECORDS,
  ...TENANCY_RECORDS,
};

export interface StoreViewDeps {
  store: Store<typeof STORE_VIEW_RECORDS>;
  keyring: TenantKeyring;
  /** For the contact lookup shared with the privacy engine (contact-data.ts); nothing is read from it here. */
  storeOf<R extends Records>(records: R): Store<R>;
  blobs: Pick<Blobs, 'list' | 'delete' | 'presignGet'>;
}

/** The views' dependencies from the platform's parts (the API's store routes and the back office's reports). */
export function storeViewDeps(parts: Omit<StoreViewDeps, 'store'>): StoreViewDeps {
  const { storeOf, keyring, blobs } = parts;
  return { store: storeOf(STORE_VIEW_RECORDS), keyring, storeOf, blobs };
}

export const STORE_PAGE = 25;
/** At most this many orders are read to fill one filtered page; past it the page ends early with a cursor. */
const SCAN_LIMIT = 1_000;
/** A contact's Orders panel shows this many, newest first. */
const CONTACT_ORDERS = 50;
/** Sort-key bounds for the id range: ids are 1–20 digits (contract shopIdSchema). */
const LOWEST_ID = '0';
const HIGHEST_ID = '99999999999999999999';

const iso = (ms: number | undefined | null) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

function opener(keys: TenantKeys, entity: string, itemKey: string) {
  return (field: string, sealed: string | undefined): string | null => {
    if (sealed === undefined) return null;
    try {
      return keys.open(entity, field, itemKey, sealed);
    } catch {
      return null;
    }
  };
}

function parsed<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function fullName(json: string | null): string | null {
  const name = parsed<{ firstName?: string; lastName?: string }>(json);
  const text = [name?.firstName, name?.lastName].filter(Boolean).join(' ').trim();
  return text || null;
}

/** The numeric part of a GID, for the web (`gid://shopify/InventoryItem/7` → `7`). */
const idOf = (gid: string | undefined) => (gid ? (gid.split('?')[0]?.split('/').pop() ?? null) : null);

export type OrderItem = NonNullable<
  Awaited<ReturnType<ReturnType<StoreViewDeps['store']['entities']['shopOrder']['get']>['go']>>['data']
>;

interface StoredFulfillment {
  id: string;
  status: string;
  shipmentStatus?: string;
  trackingCompany?: string;
  trackingNumbers: string[];
  trackingUrls: string[];
  updatedAt: number;
}

function fulfillmentsOf(keys: TenantKeys, order: OrderItem): StoreTracking[] {
  const open = opener(keys, 'shopOrder', order.orderId);
  const stored = parsed<StoredFulfillment[]>(open('fulfillments', order.fulfillments)) ?? [];
  return stored.map((f) => ({
    id: idOf(f.id) ?? f.id,
    status: f.status,
    shipmentStatus: f.shipmentStatus ?? null,
    company: f.trackingCompany ?? null,
    numbers: f.trackingNumbers ?? [],
    urls: f.trackingUrls ?? [],
    updatedAt: new Date(f.updatedAt).toISOString(),
  }));
}

const moneyOrNull = (money: StoreMoney | undefined) => money ?? null;

function summaryOf(keys: TenantKeys, order: OrderItem, customerName: string | null): StoreOrderSummary {
  const lines = (order.lineItems ?? []) as ShopifyOrder['lineItems'];
  return {
    orderId: order.orderId,
    name: order.name,
    customerId: order.customerId ?? null,
    customerName,
    financialStatus: order.financialStatus ?? null,
    fulfillmentStatus: order.fulfillmentStatus,
    cancelledAt: iso(order.cancelledAt),
    total: moneyOrNull(order.total as StoreMoney | undefined),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    trackingUrls: fulfillmentsOf(keys, order).flatMap((f) => f.urls),
    createdAt: iso(order.createdAt),
    updatedAt: new Date(order.updatedAt).toISOString(),
  };
}

/** The customers' names for a page of orders, each customer read once (also the back office's orders view). */
export async function customerNames(
  deps: StoreViewDeps,
  keys: TenantKeys,
  tenantId: string,
  orders: OrderItem[],
): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  for (const customerId of new Set(orders.flatMap((order) => (order.customerId ? [order.customerId] : [])))) {
    const { data } = await deps.store.entities.shopCustomer
      .get({ tenantId, customerId })
      .go({ attributes: ['customerId', 'name'] });
    names.set(customerId, fullName(opener(keys, 'shopCustomer', customerId)('name', data?.name)));
  }
  return names;
}

export interface OrdersFilter {
  financialStatus?: string;
  fulfillmentStatus?: string;
  limit?: number;
  /** The last order id of the page before. */
  cursor?: string;
}

/**
 * The business's orders, newest first, filtered by payment and shipping state. The filter is
 * applied to what the Query reads (a DynamoDB filter would read as much): a page stops after
 * {@link SCAN_LIMIT} orders even if not full, with a cursor to go on.
 */
export async function listStoreOrders(
  deps: StoreViewDeps,
  tenantId: string,
  filter: OrdersFilter,
): Promise<{ orders: StoreOrderSummary[]; cursor?: string }> {
  const limit = filter.limit ?? STORE_PAGE;
  const matches = (order: OrderItem) =>
    (!filter.financialStatus || order.financialStatus === filter.financialStatus) &&
    (!filter.fulfillmentStatus || order.fulfillmentStatus === filter.fulfillmentStatus);
  const found: OrderItem[] = [];
  let before = filter.cursor;
  let scanned = 0;
  let exhausted = false;
  while (found.length <= limit && scanned < SCAN_LIMIT) {
    const query = deps.store.entities.shopOrder.query
      .byId({ tenantId })
      .between({ orderId: LOWEST_ID }, { orderId: before ?? HIGHEST_ID });
    const page = await query.go({ order: 'desc', limit: 100 });
    // `between` is inclusive: the cursor's own order was on the page before.
    const fresh = (page.data as OrderItem[]).filter((order) => order.orderId !== before);
    if (fresh.length === 0) {
      exhausted = true;
      break;
    }
    for (const order of fresh) {
      scanned += 1;
      before = order.orderId;
      if (matches(order)) found.push(order);
      if (found.length > limit) break;
    }
    if (!page.cursor && found.length <= limit) {
      exhausted = true;
      break;
    }
  }
  const shown = found.slice(0, limit);
  const cursor = found.length > limit ? shown.at(-1)?.orderId : exhausted ? undefined : before;
  const keys = await deps.keyring.forTenant(tenantId);
  const names = await customerNames(deps, keys, tenantId, shown);
  return {
    orders: shown.map((order) => summaryOf(keys, order, names.get(order.customerId ?? '') ?? null)),
    ...(cursor && { cursor }),
  };
}

function addressOf(address: Address | undefined) {
  if (!address) return null;
  return {
    name: address.name ?? null,
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    province: address.province ?? null,
    zip: address.zip ?? null,
    country: address.country ?? null,
    phone: address.phone ?? null,
  };
}

/** One order with its lines, totals, discounts, shipping and tracking; 404 when the business has none by that id. */
export async function getStoreOrder(deps: StoreViewDeps, tenantId: string, orderId: string): Promise<StoreOrder> {
  const { data } = await deps.store.entities.shopOrder.get({ tenantId, orderId }).go();
  if (!data) throw new NotFoundError('No such order');
  const order = data as OrderItem;
  const keys = await deps.keyring.forTenant(tenantId);
  const names = await customerNames(deps, keys, tenantId, [order]);
  const open = opener(keys, 'shopOrder', orderId);
  const lines = (order.lineItems ?? []) as ShopifyOrder['lineItems'];
  const discounts = (order.discountCodes ?? []) as { code: string; amount: StoreMoney }[];
  const shipping = (order.shippingLines ?? []) as { title: string; price: StoreMoney }[];
  return {
    ...summaryOf(keys, order, names.get(order.customerId ?? '') ?? null),
    email: open('email', order.email),
    phone: open('phone', order.phone),
    cancelReason: order.cancelReason ?? null,
    closedAt: iso(order.closedAt),
    lineItems: lines.map((line) => ({
      id: idOf(line.id) ?? line.id,
      title: line.title,
      variantTitle: line.variantTitle ?? null,
      sku: line.sku ?? null,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      totalDiscount: line.totalDiscount,
    })),
    discountCodes: discounts.map((d) => ({ code: d.code, amount: d.amount })),
    shippingLines: shipping.map((s) => ({ title: s.title, price: s.price })),
    shippingAddress: addressOf(parsed<Address>(open('shippingAddress', order.shippingAddress))),
    fulfillments: fulfillmentsOf(keys, order),
    subtotal: moneyOrNull(order.subtotal as StoreMoney | undefined),
    totalDiscounts: moneyOrNull(order.totalDiscounts as StoreMoney | undefined),
    totalShipping: moneyOrNull(order.totalShipping as StoreMoney | undefined),
    totalTax: moneyOrNull(order.totalTax as StoreMoney | undefined),
  };
}

export interface PageRequest {
  limit?: number;
  /** The last id of the page before. */
  cursor?: string;
}

/** The business's Shopify customers, by id, their personal fields opened for the team. */
export async function listStoreCustomers(
  deps: StoreViewDeps,
  tenantId: string,
  request: PageRequest,
): Promise<{ customers: StoreCustomer[]; cursor?: string }> {
  const limit = request.limit ?? STORE_PAGE;
  const { data } = await deps.store.entities.shopCustomer.query
    .byId({ tenantId })
    .between({ customerId: request.cursor ?? LOWEST_ID }, { customerId: HIGHEST_ID })
    .go({ count: limit + 1 });
  const rows = data.filter((customer) => customer.customerId !== request.cursor);
  const shown = rows.slice(0, limit);
  const keys = await deps.keyring.forTenant(tenantId);
  return {
    customers: shown.map((customer) => {
      const open = opener(keys, 'shopCustomer', customer.customerId);
      return {
        customerId: customer.customerId,
        name: fullName(open('name', customer.name)),
        email: open('email', customer.email),
        phone: open('phone', customer.phone),
        state: customer.state ?? null,
        tags: customer.tags ?? [],
        whatsappMarketing: customer.whatsappMarketing?.state ?? null,
        smsMarketing: customer.smsMarketing?.state ?? null,
        emailMarketing: customer.emailMarketing?.state ?? null,
        updatedAt: new Date(customer.updatedAt).toISOString(),
      };
    }),
    ...(rows.length > limit && { cursor: shown.at(-1)?.customerId }),
  };
}

/**
 * The currency the business's product prices are in: its shop's, as the reconcile read it
 * (`shop { currencyCode }`); the connected shop's first, else the one a kept copy came from.
 * Null before any reconcile: the page shows the bare decimal rather than guess a currency.
 */
export async function productCurrency(deps: StoreViewDeps, tenantId: string): Promise<string | null> {
  const [connected, syncs] = await Promise.all([
    connectedShop(deps.store, tenantId),
    deps.store.entities.shopSyncCursor.query
      .byShop({ tenantId })
      .go({ pages: 'all', attributes: ['shopDomain', 'currencyCode'] }),
  ]);
  const known = syncs.data.filter((sync) => sync.currencyCode);
  const mine = known.find((sync) => sync.shopDomain === connected?.shopDomain) ?? known[0];
  return mine?.currencyCode ?? null;
}

/**
 * The hosts that are the business's own storefront: each connected shop's myshopify domain and
 * its primary domain as the reconcile last read it (`shop { primaryDomain { host } }`). Links
 * to anything else are not the store's (the AI agent's link check).
 */
export async function storefrontDomains(deps: Pick<StoreViewDeps, 'store'>, tenantId: string): Promise<string[]> {
  const [shops, syncs] = await Promise.all([
    deps.store.entities.shopConnection.query.byTenant({ tenantId }).go({ pages: 'all' }),
    deps.store.entities.shopSyncCursor.query
      .byShop({ tenantId })
      .go({ pages: 'all', attributes: ['shopDomain', 'primaryDomain'] }),
  ]);
  const connected = new Set(shops.data.filter((shop) => shop.status !== 'disconnected').map((shop) => shop.shopDomain));
  const primary = syncs.data.filter((sync) => connected.has(sync.shopDomain)).map((sync) => sync.primaryDomain);
  return [...new Set([...connected, ...primary.filter((host): host is string => Boolean(host))])];
}

/** The business's products with their variants, prices and stock per location. */
export async function listStoreProducts(
  deps: StoreViewDeps,
  tenantId: string,
  request: PageRequest,
): Promise<{ products: StoreProduct[]; cursor?: string }> {
  const limit = request.limit ?? STORE_PAGE;
  const { data } = await deps.store.entities.shopProduct.query
    .byId({ tenantId })
    .between({ productId: request.cursor ?? LOWEST_ID }, { productId: HIGHEST_ID })
    .go({ count: limit + 1 });
  const rows = data.filter((product) => product.productId !== request.cursor);
  const shown = rows.slice(0, limit);
  const currencyCode = await productCurrency(deps, tenantId);
  const products: StoreProduct[] = [];
  for (const product of shown) {
    const variants = (product.variants ?? []) as ShopifyProduct['variants'];
    const images = (product.images ?? []) as ShopifyProduct['images'];
    products.push({
      productId: product.productId,
      title: product.title,
      status: product.status,
      vendor: product.vendor ?? null,
      productType: product.productType ?? null,
      currencyCode,
      imageUrl: images[0]?.url ?? null,
      variants: await Promise.all(
        variants.map(async (variant) => {
          const inventoryItemId = idOf(variant.inventoryItemId);
          return {
            variantId: idOf(variant.id) ?? variant.id,
            title: variant.title,
            sku: variant.sku ?? null,
            price: variant.price,
            compareAtPrice: variant.compareAtPrice ?? null,
            inventoryItemId,
            stock: inventoryItemId ? await stockOf(deps, tenantId, inventoryItemId) : [],
          };
        }),
      ),
      updatedAt: new Date(product.updatedAt).toISOString(),
    });
  }
  return { products, ...(rows.length > limit && { cursor: shown.at(-1)?.productId }) };
}

/** The shop's locations (a handful), by name. */
export async function listStoreLocations(deps: Pick<StoreViewDeps, 'store'>, tenantId: string) {
  const { data } = await deps.store.entities.shopLocation.query.byId({ tenantId }).go({ pages: 'all' });
  return {
    locations: data
      .map(({ locationId, name, fulfillsOnlineOrders }) => ({ locationId, name, fulfillsOnlineOrders }))
      .sort((a, b) => a.name.localeCompare(b.name, 'tr')),
  };
}

/** Units available per location of one inventory item: the item's own sort-key range. */
export async function stockOf(deps: StoreViewDeps, tenantId: string, inventoryItemId: string) {
  const { data } = await deps.store.entities.shopInventoryLevel.query
    .byItem({ tenantId, inventoryItemId })
    .go({ pages: 'all', attributes: ['inventoryItemId', 'locationId', 'available'] });
  return data
    .filter((level) => level.inventoryItemId === inventoryItemId)
    .map((level) => ({ locationId: level.locationId, available: level.available }))
    .sort((a, b) => a.locationId.localeCompare(b.locationId));
}

/**
 * The orders of the Shopify customers matched to an inbox contact (same phone or email, by the
 * blind indexes the privacy engine's lookup uses), newest first: the conversation's Orders panel.
 */
export async function contactOrders(deps: StoreViewDeps, tenantId: string, contactId: string): Promise<ContactOrders> {
  const contact = (await deps.store.entities.contact.get({ tenantId, contactId }).go()).data;
  if (!contact) throw new NotFoundError('No such contact');
  const keys = await deps.keyring.forTenant(tenantId);
  const customerIds = await customerIdsOf(deps.store, {
    tenantId,
    contactId,
    keys,
    storeOf: deps.storeOf,
    blobs: deps.blobs,
  });
  const orders: OrderItem[] = [];
  for (const customerId of customerIds) {
    const { data } = await deps.store.entities.shopOrder.query
      .byCustomer({ tenantId, customerRef: customerId })
      .go({ pages: 'all' });
    orders.push(...(data as OrderItem[]));
  }
  orders.sort((a, b) => (b.createdAt ?? b.updatedAt) - (a.createdAt ?? a.updatedAt));
  const shown = orders.slice(0, CONTACT_ORDERS);
  const names = await customerNames(deps, keys, tenantId, shown);
  return {
    customerIds,
    orders: shown.map((order) => summaryOf(keys, order, names.get(order.customerId ?? '') ?? null)),
  };
}

/**
 * When the scheduled reconciliation of the business's shops last finished (the newest of them),
 * and how far the connected shop's first import has come.
 */
export async function storeSync(deps: StoreViewDeps, tenantId: string): Promise<StoreSync> {
  const [{ data }, shop] = await Promise.all([
    deps.store.entities.shopSyncCursor.query.byShop({ tenantId }).go({ pages: 'all' }),
    connectedShop(deps.store, tenantId),
  ]);
  const history = shop ? await backfillStatus(deps.store, tenantId, shop.shopDomain) : undefined;
  const latest = (field: 'lastReconciledAt' | 'lastErrorAt') =>
    data.reduce<number | undefined>((max, cursor) => {
      const value = cursor[field];
      return typeof value === 'number' && (max === undefined || value > max) ? value : max;
    }, undefined);
  return {
    lastReconciledAt: iso(latest('lastReconciledAt')),
    lastErrorAt: iso(latest('lastErrorAt')),
    import:
      history && history.status !== 'none'
        ? {
            status: history.status,
            customersDone: history.customersDone,
            productsDone: history.productsDone,
            ordersDone: history.ordersDone,
            finishedAt: iso(history.finishedAt),
          }
        : null,
  };
}
