import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as z from 'zod';
import type { FakeInventoryLevel } from './shopify-inventory.js';
import { type FakeShop, type FakeShopState, fakeShop, shopOfAccessToken } from './shopify-state.js';

/**
 * The fake Shopify's GraphQL Admin API: the read queries the reconciliation sends (`customers`,
 * `orders`, `products` with `first`, `after`, `sortKey: UPDATED_AT` and an `updated_at:>'…'`
 * search), answered from the fake's state in Shopify's shapes (`nodes`, `pageInfo`,
 * `extensions.cost.throttleStatus`) behind a cost-based leaky bucket per shop that answers
 * THROTTLED when empty, as Shopify does. It does not parse GraphQL: it recognises the root field
 * and takes the arguments from the variables, which is all the product's queries use.
 *
 * And a dev endpoint that changes an order without sending its webhook (a "lost webhook"), so
 * a test or a person can watch the next reconciliation repair it.
 */

/** A customer, order or product as the fake stores it: the node exactly as the GraphQL API returns it. */
export interface FakeGraphqlNode {
  /** `gid://shopify/Order/1001` */
  id: string;
  /** ISO 8601, as Shopify sends it. */
  updatedAt: string;
  [field: string]: unknown;
}

export const FAKE_GRAPHQL_RESOURCES = ['customers', 'orders', 'products'] as const;
export type FakeGraphqlResource = (typeof FAKE_GRAPHQL_RESOURCES)[number];

/** The bucket Shopify keeps per app and shop (standard plan figures by default). */
export interface FakeBucket {
  maximumAvailable: number;
  restoreRate: number;
  /** Points at `at` (ms). */
  available: number;
  at: number;
}

/**
 * What only the GraphQL endpoint keeps, beside the shops (shopify-state.ts): each shop's bucket
 * and a log of calls. Not persisted: a restart refills the buckets, as time would.
 */
export interface FakeGraphqlState {
  buckets: Map<string, FakeBucket>;
  /** Every GraphQL call, for tests (never its token). */
  calls: { shopDomain: string; root: string; cost: number; throttled: boolean }[];
}

export function createFakeGraphqlState(): FakeGraphqlState {
  return { buckets: new Map(), calls: [] };
}

export interface FakeGraphqlOptions {
  /** Bucket size and refill per shop (default 1000 points, 50 per second). */
  bucket?: { maximumAvailable: number; restoreRate: number };
  now?: () => number;
  /** Keeps the shops' state after a dev change (the fake's state file). */
  save?: () => void;
}

const DEFAULT_BUCKET = { maximumAvailable: 1000, restoreRate: 50 };

function bucketOf(state: FakeGraphqlState, options: FakeGraphqlOptions, shopDomain: string, now: number): FakeBucket {
  const size = options.bucket ?? DEFAULT_BUCKET;
  const bucket = state.buckets.get(shopDomain) ?? { ...size, available: size.maximumAvailable, at: now };
  bucket.available = Math.min(
    bucket.maximumAvailable,
    bucket.available + ((now - bucket.at) / 1000) * bucket.restoreRate,
  );
  bucket.at = now;
  state.buckets.set(shopDomain, bucket);
  return bucket;
}

/** Empties (or sets) a shop's bucket, e.g. to show the reconciliation waiting mid-way. */
export function drainBucket(state: FakeGraphqlState, shopDomain: string, available = 0, now = Date.now()): void {
  const bucket = state.buckets.get(shopDomain) ?? { ...DEFAULT_BUCKET, available: 0, at: now };
  state.buckets.set(shopDomain, { ...bucket, available, at: now });
}

const throttleStatus = (bucket: FakeBucket) => ({
  maximumAvailable: bucket.maximumAvailable,
  currentlyAvailable: Math.floor(bucket.available),
  restoreRate: bucket.restoreRate,
});

/** `updated_at:>'2026-11-30T10:00:00Z'` (also `>=`); other search terms are not supported by the fake. */
function updatedSince(search: unknown): { at: number; inclusive: boolean } | undefined {
  if (typeof search !== 'string') return undefined;
  const match = /updated_at:(>=?)'?([^'\s]+)'?/.exec(search);
  if (!match) return undefined;
  const at = Date.parse(match[2] as string);
  return Number.isFinite(at) ? { at, inclusive: match[1] === '>=' } : undefined;
}

const cursorOf = (node: FakeGraphqlNode) =>
  Buffer.from(JSON.stringify([Date.parse(node.updatedAt), node.id])).toString('base64url');

function afterCursor(cursor: unknown): [number, string] | undefined {
  if (typeof cursor !== 'string') return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string];
    return typeof at === 'number' && typeof id === 'string' ? [at, id] : undefined;
  } catch {
    return undefined;
  }
}

const compare = (a: [number, string], b: [number, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/** One page of a resource, ordered by (updatedAt, id) like `sortKey: UPDATED_AT`. */
function page(stored: readonly Record<string, unknown>[], variables: Record<string, unknown>) {
  const first = Math.min(250, Math.max(1, Number(variables.first) || 50));
  const since = updatedSince(variables.query);
  const after = afterCursor(variables.after);
  const sorted = (stored as FakeGraphqlNode[])
    .map((node) => ({ node, key: [Date.parse(node.updatedAt), node.id] as [number, string] }))
    .filter(({ key }) => !since || (since.inclusive ? key[0] >= since.at : key[0] > since.at))
    .filter(({ key }) => !after || compare(key, after) > 0)
    .sort((a, b) => compare(a.key, b.key));
  const nodes = sorted.slice(0, first).map(({ node }) => node);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: sorted.length > first, endCursor: last ? cursorOf(last) : null },
  };
}

/** `shop { … }`, `order(id:) { … }` and `location(id:) { … }`: roots that name one thing, not a page of them. */
function singleRoot(query: string): 'shop' | 'order' | 'location' | undefined {
  if (/^\s*(query\b[^{]*)?\{\s*shop\s*\{/.test(query)) return 'shop';
  if (/^\s*(query\b[^{]*)?\{\s*order\s*\(/.test(query)) return 'order';
  if (/^\s*(query\b[^{]*)?\{\s*location\s*\(/.test(query)) return 'location';
  return undefined;
}

/**
 * A stock level as the Admin API returns an `InventoryLevel` (id, `updatedAt`, `item { id }`,
 * `quantities(names: ["available"])`); its id is Shopify's, the location's number with the item's.
 */
export function fakeLevelNode(level: FakeInventoryLevel) {
  const number = (gid: string) => gid.split('/').pop();
  return {
    id: `gid://shopify/InventoryLevel/${number(level.locationId)}?inventory_item_id=${number(level.inventoryItemId)}`,
    updatedAt: level.updatedAt,
    item: { id: level.inventoryItemId },
    quantities: [{ name: 'available', quantity: level.available }],
  };
}

const levelsOf = (shop: FakeShop) => shop.inventory as unknown as FakeInventoryLevel[];

/** `locations(first:, after:)`: the places the shop's stock is kept (where its inventory has levels). */
function locationsPage(shop: FakeShop, variables: Record<string, unknown>) {
  const ids = [...new Set(levelsOf(shop).map((level) => level.locationId))].sort();
  const first = Math.min(250, Math.max(1, Number(variables.first) || 50));
  return connectionPage(
    ids.map((id) => ({
      id,
      name: shop.locations?.[id]?.name ?? `Location ${String(id).split('/').pop()}`,
      fulfillsOnlineOrders: shop.locations?.[id]?.fulfillsOnlineOrders ?? true,
    })),
    first,
    variables.after,
  );
}

/** `location(id:) { inventoryLevels(first:, after:, query: "updated_at:>…") }`, unsorted as Shopify's. */
function locationWithLevels(shop: FakeShop, variables: Record<string, unknown>) {
  const levels = levelsOf(shop).filter((level) => level.locationId === variables.location);
  if (!levels.length) return null;
  const since = updatedSince(variables.query);
  const first = Math.min(250, Math.max(1, Number(variables.first) || 50));
  const changed = levels.filter((level) => {
    const at = Date.parse(level.updatedAt);
    return !since || (since.inclusive ? at >= since.at : at > since.at);
  });
  return {
    id: variables.location,
    inventoryLevels: connectionPage(changed.map(fakeLevelNode), first, variables.after),
  };
}

/** The literal page size a query asks of a nested connection (`lineItems(first: 100)`), or its variable's. */
function nestedFirst(query: string, connection: string): number | undefined {
  const match = new RegExp(`\\b${connection}\\s*\\(\\s*first:\\s*(\\d+)`).exec(query);
  return match ? Math.min(250, Number(match[1])) : undefined;
}

const indexCursor = (index: number) => Buffer.from(`li:${index}`).toString('base64url');
const indexOf = (cursor: unknown) => {
  if (typeof cursor !== 'string') return -1;
  const match = /^li:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : -1;
};

/** A stored connection (`{ nodes }` or a bare list) cut to one page after `after`, as Shopify pages it. */
function connectionPage(connection: unknown, first: number, after?: unknown) {
  const all = Array.isArray(connection)
    ? connection
    : Array.isArray((connection as { nodes?: unknown } | undefined)?.nodes)
      ? ((connection as { nodes: unknown[] }).nodes as unknown[])
      : [];
  const start = indexOf(after) + 1;
  const nodes = all.slice(start, start + first);
  const last = start + nodes.length - 1;
  return {
    nodes,
    pageInfo: { hasNextPage: start + first < all.length, endCursor: nodes.length ? indexCursor(last) : null },
  };
}

/** An order of a page with its line items cut to the page size the query asked for them. */
function lineItemsPaged(node: FakeGraphqlNode, first: number): FakeGraphqlNode {
  return node.lineItems === undefined ? node : { ...node, lineItems: connectionPage(node.lineItems, first) };
}

/** `order(id:) { lineItems(first:, after:) }`: the rest of a large order's line items. */
function orderWithLineItems(shop: FakeShop, variables: Record<string, unknown>) {
  const order = (shop.orders as FakeGraphqlNode[]).find((node) => node.id === variables.id);
  if (!order) return null;
  const first = Math.min(250, Math.max(1, Number(variables.first) || 50));
  return { id: order.id, lineItems: connectionPage(order.lineItems, first, variables.after) };
}

const requestSchema = z.object({
  query: z.string().min(1).max(20_000),
  variables: z.record(z.string(), z.unknown()).nullish(),
});

/** Shopify's estimate: a connection costs about its page size plus the query itself. */
const costOf = (variables: Record<string, unknown>) => 2 + Math.min(250, Math.max(1, Number(variables.first) || 50));

/**
 * `POST /<shop>/admin/api/:version/graphql.json` (the fake serves each shop under its domain):
 * answered only for a live access token the fake issued for that shop.
 *
 * @example
 * app.route('/', shopifyGraphqlRoutes(state, createFakeGraphqlState(), { save }));
 */
export function shopifyGraphqlRoutes(shops: FakeShopState, state: FakeGraphqlState, options: FakeGraphqlOptions = {}) {
  const app = new Hono();
  const now = options.now ?? Date.now;

  app.post('/:shop/admin/api/:version/graphql.json', async (c) => {
    const shopDomain = c.req.param('shop');
    const shop = shopOfAccessToken(shops, shopDomain, c.req.header('x-shopify-access-token'));
    // Shopify's own 401 body for a missing, expired or unknown token.
    if (!shop) {
      return c.json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }, 401);
    }
    const parsed = requestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ errors: { query: 'Required parameter missing or invalid' } }, 400);
    const variables = parsed.data.variables ?? {};
    const query = parsed.data.query;
    const single = singleRoot(query);
    const root =
      single ??
      (/^\s*(query\b[^{]*)?\{\s*locations\s*\(/.test(query) ? 'locations' : undefined) ??
      FAKE_GRAPHQL_RESOURCES.find((resource) => new RegExp(`\\b${resource}\\s*\\(`).test(query));
    if (!root) {
      return c.json({
        errors: [
          {
            message:
              'The fake Shopify answers shop, order, location, locations, customers, orders and products queries only',
            extensions: { code: 'undefinedField' },
          },
        ],
      });
    }

    // Locations are gated by their own scope since 2024-10: a token granted without it is
    // refused the field, as Shopify words it (the request itself succeeds).
    const scopes = (shops.accessTokens[c.req.header('x-shopify-access-token') ?? '']?.scope ?? '').split(',');
    if ((root === 'location' || root === 'locations') && !scopes.includes('read_locations')) {
      return c.json({
        errors: [
          {
            message: `Access denied for ${root} field. Required access: \`read_locations\` access scope.`,
            extensions: {
              code: 'ACCESS_DENIED',
              documentation: 'https://shopify.dev/api/usage/access-scopes',
              requiredAccess: '`read_locations` access scope.',
            },
          },
        ],
        data: null,
      });
    }

    // One object (the shop) costs a point; a connection about its page size.
    const cost = root === 'shop' ? 1 : costOf(variables);
    const bucket = bucketOf(state, options, shopDomain, now());
    if (bucket.available < cost) {
      state.calls.push({ shopDomain, root, cost, throttled: true });
      return c.json({
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus(bucket) },
        },
      });
    }
    bucket.available -= cost;
    state.calls.push({ shopDomain, root, cost, throttled: false });
    let data: unknown;
    if (root === 'shop') {
      // A shop without a domain of its own has its myshopify domain as primary, as on Shopify.
      const host = shop.primaryDomain ?? shop.domain;
      data = {
        currencyCode: shop.currencyCode ?? 'TRY',
        name: shop.name,
        primaryDomain: { host, url: `https://${host}` },
      };
    } else if (root === 'order') data = orderWithLineItems(shop, variables);
    else if (root === 'location') data = locationWithLevels(shop, variables);
    else if (root === 'locations') data = locationsPage(shop, variables);
    else {
      const answer = page(shop[root as FakeGraphqlResource], variables);
      const lineItemsFirst = root === 'orders' ? nestedFirst(query, 'lineItems') : undefined;
      data = lineItemsFirst
        ? { ...answer, nodes: answer.nodes.map((node) => lineItemsPaged(node, lineItemsFirst)) }
        : answer;
    }
    // Shopify charges what a query asked for, then refunds what it did not return: a stock page
    // that finds few changed levels costs little (the other roots keep the fake's flat charge).
    let actual = cost;
    if (root === 'location' || root === 'locations') {
      const returned = root === 'locations' ? data : (data as { inventoryLevels?: unknown } | null)?.inventoryLevels;
      actual = Math.min(cost, 2 + ((returned as { nodes?: unknown[] } | null)?.nodes?.length ?? 0));
      bucket.available += cost - actual;
    }
    return c.json({
      data: { [root]: data },
      extensions: {
        cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: throttleStatus(bucket) },
      },
    });
  });

  return app;
}

const changeSchema = z.object({
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  resource: z.enum(FAKE_GRAPHQL_RESOURCES),
  /** The node's fields to set; `id` names which (a new id adds one). */
  node: z.looseObject({ id: z.string().regex(/^gid:\/\/shopify\/\w+\/\d+$/) }),
});

/**
 * Changes (or adds) a customer, order or product in the fake and stamps it updated now,
 * without sending its webhook: what a lost delivery looks like from Asistone's side.
 */
export function changeWithoutWebhook(
  shops: FakeShopState,
  change: z.infer<typeof changeSchema>,
  now = Date.now(),
): FakeGraphqlNode {
  const nodes = fakeShop(shops, change.shopDomain)[change.resource] as FakeGraphqlNode[];
  const index = nodes.findIndex((node) => node.id === change.node.id);
  const node: FakeGraphqlNode = { ...nodes[index], ...change.node, updatedAt: new Date(now).toISOString() };
  if (index >= 0) nodes[index] = node;
  else nodes.push(node);
  return node;
}

/**
 * Dev routes (mounted under `/dev/shopify`): `POST /lost-webhook` changes a node without its
 * webhook; `POST /throttle` empties a shop's bucket.
 */
export function shopifyGraphqlDevRoutes(
  shops: FakeShopState,
  state: FakeGraphqlState,
  options: FakeGraphqlOptions = {},
) {
  const app = new Hono();
  const now = options.now ?? Date.now;
  app.post('/lost-webhook', async (c) => {
    const parsed = changeSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    const node = changeWithoutWebhook(shops, parsed.data, now());
    options.save?.();
    return c.json({ node });
  });
  app.post('/throttle', async (c) => {
    const parsed = z
      .object({ shopDomain: z.string().min(1), available: z.number().min(0).default(0) })
      .safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: 'invalid_request', issues: parsed.error.issues }, 400);
    drainBucket(state, parsed.data.shopDomain, parsed.data.available, now());
    return c.json({ ok: true });
  });
  return app;
}

/**
 * The GraphQL endpoint and its dev routes on one app, for the full fake Shopify to mount at `/`.
 *
 * @example
 * app.route('/', fakeShopifyGraphqlApp(state, { save }));
 */
export function fakeShopifyGraphqlApp(shops: FakeShopState, options: FakeGraphqlOptions = {}) {
  const state = createFakeGraphqlState();
  const app = new Hono();
  app.route('/dev/shopify', shopifyGraphqlDevRoutes(shops, state, options));
  app.route('/', shopifyGraphqlRoutes(shops, state, options));
  return app;
}

export interface FakeShopifyGraphql {
  /** Shops are under `<url>/<shop domain>`, as on the full fake. */
  url: string;
  shops: FakeShopState;
  state: FakeGraphqlState;
  stop(): Promise<void>;
}

/**
 * The GraphQL endpoint on a server of its own, for tests that need only it (the full fake
 * Shopify mounts the same routes on its shops' state).
 */
export async function startFakeShopifyGraphql(options: FakeGraphqlOptions & { shops: FakeShopState }) {
  const state = createFakeGraphqlState();
  const app = new Hono();
  app.route('/dev/shopify', shopifyGraphqlDevRoutes(options.shops, state, options));
  app.route('/', shopifyGraphqlRoutes(options.shops, state, options));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    shops: options.shops,
    state,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  } satisfies FakeShopifyGraphql;
}
