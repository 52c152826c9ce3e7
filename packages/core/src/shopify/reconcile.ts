import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { idOfGid } from './apply.js';
import type { SHOPIFY_CONNECTION_RECORDS } from './connection-records.js';
import { type ShopAccess, ShopifyError, type ShopifyGraphql } from './graphql.js';
import type { ShopifyCustomer, ShopifyInventoryLevel, ShopifyOrder, ShopifyProduct } from './payloads.js';
import {
  customerFromNode,
  levelFromNode,
  MORE_LINE_ITEMS_PAGE,
  ORDER_LINE_ITEMS_QUERY,
  orderFromNode,
  productFromNode,
  RECONCILE_CUSTOMERS_QUERY,
  RECONCILE_INVENTORY_LEVELS_QUERY,
  RECONCILE_LOCATIONS_QUERY,
  RECONCILE_ORDERS_QUERY,
  RECONCILE_PRODUCTS_QUERY,
  SHOP_FACTS_QUERY,
  UnexpectedNodeError,
} from './reconcile-queries.js';
import type { SHOPIFY_RECONCILE_RECORDS } from './reconcile-records.js';
import type { SHOPIFY_STORE_RECORDS } from './store-records.js';

/**
 * The scheduled reconciliation: Shopify's webhooks can be late, out of order or lost, so every
 * 15 minutes each connected shop is asked for what changed since its cursor (GraphQL
 * `updated_at:>` searches sorted by UPDATED_AT) and every customer, order and product in the
 * answer goes through the same apply functions the webhooks use; then the stock levels changed
 * since the stock cursor, location by location (see reconcileStock). Those keep only what is newer
 * than what is stored, so what the webhooks already brought is a no-op and what they missed is
 * repaired. The client paces the queries by Shopify's throttle status.
 */

export const RECONCILE_RESOURCES = ['customers', 'orders', 'products'] as const;
/** What one run reconciles: the resources above, then stock (reconcileStock). */
export type ReconcileResource = (typeof RECONCILE_RESOURCES)[number] | 'inventory';

/**
 * Shopify's clocks and ours differ, and an item saved in the same second as the cursor may be
 * indexed late: each run looks a little before its cursor. What it sees twice is stale and
 * ignored by apply.
 */
export const RECONCILE_OVERLAP_MS = 60_000;
/** Items per query: 50 nodes with their line items stay well inside the 1,000-point query cap. */
export const RECONCILE_PAGE_SIZE = 50;
/** Pages per resource per run, so one busy shop cannot hold the run past its timeout; the rest waits for the next run. */
export const RECONCILE_MAX_PAGES = 100;

/** What apply says about one item: stored, or not newer than what is stored. */
export type ApplyOutcome = 'applied' | 'stale';

/** The apply functions of the local copy (shopify/apply.ts), bound to their dependencies. */
export interface ReconcileApply {
  customer(tenantId: string, customer: ShopifyCustomer): Promise<ApplyOutcome>;
  order(tenantId: string, order: ShopifyOrder): Promise<ApplyOutcome>;
  product(tenantId: string, product: ShopifyProduct): Promise<ApplyOutcome>;
  /** A stock level (apply.ts applyInventoryLevel): the backfill's products carry them, the reconcile reads them. */
  inventoryLevel(tenantId: string, level: ShopifyInventoryLevel): Promise<ApplyOutcome>;
}

export interface ReconcileDeps {
  store: Store<
    typeof SHOPIFY_RECONCILE_RECORDS & {
      shopConnection: (typeof SHOPIFY_CONNECTION_RECORDS)['shopConnection'];
      tenant: (typeof TENANCY_RECORDS)['tenant'];
      shopLocation: (typeof SHOPIFY_STORE_RECORDS)['shopLocation'];
    }
  >;
  shopify: ShopifyGraphql;
  /** A valid token for the business's connected shop (shopify/tokens.ts `shopAccess`). */
  shopAccess: (tenantId: string) => Promise<ShopAccess>;
  apply: ReconcileApply;
  now?: () => number;
  pageSize?: number;
  maxPages?: number;
  /** Told of each node that did not fit its payload (its id and the failing fields, no values). */
  onSkipped?: (shop: ConnectedShop, error: UnexpectedNodeError) => void;
  /**
   * Housekeeping of the business's own that rides on the run, after its shop's reconcile
   * (whether that finished or not): stock.ts `requeueStuckStockAdjustments`, bound to the queue.
   * Answers how many items it re-queued.
   */
  sweep?: (tenantId: string) => Promise<number>;
}

export interface ConnectedShop {
  tenantId: string;
  shopDomain: string;
  connectedAt: number;
}

export interface ResourceCounts {
  seen: number;
  applied: number;
  /** Nodes that did not fit the payload (logged by id): skipped, so one odd item cannot stall the shop. */
  skipped: number;
  pages: number;
  /** True when the page limit stopped it before the last page. */
  more: boolean;
}

export interface ShopReconcileReport {
  tenantId: string;
  shopDomain: string;
  counts: Partial<Record<ReconcileResource, ResourceCounts>>;
  /** The ShopifyError kind (or `failed`) that stopped this shop's run; its cursors stay where they got to. */
  error?: string;
  /** What the sweep re-queued (stock adjustments whose queue send was lost), when it ran. */
  requeued?: number;
  /** The sweep failed (logged by the caller from this kind); the next run sweeps again. */
  sweepError?: string;
  /** Stock was not reconciled: Shopify refused the locations (`read_locations` not granted). */
  stockError?: 'access-denied';
}

interface Page<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Every connected shop, by Query only: the business list (an index), then each business's
 * connection records (its partition, `shopify#` sort keys).
 */
export async function* connectedShops(store: ReconcileDeps['store']): AsyncGenerator<ConnectedShop> {
  let cursor: string | null = null;
  do {
    const businesses: { data: { tenantId: string }[]; cursor: string | null } = await store.entities.tenant.query
      .byList({})
      .go({ cursor, attributes: ['tenantId'] });
    for (const { tenantId } of businesses.data) {
      const connections = await store.entities.shopConnection.query
        .byTenant({ tenantId })
        .go({ pages: 'all', attributes: ['tenantId', 'shopDomain', 'status', 'connectedAt'] });
      for (const connection of connections.data) {
        // Uninstalled and disconnected shops keep their data but are no longer synced.
        if (connection.status === 'connected') {
          yield { tenantId, shopDomain: connection.shopDomain, connectedAt: connection.connectedAt };
        }
      }
    }
    cursor = businesses.cursor;
  } while (cursor);
}

const CURSOR_FIELD = {
  customers: 'customersUpdatedAt',
  orders: 'ordersUpdatedAt',
  products: 'productsUpdatedAt',
} as const satisfies Record<(typeof RECONCILE_RESOURCES)[number], string>;

/** Shopify's search syntax wants an ISO time in quotes; whole seconds are what it compares. */
const since = (ms: number) => `updated_at:>'${new Date(Math.max(0, ms)).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;

/**
 * One shop: each resource from its cursor, page by page; a page is applied in full before the
 * cursor moves to its newest `updatedAt`. Throws a ShopifyError when Shopify refuses (the
 * cursors keep what finished).
 */
export async function reconcileShop(deps: ReconcileDeps, shop: ConnectedShop): Promise<ShopReconcileReport> {
  const now = deps.now ?? Date.now;
  const pageSize = deps.pageSize ?? RECONCILE_PAGE_SIZE;
  const maxPages = deps.maxPages ?? RECONCILE_MAX_PAGES;
  const { tenantId, shopDomain } = shop;
  const key = { tenantId, shopDomain };
  const stored = (await deps.store.entities.shopSyncCursor.get(key).go()).data;
  const access = await deps.shopAccess(tenantId);
  if (access.shopDomain !== shopDomain) {
    // The business's token is for another shop (reconnected elsewhere): nothing to ask this one.
    throw new ShopifyError({ kind: 'auth', status: 0, codes: ['SHOP_MISMATCH'] });
  }
  const report: ShopReconcileReport = { tenantId, shopDomain, counts: {} };
  await recordShopFacts(deps, access, key);

  const resources = {
    customers: { query: RECONCILE_CUSTOMERS_QUERY, normalise: customerFromNode, apply: deps.apply.customer },
    orders: { query: RECONCILE_ORDERS_QUERY, normalise: orderFromNode, apply: deps.apply.order },
    products: { query: RECONCILE_PRODUCTS_QUERY, normalise: productFromNode, apply: deps.apply.product },
  } as const;

  for (const resource of RECONCILE_RESOURCES) {
    const { query, normalise, apply } = resources[resource] as {
      query: string;
      normalise: (node: unknown) => { updatedAt: number };
      apply: (tenantId: string, item: unknown) => Promise<ApplyOutcome>;
    };
    // Before the first run, the connection's start: history before it is the backfill's work.
    let cursorAt = stored?.[CURSOR_FIELD[resource]] ?? shop.connectedAt;
    const counts: ResourceCounts = { seen: 0, applied: 0, skipped: 0, pages: 0, more: false };
    report.counts[resource] = counts;
    let after: string | null = null;
    const search = since(cursorAt - RECONCILE_OVERLAP_MS);
    for (;;) {
      if (counts.pages >= maxPages) {
        counts.more = true;
        break;
      }
      const answer: { data: Record<string, Page<unknown> | undefined> } = await deps.shopify.query<
        Record<string, Page<unknown> | undefined>
      >(access, query, {
        first: pageSize,
        after,
        query: search,
      });
      const page: Page<unknown> | undefined = answer.data[resource];
      if (!page) throw new ShopifyError({ kind: 'invalid', status: 200, codes: ['MISSING_CONNECTION'] });
      counts.pages += 1;
      for (const node of page.nodes) {
        counts.seen += 1;
        let item: { updatedAt: number };
        try {
          item = normalise(resource === 'orders' ? await withAllLineItems(deps, access, node) : node);
        } catch (error) {
          if (!(error instanceof UnexpectedNodeError)) throw error;
          counts.skipped += 1;
          deps.onSkipped?.(shop, error);
          continue;
        }
        if ((await apply(tenantId, item)) === 'applied') counts.applied += 1;
        cursorAt = Math.max(cursorAt, item.updatedAt);
      }
      if (page.nodes.length) {
        await deps.store.entities.shopSyncCursor
          .upsert({ ...key, [CURSOR_FIELD[resource]]: cursorAt })
          .go({ response: 'none' });
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }

  try {
    report.counts.inventory = await reconcileStock(deps, shop, access, stored?.inventoryUpdatedAt);
  } catch (error) {
    // A connection granted before the app asked for `read_locations` may not list locations:
    // its stock is kept by the webhooks alone until the merchant approves the scope. The rest
    // of the run stands; the report says why stock was left.
    if (!(error instanceof ShopifyError && error.codes.includes('ACCESS_DENIED'))) throw error;
    report.stockError = 'access-denied';
  }

  const total = (resource: ReconcileResource, field: 'seen' | 'applied') => report.counts[resource]?.[field] ?? 0;
  await deps.store.entities.shopSyncCursor
    .upsert({
      ...key,
      lastReconciledAt: now(),
      lastCounts: {
        customersSeen: total('customers', 'seen'),
        customersApplied: total('customers', 'applied'),
        ordersSeen: total('orders', 'seen'),
        ordersApplied: total('orders', 'applied'),
        productsSeen: total('products', 'seen'),
        productsApplied: total('products', 'applied'),
        inventorySeen: total('inventory', 'seen'),
        inventoryApplied: total('inventory', 'applied'),
      },
    })
    .go({ response: 'none' });
  // A finished run clears the last failure, which the store page shows until then.
  await deps.store.entities.shopSyncCursor
    .update(key)
    .remove(['lastErrorKind', 'lastErrorAt'])
    .go({ response: 'none' });
  return report;
}

/**
 * Levels (and locations) per page unless `pageSize` says otherwise. Shopify reserves a page's
 * whole cost before it answers and refunds what it did not return, so a page of 100 asks for
 * about 100 points of the bucket and, on a quiet shop, spends a few.
 */
const STOCK_PAGE = 100;

type LocationNode = { id?: unknown; name?: unknown; fulfillsOnlineOrders?: unknown };

/** The location's name and whether it ships online orders, as Shopify says now (a handful per shop). */
async function keepLocation(deps: ReconcileDeps, tenantId: string, gid: string, location: LocationNode) {
  let locationId: string;
  try {
    locationId = idOfGid(gid);
  } catch {
    return;
  }
  await deps.store.entities.shopLocation
    .put({
      tenantId,
      locationId,
      name: typeof location.name === 'string' ? location.name.slice(0, 120) : `#${locationId}`,
      // Shopify's default: a location ships online orders unless the merchant said otherwise.
      fulfillsOnlineOrders: location.fulfillsOnlineOrders !== false,
      seenAt: Date.now(),
    })
    .go({ response: 'none' });
}

/**
 * The stock levels changed since the stock cursor, location by location: the shop's locations,
 * then each one's `inventoryLevels(query: "updated_at:>…")` (a level's own `updatedAt` moves
 * with its quantity), each applied newer-only by it, as `inventory_levels/update` is. So a lost
 * stock webhook is repaired by the next run. Shopify does not sort a location's levels by
 * update time, so the cursor moves only when every location was read to its end: a run the
 * page limit stops reads the same levels again next time (stale, nothing written), never skips one.
 */
async function reconcileStock(
  deps: ReconcileDeps,
  shop: ConnectedShop,
  access: ShopAccess,
  storedCursor: number | undefined,
): Promise<ResourceCounts> {
  const maxPages = deps.maxPages ?? RECONCILE_MAX_PAGES;
  const first = deps.pageSize ?? STOCK_PAGE;
  const { tenantId, shopDomain } = shop;
  const counts: ResourceCounts = { seen: 0, applied: 0, skipped: 0, pages: 0, more: false };
  // Before the first run, the connection's start: the stock before it is the backfill's.
  const cursorAt = storedCursor ?? shop.connectedAt;
  let newest = cursorAt;
  const search = since(cursorAt - RECONCILE_OVERLAP_MS);

  const locations: string[] = [];
  for (let after: string | null = null; ; ) {
    const answer: { data: { locations?: Page<LocationNode> } } = await deps.shopify.query<{
      locations?: Page<LocationNode>;
    }>(access, RECONCILE_LOCATIONS_QUERY, { first, after });
    const page = answer.data.locations;
    if (!page) throw new ShopifyError({ kind: 'invalid', status: 200, codes: ['MISSING_CONNECTION'] });
    for (const location of page.nodes) {
      if (typeof location.id !== 'string') continue;
      locations.push(location.id);
      await keepLocation(deps, tenantId, location.id, location);
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }

  for (const locationId of locations) {
    for (let after: string | null = null; ; ) {
      if (counts.pages >= maxPages) {
        counts.more = true;
        return counts;
      }
      const answer: { data: { location?: { inventoryLevels?: Page<unknown> } | null } } = await deps.shopify.query<{
        location?: { inventoryLevels?: Page<unknown> } | null;
      }>(access, RECONCILE_INVENTORY_LEVELS_QUERY, { location: locationId, first, after, query: search });
      // A location removed since the list was read has nothing left to sell.
      const page = answer.data.location?.inventoryLevels;
      if (!page) break;
      counts.pages += 1;
      for (const node of page.nodes) {
        counts.seen += 1;
        let level: ShopifyInventoryLevel;
        try {
          level = levelFromNode(node, { locationId });
        } catch (error) {
          if (!(error instanceof UnexpectedNodeError)) throw error;
          counts.skipped += 1;
          deps.onSkipped?.(shop, error);
          continue;
        }
        if ((await deps.apply.inventoryLevel(tenantId, level)) === 'applied') counts.applied += 1;
        newest = Math.max(newest, level.updatedAt);
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  if (newest > cursorAt || storedCursor === undefined) {
    await deps.store.entities.shopSyncCursor
      .upsert({ tenantId, shopDomain, inventoryUpdatedAt: newest })
      .go({ response: 'none' });
  }
  return counts;
}

/**
 * The shop's currency and primary domain (`shop { currencyCode primaryDomain { host } }`), kept
 * on its sync record: product prices are in that currency and Shopify's product payloads do not
 * name it, so the store page shows them in it rather than guessing; the primary domain is where
 * the storefront's links point. Asked on every run (a point of cost), since a merchant can
 * change either.
 */
export async function recordShopFacts(
  deps: Pick<ReconcileDeps, 'store' | 'shopify'>,
  access: ShopAccess,
  key: { tenantId: string; shopDomain: string },
): Promise<string | undefined> {
  const answer = await deps.shopify.query<{
    shop: { currencyCode?: unknown; primaryDomain?: { host?: unknown } | null } | null;
  }>(access, SHOP_FACTS_QUERY);
  const raw = answer.data.shop?.currencyCode;
  const currencyCode = typeof raw === 'string' && /^[A-Z]{3}$/.test(raw) ? raw : undefined;
  const host = answer.data.shop?.primaryDomain?.host;
  const primaryDomain = typeof host === 'string' && isHostName(host) ? host.toLowerCase() : undefined;
  if (currencyCode || primaryDomain) {
    await deps.store.entities.shopSyncCursor
      .upsert({ ...key, ...(currencyCode && { currencyCode }), ...(primaryDomain && { primaryDomain }) })
      .go({ response: 'none' });
  }
  return currencyCode;
}

/** A plain DNS host name (what `primaryDomain.host` holds): nothing else is trusted as a link target. */
function isHostName(host: string): boolean {
  return host.length <= 253 && /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(host);
}

/** The currency of the business's shop as the last reconcile read it, or undefined before one. */
export async function shopCurrencyOf(
  store: Store<typeof SHOPIFY_RECONCILE_RECORDS>,
  tenantId: string,
  shopDomain: string,
): Promise<string | undefined> {
  const { data } = await store.entities.shopSyncCursor
    .get({ tenantId, shopDomain })
    .go({ attributes: ['currencyCode'] });
  return data?.currencyCode;
}

/** Follow-up pages per order: 40 × 250 lines is far past any real basket. */
const MAX_LINE_ITEM_PAGES = 40;

/**
 * An order node with every line item: the page's query reads the first hundred with each order,
 * and an order with more is read on by `order(id:) { lineItems(after:) }` until Shopify says there
 * are no more. An order that vanishes meanwhile, or that has more than the limit, is not applied
 * half-read: it is skipped like a node that does not fit (UnexpectedNodeError), by its id.
 */
async function withAllLineItems(deps: ReconcileDeps, access: ShopAccess, node: unknown): Promise<unknown> {
  const order = node as { id?: unknown; lineItems?: Page<unknown> | null };
  const first = order.lineItems;
  if (!first?.pageInfo?.hasNextPage || typeof order.id !== 'string') return node;
  const nodes = [...first.nodes];
  let pageInfo = first.pageInfo;
  for (let pages = 0; pageInfo.hasNextPage; pages++) {
    if (pages >= MAX_LINE_ITEM_PAGES || !pageInfo.endCursor) {
      throw new UnexpectedNodeError(order.id, ['lineItems']);
    }
    const answer = await deps.shopify.query<{ order: { lineItems: Page<unknown> } | null }>(
      access,
      ORDER_LINE_ITEMS_QUERY,
      { id: order.id, first: MORE_LINE_ITEMS_PAGE, after: pageInfo.endCursor },
    );
    const more = answer.data.order?.lineItems;
    if (!more) throw new UnexpectedNodeError(order.id, ['lineItems']);
    nodes.push(...more.nodes);
    pageInfo = more.pageInfo;
  }
  return { ...order, lineItems: { nodes, pageInfo } };
}

/**
 * Every connected shop, one after the other (the client paces each by its own bucket). A shop
 * that fails is recorded and skipped; the others still run.
 *
 * @example
 * const reports = await reconcileShops({ store, shopify, shopAccess: (id) => shopAccess(tokenDeps, id), apply });
 */
export async function reconcileShops(deps: ReconcileDeps): Promise<ShopReconcileReport[]> {
  const now = deps.now ?? Date.now;
  const reports: ShopReconcileReport[] = [];
  for await (const shop of connectedShops(deps.store)) {
    let report: ShopReconcileReport;
    try {
      report = await reconcileShop(deps, shop);
    } catch (error) {
      const kind = error instanceof ShopifyError ? error.kind : 'failed';
      await deps.store.entities.shopSyncCursor
        .upsert({ tenantId: shop.tenantId, shopDomain: shop.shopDomain, lastErrorKind: kind, lastErrorAt: now() })
        .go({ response: 'none' });
      report = { tenantId: shop.tenantId, shopDomain: shop.shopDomain, counts: {}, error: kind };
    }
    // The sweep needs no word from Shopify: it runs even when the shop's reconcile did not finish.
    if (deps.sweep) {
      try {
        report.requeued = await deps.sweep(shop.tenantId);
      } catch (error) {
        report.sweepError = error instanceof Error ? error.name : 'failed';
      }
    }
    reports.push(report);
  }
  return reports;
}

/** What the store page shows about the reconciliation of a business's shop. */
export interface ReconcileStatus {
  lastReconciledAt?: number;
  counts?: Record<string, number>;
  /** The last run's failure kind, until a run finishes. */
  lastErrorKind?: string;
  lastErrorAt?: number;
}

/**
 * @example
 * const status = await reconcileStatus(store, tenantId, 'asistone-demo.myshopify.com');
 */
export async function reconcileStatus(
  store: Store<typeof SHOPIFY_RECONCILE_RECORDS>,
  tenantId: string,
  shopDomain: string,
): Promise<ReconcileStatus> {
  const stored = (await store.entities.shopSyncCursor.get({ tenantId, shopDomain }).go()).data;
  if (!stored) return {};
  return {
    ...(stored.lastReconciledAt !== undefined && { lastReconciledAt: stored.lastReconciledAt }),
    ...(stored.lastCounts && { counts: stored.lastCounts as Record<string, number> }),
    ...(stored.lastErrorKind && { lastErrorKind: stored.lastErrorKind }),
    ...(stored.lastErrorAt !== undefined && { lastErrorAt: stored.lastErrorAt }),
  };
}
