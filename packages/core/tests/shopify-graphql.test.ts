import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShopify, startFakeShopify } from '../../local/src/fakes/shopify.js';
import { ShopifyError, shopifyGraphql } from '../src/shopify/graphql.js';
import { shopOrigin } from '../src/shopify/settings.js';
import { requestShopTokens } from '../src/shopify/tokens.js';

/**
 * The GraphQL Admin API client against a local HTTP server answering Shopify's shapes: the
 * throttle status read from each answer, THROTTLED waited out by the bucket's numbers, pacing
 * before a query the bucket cannot pay for, and each failure turned into the kind callers act on.
 */

interface Seen {
  path: string;
  token: string | undefined;
  body: { query: string; variables: Record<string, unknown> };
}

const seen: Seen[] = [];
let answers: { status: number; body: unknown }[] = [];
let server: Server;
let base: string;

const TOKEN = 'shpat_graphql-test-token-0123456789';
const access = { shopDomain: 'graphql-test.myshopify.com', accessToken: TOKEN };

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    seen.push({ path: request.url ?? '', token: request.headers['x-shopify-access-token'] as string, body });
    const answer = answers.shift() ?? { status: 500, body: { errors: 'no scripted answer' } };
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const cost = (requested: number, available: number, maximum = 1000, restoreRate = 50) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: maximum, currentlyAvailable: available, restoreRate },
  },
});

function client(clock = { now: 1_000_000 }) {
  const waits: number[] = [];
  const shopify = shopifyGraphql({
    shopBaseUrl: (shop) => `${base}/shops/${shop}`,
    now: () => clock.now,
    sleep: async (ms) => {
      waits.push(ms);
      clock.now += ms;
    },
  });
  return { shopify, waits, clock };
}

const ORDERS = 'query Orders($first: Int!) { orders(first: $first) { nodes { id } } }';

describe('shopifyGraphql', () => {
  it('posts to the 2026-10 endpoint with the token header and answers data and the throttle status', async () => {
    answers.push({ status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(52, 948) } });
    const { shopify } = client();
    const answer = await shopify.query<{ orders: { nodes: unknown[] } }>(access, ORDERS, { first: 50 });

    expect(answer.data).toEqual({ orders: { nodes: [] } });
    expect(answer.cost).toEqual({ maximumAvailable: 1000, currentlyAvailable: 948, restoreRate: 50 });
    expect(answer.requestedQueryCost).toBe(52);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe('/shops/graphql-test.myshopify.com/admin/api/2026-10/graphql.json');
    expect(seen[0]?.token).toBe(TOKEN);
    expect(seen[0]?.body).toEqual({ query: ORDERS, variables: { first: 50 } });
  });

  it('waits out THROTTLED by (requested - available) / restoreRate, then succeeds', async () => {
    answers.push(
      {
        status: 200,
        body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(202, 2) },
      },
      {
        status: 200,
        body: { data: { orders: { nodes: [{ id: 'gid://shopify/Order/1' }] } }, extensions: cost(202, 0) },
      },
    );
    const { shopify, waits } = client();
    const answer = await shopify.query<{ orders: { nodes: { id: string }[] } }>(access, ORDERS, { first: 200 });

    expect(answer.data.orders.nodes).toEqual([{ id: 'gid://shopify/Order/1' }]);
    // (202 - 2) / 50 = 4 seconds, exactly once.
    expect(waits).toEqual([4000]);
    expect(seen).toHaveLength(2);
  });

  it('gives up as throttled after the bounded number of retries', async () => {
    const throttled = {
      status: 200,
      body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(100, 0) },
    };
    answers.push(throttled, throttled, throttled);
    const shopify = shopifyGraphql({
      shopBaseUrl: (shop) => `${base}/shops/${shop}`,
      maxThrottleRetries: 2,
      sleep: async () => {},
    });
    const error = await shopify.query(access, ORDERS, { first: 100 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ShopifyError);
    expect((error as ShopifyError).kind).toBe('throttled');
    expect((error as ShopifyError).retryAfterSeconds).toBe(2);
    expect((error as ShopifyError).retryable).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it('paces: waits before a query whose last cost exceeds what the bucket holds now', async () => {
    answers.push(
      { status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(300, 100) } },
      { status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(300, 100) } },
      { status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(300, 900) } },
    );
    const { shopify, waits, clock } = client();
    await shopify.query(access, ORDERS, { first: 250 });
    expect(waits).toEqual([]);

    // 100 available, the query cost 300 last time: (300 - 100) / 50 = 4 s.
    await shopify.query(access, ORDERS, { first: 250 });
    expect(waits).toEqual([4000]);

    // Time that passed counts as restored: 3 s later the bucket holds 100 + 150, so 1 s more.
    clock.now += 3000;
    await shopify.query(access, ORDERS, { first: 250 });
    expect(waits).toEqual([4000, 1000]);
    expect(seen).toHaveLength(3);
  });

  it('keeps each shop in its own bucket', async () => {
    answers.push(
      { status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(300, 0) } },
      { status: 200, body: { data: { orders: { nodes: [] } }, extensions: cost(300, 700) } },
    );
    const { shopify, waits } = client();
    await shopify.query(access, ORDERS, { first: 250 });
    await shopify.query({ ...access, shopDomain: 'another-shop.myshopify.com' }, ORDERS, { first: 250 });
    expect(waits).toEqual([]);
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'retryable'],
    [503, 'retryable'],
    [400, 'invalid'],
    [404, 'invalid'],
  ] as const)('HTTP %i is a %s error without the token', async (status, kind) => {
    answers.push({ status, body: { errors: `[API] Invalid API key or access token (${status})` } });
    const { shopify } = client();
    const error = (await shopify.query(access, ORDERS).catch((caught: unknown) => caught)) as ShopifyError;

    expect(error).toBeInstanceOf(ShopifyError);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(JSON.stringify({ ...error, text: error.message })).not.toContain(TOKEN);
  });

  it('GraphQL errors in a 200 are invalid, with their codes and not their messages', async () => {
    answers.push({
      status: 200,
      body: {
        errors: [
          {
            message: "Field 'ordres' doesn't exist on type 'QueryRoot' for ayse@example.com",
            extensions: { code: 'undefinedField' },
          },
        ],
      },
    });
    const { shopify } = client();
    const error = (await shopify.query(access, '{ ordres { id } }').catch((caught: unknown) => caught)) as ShopifyError;

    expect(error.kind).toBe('invalid');
    expect(error.codes).toEqual(['undefinedField']);
    expect(error.message).not.toContain('ayse@example.com');
  });

  it('an answer that is not JSON is invalid', async () => {
    answers.push({ status: 200, body: '<html>maintenance</html>' });
    const { shopify } = client();
    const error = (await shopify.query(access, ORDERS).catch((caught: unknown) => caught)) as ShopifyError;
    expect(error.kind).toBe('invalid');
  });

  it("surfaces a mutation's userErrors as a user-error with their codes", async () => {
    answers.push({
      status: 200,
      body: {
        data: {
          inventoryAdjustQuantities: {
            inventoryAdjustmentGroup: null,
            userErrors: [{ field: ['input', 'changes', '0'], message: 'stale', code: 'CHANGE_FROM_QUANTITY_STALE' }],
          },
        },
        extensions: cost(10, 990),
      },
    });
    const { shopify } = client();
    const error = (await shopify
      .query(access, 'mutation { inventoryAdjustQuantities { userErrors { code } } }')
      .catch((caught: unknown) => caught)) as ShopifyError;

    expect(error.kind).toBe('user-error');
    expect(error.userErrors.map((userError) => userError.code)).toEqual(['CHANGE_FROM_QUANTITY_STALE']);
    expect(error.message).toContain('CHANGE_FROM_QUANTITY_STALE');
  });

  it('a mutation with empty userErrors succeeds', async () => {
    answers.push({
      status: 200,
      body: { data: { tagsAdd: { node: { id: 'x' }, userErrors: [] } }, extensions: cost(10, 990) },
    });
    const { shopify } = client();
    await expect(shopify.query(access, 'mutation { tagsAdd { userErrors { code } } }')).resolves.toMatchObject({
      data: { tagsAdd: { node: { id: 'x' } } },
    });
  });

  it('a timeout is retryable and names no URL or token', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const shopify = shopifyGraphql({ shopBaseUrl: () => `http://127.0.0.1:${port}`, timeoutMs: 100 });
    const error = (await shopify.query(access, ORDERS).catch((caught: unknown) => caught)) as ShopifyError;
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));

    expect(error.kind).toBe('retryable');
    expect(error.status).toBe(0);
    expect(error.codes).toEqual(['TIMEOUT']);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("the fake Shopify's GraphQL endpoint", () => {
  const DEMO = 'graphql-demo.myshopify.com';
  const settings = { clientId: 'graphql-fake-client', clientSecret: 'graphql-fake-client-secret', shopBaseUrl: '' };
  let shopify: FakeShopify;

  beforeAll(async () => {
    shopify = await startFakeShopify({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      seedShops: [{ domain: DEMO, refreshToken: 'shprt_graphql-demo-seed' }],
    });
    settings.shopBaseUrl = shopify.url;
  });
  afterAll(() => shopify?.stop());

  const ORDERS_SINCE = `query Orders($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } }
  }`;
  const lostWebhook = (body: unknown) =>
    fetch(`${shopify.url}/dev/shopify/lost-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers orders changed since a time, paged, with a token it issued, and refuses others', async () => {
    const tokens = await requestShopTokens({ settings }, DEMO, { refreshToken: 'shprt_graphql-demo-seed' });
    const demo = { shopDomain: DEMO, accessToken: tokens.accessToken };
    const client = shopifyGraphql({ shopBaseUrl: (shop) => shopOrigin(settings, shop) });
    for (const number of [1, 2, 3]) {
      const answer = await lostWebhook({
        shopDomain: DEMO,
        resource: 'orders',
        node: { id: `gid://shopify/Order/${number}`, name: `#${number}` },
      });
      expect(answer.status).toBe(200);
    }
    const since = `updated_at:>'${new Date(Date.now() - 60_000).toISOString()}'`;

    const first = await client.query<{
      orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(demo, ORDERS_SINCE, { first: 2, query: since });
    expect(first.data.orders.nodes.map((node) => node.id)).toEqual(['gid://shopify/Order/1', 'gid://shopify/Order/2']);
    expect(first.data.orders.pageInfo.hasNextPage).toBe(true);
    expect(first.cost).toMatchObject({ maximumAvailable: 1000, restoreRate: 50 });
    expect(first.cost.currentlyAvailable).toBeLessThan(1000);
    const second = await client.query<{ orders: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } }>(
      demo,
      ORDERS_SINCE,
      { first: 2, query: since, after: first.data.orders.pageInfo.endCursor },
    );
    expect(second.data.orders.nodes.map((node) => node.id)).toEqual(['gid://shopify/Order/3']);
    expect(second.data.orders.pageInfo.hasNextPage).toBe(false);

    // Nothing changed after now.
    const none = await client.query<{ orders: { nodes: unknown[] } }>(demo, ORDERS_SINCE, {
      first: 2,
      query: `updated_at:>'${new Date(Date.now() + 60_000).toISOString()}'`,
    });
    expect(none.data.orders.nodes).toEqual([]);

    const refused = (await client
      .query({ shopDomain: DEMO, accessToken: 'shpat_not-issued' }, ORDERS_SINCE, { first: 1 })
      .catch((caught: unknown) => caught)) as ShopifyError;
    expect(refused.kind).toBe('auth');
    // Another shop's path with this shop's token: refused too.
    const elsewhere = (await client
      .query({ ...demo, shopDomain: 'baska-dukkan.myshopify.com' }, ORDERS_SINCE, { first: 1 })
      .catch((caught: unknown) => caught)) as ShopifyError;
    expect(elsewhere.kind).toBe('auth');
  });

  it('refuses a malformed lost-webhook change with 400 and changes nothing', async () => {
    const before = JSON.stringify(shopify.state.shops[DEMO]);
    for (const body of [
      { shopDomain: 'not a shop', resource: 'orders', node: { id: 'gid://shopify/Order/9' } },
      { shopDomain: DEMO, resource: 'refunds', node: { id: 'gid://shopify/Order/9' } },
      { shopDomain: DEMO, resource: 'orders', node: { id: '9' } },
    ]) {
      expect((await lostWebhook(body)).status).toBe(400);
    }
    expect(JSON.stringify(shopify.state.shops[DEMO])).toBe(before);
  });
});
