import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { fakeLevelNode } from './shopify-graphql.js';
import type { FakeInventoryLevel } from './shopify-inventory.js';
import { type FakeShop, type FakeShopState, fakeShop, shopOfAccessToken } from './shopify-state.js';

/**
 * The fake Shopify's bulk operations (Admin API 2026-10): `bulkOperationRunQuery` answers a
 * CREATED operation that is RUNNING, then COMPLETED after a short delay, and `node(id:)` /
 * `currentBulkOperation` report it; its JSONL is served from the fake (`/bulk/<id>.jsonl`, as
 * Shopify serves it from signed storage: no token) and generated from the shop's state while it
 * is sent, one line at a time, in Shopify's shape: each top-level node on its own line, each
 * node of a nested connection on a line of its own with `__parentId`, right after its parent
 * (`groupObjects: true`). A products query that asks for `inventoryItem { inventoryLevels }`
 * gets each variant's stock per location from the shop's inventory, a line per level right after
 * its variant, its `__parentId` the inventory item (the object the connection is on).
 *
 * Mounted before the GraphQL endpoint: a request that is not about bulk operations falls
 * through to it. And a dev endpoint that fills a shop with N generated orders, for the
 * benchmark and the browser test.
 */

const RESOURCES = ['customers', 'products', 'orders'] as const;
type Resource = (typeof RESOURCES)[number];

/** The `__typename` of each nested connection's nodes, as the product's bulk queries ask for it. */
const CHILD_TYPES: Readonly<Record<string, string>> = {
  lineItems: 'LineItem',
  shippingLines: 'ShippingLine',
  discountApplications: 'DiscountCodeApplication',
  variants: 'ProductVariant',
  media: 'MediaImage',
};

export interface FakeBulkOperation {
  id: string;
  shopDomain: string;
  resource: Resource;
  createdAt: number;
  /** When it reports COMPLETED (ms). */
  completesAt: number;
  /** The file's base URL (the fake's origin as the caller reached it). */
  origin: string;
  /** The variants' stock levels were asked for (`inventoryLevels` in a products query). */
  withStock?: boolean;
}

export interface FakeBulkState {
  operations: Map<string, FakeBulkOperation>;
  /** Files served, and how many lines each download sent (tests read these). */
  downloads: { id: string; lines: number; finished: boolean }[];
}

export interface FakeBulkOptions {
  /** How long an operation runs before COMPLETED (default 300 ms). */
  runMs?: number;
  now?: () => number;
  save?: () => void;
}

export function createFakeBulkState(): FakeBulkState {
  return { operations: new Map(), downloads: [] };
}

const gidNumber = (() => {
  let next = 9_000_000;
  return () => (next += 1);
})();

function status(operation: FakeBulkOperation, now: number, shop: FakeShop | undefined) {
  const completed = now >= operation.completesAt;
  const count = completed ? ((shop?.[operation.resource] as unknown[] | undefined)?.length ?? 0) : 0;
  return {
    id: operation.id,
    status: completed ? 'COMPLETED' : 'RUNNING',
    errorCode: null,
    createdAt: new Date(operation.createdAt).toISOString(),
    completedAt: completed ? new Date(operation.completesAt).toISOString() : null,
    objectCount: String(count),
    fileSize: null,
    // Shopify gives no file for an operation that found nothing.
    url: completed && count > 0 ? `${operation.origin}/bulk/${encodeURIComponent(idOf(operation.id))}.jsonl` : null,
    partialDataUrl: null,
  };
}

const idOf = (gid: string) => gid.split('/').pop() ?? '';

/** The stock level lines of a variant line (a connection under its `inventoryItem`). */
type ChildLines = (child: Record<string, unknown>) => Generator<string>;

/** The lines of one node: itself without its connections, then each connection's nodes (and theirs). */
function* linesOf(node: Record<string, unknown>, childLines?: ChildLines): Generator<string> {
  const own: Record<string, unknown> = {};
  const children: [string, unknown[]][] = [];
  for (const [field, value] of Object.entries(node)) {
    const nodes = (value as { nodes?: unknown } | null)?.nodes;
    if (CHILD_TYPES[field] && Array.isArray(nodes)) children.push([field, nodes]);
    else own[field] = value;
  }
  yield JSON.stringify(own);
  for (const [field, nodes] of children) {
    for (const child of nodes) {
      yield JSON.stringify({ __typename: CHILD_TYPES[field], ...(child as object), __parentId: node.id });
      if (childLines) yield* childLines(child as Record<string, unknown>);
    }
  }
}

const cost = (requested: number) => ({
  requestedQueryCost: requested,
  actualQueryCost: requested,
  throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000 - requested, restoreRate: 50 },
});

/** The resource a bulk query's text reads (its first top-level connection). */
const resourceOf = (query: string): Resource | undefined =>
  RESOURCES.find((resource) => new RegExp(`^\\s*\\{\\s*${resource}\\b`).test(query));

export function shopifyBulkRoutes(shops: FakeShopState, state: FakeBulkState, options: FakeBulkOptions = {}) {
  const app = new Hono();
  const now = options.now ?? Date.now;
  const runMs = options.runMs ?? 300;

  app.post('/:shop/admin/api/:version/graphql.json', async (c, next) => {
    const body = (await c.req.json().catch(() => undefined)) as
      | { query?: unknown; variables?: Record<string, unknown> | null }
      | undefined;
    const query = typeof body?.query === 'string' ? body.query : '';
    const isBulk = /\bbulkOperationRunQuery\s*\(|\bcurrentBulkOperation\b|\bnode\s*\(\s*id:/.test(query);
    if (!isBulk) return next();
    const shopDomain = c.req.param('shop');
    const shop = shopOfAccessToken(shops, shopDomain, c.req.header('x-shopify-access-token'));
    if (!shop) {
      return c.json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, 401);
    }
    const variables = body?.variables ?? {};
    if (/\bbulkOperationRunQuery\s*\(/.test(query)) {
      const inner = typeof variables.query === 'string' ? variables.query : '';
      const resource = resourceOf(inner);
      if (!resource) {
        return c.json({
          data: {
            bulkOperationRunQuery: {
              bulkOperation: null,
              userErrors: [{ field: ['query'], message: 'Invalid bulk query', code: 'INVALID' }],
            },
          },
          extensions: { cost: cost(10) },
        });
      }
      const at = now();
      const operation: FakeBulkOperation = {
        id: `gid://shopify/BulkOperation/${gidNumber()}`,
        shopDomain,
        resource,
        createdAt: at,
        completesAt: at + runMs,
        origin: new URL(c.req.url).origin,
        withStock: resource === 'products' && /\binventoryLevels\b/.test(inner),
      };
      state.operations.set(idOf(operation.id), operation);
      return c.json({
        data: { bulkOperationRunQuery: { bulkOperation: { id: operation.id, status: 'CREATED' }, userErrors: [] } },
        extensions: { cost: cost(10) },
      });
    }
    if (/\bcurrentBulkOperation\b/.test(query)) {
      const mine = [...state.operations.values()].filter((operation) => operation.shopDomain === shopDomain).at(-1);
      return c.json({
        data: { currentBulkOperation: mine ? status(mine, now(), shop) : null },
        extensions: { cost: cost(1) },
      });
    }
    const id = typeof variables.id === 'string' ? variables.id : '';
    const operation = state.operations.get(idOf(id));
    return c.json({
      data: { node: operation && operation.shopDomain === shopDomain ? status(operation, now(), shop) : null },
      extensions: { cost: cost(1) },
    });
  });

  // The finished file, generated as it is sent: never built whole in memory, here either.
  app.get('/bulk/:file', (c) => {
    const id = c.req.param('file').replace(/\.jsonl$/, '');
    const operation = state.operations.get(id);
    if (!operation || now() < operation.completesAt) {
      // Shopify's storage answers an unknown or expired object with 403 AccessDenied.
      return c.text('AccessDenied', 403);
    }
    const shop = shops.shops[operation.shopDomain];
    const nodes = (shop?.[operation.resource] ?? []) as Record<string, unknown>[];
    const levels = (shop?.inventory ?? []) as unknown as FakeInventoryLevel[];
    const stockOf: ChildLines | undefined = operation.withStock
      ? function* (variant) {
          const itemId = (variant.inventoryItem as { id?: unknown } | null | undefined)?.id;
          if (typeof itemId !== 'string') return;
          for (const level of levels) {
            if (level.inventoryItemId !== itemId) continue;
            const line = { __typename: 'InventoryLevel', ...fakeLevelNode(level), location: { id: level.locationId } };
            yield JSON.stringify({ ...line, __parentId: itemId });
          }
        }
      : undefined;
    const download = { id, lines: 0, finished: false };
    state.downloads.push(download);
    let index = 0;
    let pending: Generator<string> | undefined;
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      // Pull-based: a line is generated only when the reader asks for more.
      pull(controller) {
        for (;;) {
          const line = pending?.next();
          if (line && !line.done) {
            download.lines += 1;
            controller.enqueue(encoder.encode(`${line.value}\n`));
            return;
          }
          if (index >= nodes.length) {
            download.finished = true;
            controller.close();
            return;
          }
          pending = linesOf(nodes[index++] as Record<string, unknown>, stockOf);
        }
      },
    });
    return new Response(stream, { headers: { 'content-type': 'application/jsonl' } });
  });

  return app;
}

const generateSchema = z.object({
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  count: z.number().int().min(1).max(100_000),
  /** The first order number (default: after the shop's last). */
  from: z.number().int().min(1).optional(),
});

/**
 * `count` orders as the GraphQL API returns them, numbered on from `from`: two or three line
 * items each, prices in kuruş so every amount is an exact decimal string, a discount code on
 * every fifth, shipping on all. Deterministic: the same numbers give the same orders.
 */
export function generateFakeOrders(count: number, from: number, at = Date.parse('2026-01-01T00:00:00Z')) {
  const money = (cents: number) => ({
    shopMoney: { amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`, currencyCode: 'TRY' },
  });
  return Array.from({ length: count }, (_, offset) => {
    const number = from + offset;
    const items = Array.from({ length: 2 + (number % 2) }, (__, line) => {
      const unit = 1_999 + ((number * 7 + line * 131) % 50_000);
      return { line, unit, quantity: 1 + ((number + line) % 3) };
    });
    const subtotal = items.reduce((sum, item) => sum + item.unit * item.quantity, 0);
    const discount = number % 5 === 0 ? 1_000 : 0;
    const shipping = 2_999;
    const created = at + number * 60_000;
    return {
      id: `gid://shopify/Order/${number}`,
      name: `#${number}`,
      email: `musteri${number}@example.com`,
      phone: null,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + 30_000).toISOString(),
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      currencyCode: 'TRY',
      sourceName: 'web',
      retailLocation: null,
      displayFinancialStatus: 'PAID',
      displayFulfillmentStatus: 'UNFULFILLED',
      customer: { id: `gid://shopify/Customer/${100_000 + (number % 97)}` },
      subtotalPriceSet: money(subtotal),
      totalDiscountsSet: money(discount),
      totalShippingPriceSet: money(shipping),
      totalTaxSet: money(0),
      totalPriceSet: money(subtotal - discount + shipping),
      discountApplications: {
        nodes: discount ? [{ code: 'HOSGELDIN10', value: { amount: '10.00', currencyCode: 'TRY' } }] : [],
      },
      lineItems: {
        nodes: items.map((item) => ({
          id: `gid://shopify/LineItem/${number * 10 + item.line}`,
          title: `Ürün ${(number + item.line) % 40}`,
          variantTitle: null,
          sku: `SKU-${(number + item.line) % 40}`,
          quantity: item.quantity,
          unfulfilledQuantity: item.quantity,
          variant: { id: `gid://shopify/ProductVariant/${500 + ((number + item.line) % 40)}` },
          product: { id: `gid://shopify/Product/${400 + ((number + item.line) % 40)}` },
          originalUnitPriceSet: money(item.unit),
          totalDiscountSet: money(0),
        })),
      },
      shippingLines: { nodes: [{ title: 'Kargo', originalPriceSet: money(shipping) }] },
      shippingAddress: null,
      fulfillments: [],
    };
  });
}

/** Adds generated orders to a shop; answers how many it has. */
export function addFakeOrders(shops: FakeShopState, shopDomain: string, count: number, from?: number): number {
  const shop = fakeShop(shops, shopDomain);
  const start = from ?? shop.orders.length + 1001;
  shop.orders.push(...generateFakeOrders(count, start));
  return shop.orders.length;
}

/** `POST /dev/shopify/orders/generate {shopDomain, count}`: fills a shop with orders (no webhooks sent). */
export function shopifyBulkDevRoutes(shops: FakeShopState, options: FakeBulkOptions = {}) {
  const app = new Hono();
  app.post('/orders/generate', async (c: Context) => {
    const parsed = generateSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const orders = addFakeOrders(shops, parsed.data.shopDomain, parsed.data.count, parsed.data.from);
    options.save?.();
    return c.json({ shopDomain: parsed.data.shopDomain, orders });
  });
  return app;
}

/**
 * The bulk routes and their dev route on one app, for the full fake Shopify to mount at `/`
 * (before the GraphQL endpoint).
 *
 * @example
 * app.route('/', fakeShopifyBulkApp(state, { save }));
 */
export function fakeShopifyBulkApp(shops: FakeShopState, options: FakeBulkOptions = {}) {
  const state = createFakeBulkState();
  const app = new Hono();
  app.route('/dev/shopify', shopifyBulkDevRoutes(shops, options));
  app.route('/', shopifyBulkRoutes(shops, state, options));
  return app;
}
