import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { shopifyAppSettings } from '../../packages/core/src/shopify/settings.js';
import { businessOfShop, shopAccess } from '../../packages/core/src/shopify/tokens.js';
import { localAws } from '../support/local-aws.js';
import { type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * Connecting a Shopify store against a real `npm start` and its fake Shopify, over HTTP as the
 * web app and the merchant's browser do: install, Shopify's authorize page, the signed callback,
 * status and disconnect; and every way a callback can be forged or replayed.
 */
const CLIENT_SECRET = 'asistone-demo-shopify-secret';

let stack: RunningStack;
let api: ApiClient;
let aws: ReturnType<typeof localAws>;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;
let stranger: SignedInPerson & { tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  aws = localAws(stack.dataDir);
  owner = await newOwner(api, 'Magaza');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
  stranger = await newOwner(api, 'Baska');
});
afterAll(async () => {
  await stack?.stop();
});

interface Connection {
  connected: boolean;
  shopDomain: string | null;
  status: string | null;
  scopes: string[];
}

const shopifyPath = (tenantId = owner.tenantId) => `/businesses/${tenantId}/shopify`;

async function install(shop: string, token = owner.accessToken) {
  return api.call<{ authorizeUrl: string }>('POST', `${shopifyPath()}/install`, { token, body: { shop } });
}

/** The merchant approves at (fake) Shopify: answers the callback URL Shopify redirects to. */
async function approve(shop: string): Promise<URL> {
  const started = await install(shop);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const authorize = await fetch(started.body.authorizeUrl, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.get('location') as string);
  expect(callback.pathname).toBe('/api/shopify/callback');
  return callback;
}

const callback = (url: URL) => fetch(url, { redirect: 'manual' });

const status = async (tenantId = owner.tenantId, token = owner.accessToken) =>
  api.call<Connection>('GET', shopifyPath(tenantId), { token });

const fakeState = async () =>
  (await (await fetch(`${stack.url}/dev/shopify/state`)).json()) as { refreshCalls: number; codeExchanges: number };

/** Signs a callback query as Shopify does (sorted, URL-encoded, hex HMAC-SHA256 with the app secret). */
function signed(params: Record<string, string>, secret = CLIENT_SECRET): URL {
  const sorted = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const hmac = createHmac('sha256', secret).update(sorted.toString().replace(/\+/g, '%20')).digest('hex');
  const url = new URL(`${stack.url}/api/shopify/callback`);
  for (const [key, value] of sorted) url.searchParams.set(key, value);
  url.searchParams.set('hmac', hmac);
  return url;
}

const paramsOf = (url: URL) => Object.fromEntries([...url.searchParams].filter(([key]) => key !== 'hmac'));

describe('connecting a Shopify store', () => {
  it('refuses a shop that is not <name>.myshopify.com (400)', async () => {
    for (const shop of ['evil.com', 'evil.com/x.myshopify.com', 'https://evil.com', 'a.myshopify.com.evil.com']) {
      const answer = await install(shop);
      expect(answer.status, shop).toBe(400);
    }
    expect((await status()).body.connected).toBe(false);
  });

  it('refuses a callback with a wrong HMAC (400), storing nothing and keeping the install usable', async () => {
    const url = await approve('magaza-hmac.myshopify.com');
    const before = await fakeState();
    const forged = new URL(url);
    const hmac = forged.searchParams.get('hmac') as string;
    forged.searchParams.set('hmac', `${hmac[0] === 'a' ? 'b' : 'a'}${hmac.slice(1)}`);
    expect((await callback(forged)).status).toBe(400);
    // Signed with another secret: also refused.
    expect((await callback(signed(paramsOf(url), 'someone-elses-app-secret'))).status).toBe(400);
    // Unsigned.
    const unsigned = new URL(url);
    unsigned.searchParams.delete('hmac');
    expect((await callback(unsigned)).status).toBe(400);
    expect((await status()).body).toMatchObject({ connected: false, shopDomain: null });
    expect((await fakeState()).codeExchanges).toBe(before.codeExchanges);
    // The forgeries did not burn the state: Shopify's own redirect still connects.
    const real = await callback(url);
    expect(real.status).toBe(302);
    expect((await status()).body).toMatchObject({ connected: true, shopDomain: 'magaza-hmac.myshopify.com' });
    // Leave the business unconnected for the next tests.
    expect((await api.call('DELETE', shopifyPath(), { token: owner.accessToken })).status).toBe(200);
  });

  it('refuses a signed callback for a shop other than the one the install named (400)', async () => {
    const url = await approve('magaza-one.myshopify.com');
    const params = paramsOf(url);
    for (const shop of ['magaza-two.myshopify.com', 'evil.com']) {
      const answer = await callback(signed({ ...params, shop }));
      expect(answer.status, shop).toBe(400);
    }
    expect((await status()).body.connected).toBe(false);
  });

  it('connects: install, authorize at Shopify, callback, then the status shows the shop and no token', async () => {
    const before = await fakeState();
    const url = await approve('demo-butik.myshopify.com');
    const answer = await callback(url);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toMatch(new RegExp(`/b/${owner.tenantId}/store\\?shopify=connected$`));
    expect((await fakeState()).codeExchanges).toBe(before.codeExchanges + 1);

    const connection = await status();
    expect(connection.status).toBe(200);
    expect(connection.body).toMatchObject({
      connected: true,
      status: 'connected',
      shopDomain: 'demo-butik.myshopify.com',
    });
    expect(connection.body.scopes).toEqual(expect.arrayContaining(['read_orders', 'write_inventory']));
    expect(JSON.stringify(connection.body)).not.toMatch(/shpat_|shprt_|token/i);

    // Stored sealed, routed by the directory, and usable: a token the fake Shopify honours.
    const raw = await aws.dumpTable();
    const item = raw.find((row) => row.pk === `t#${owner.tenantId}` && row.sk === 'shopify#demo-butik.myshopify.com');
    expect(String(item?.accessToken)).not.toMatch(/^shpat_/);
    expect(String(item?.refreshToken)).not.toMatch(/^shprt_/);
    const core = createPlatform(readConfig(aws.env));
    const store = core.storeOf(SHOPIFY_CONNECTION_RECORDS);
    expect(await businessOfShop(store, 'demo-butik.myshopify.com')).toBe(owner.tenantId);
    const access = await shopAccess(
      { store, keyring: core.keyring, settings: shopifyAppSettings(aws.env) },
      owner.tenantId,
    );
    expect(access.accessToken).toMatch(/^shpat_/);

    const audit = await api.call<{ entries: { action: string; target: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/audit?action=integration.connected`,
      { token: owner.accessToken },
    );
    expect(audit.body.entries).toContainEqual(
      expect.objectContaining({ action: 'integration.connected', target: 'shopify:demo-butik.myshopify.com' }),
    );
  });

  it('refuses a replayed callback, also when replayed concurrently', async () => {
    const url = await approve('demo-replay.myshopify.com');
    const before = await fakeState();
    const answers = await Promise.all([callback(url), callback(url), callback(url)]);
    expect(answers.map((a) => a.status).sort()).toEqual([302, 400, 400]);
    // The code was exchanged once: the refused replays never reached Shopify.
    expect((await fakeState()).codeExchanges).toBe(before.codeExchanges + 1);
    expect((await callback(url)).status).toBe(400);
    expect((await status()).body.shopDomain).toBe('demo-replay.myshopify.com');
  });

  it('lets only those who manage integrations in: an agent gets 403, another business 404', async () => {
    expect((await install('agent-shop.myshopify.com', agent.accessToken)).status).toBe(403);
    expect((await status(owner.tenantId, agent.accessToken)).status).toBe(403);
    expect((await api.call('DELETE', shopifyPath(), { token: agent.accessToken })).status).toBe(403);
    expect((await install('stranger.myshopify.com', stranger.accessToken)).status).toBe(404);
    expect((await status(owner.tenantId, stranger.accessToken)).status).toBe(404);
    expect((await api.call('DELETE', shopifyPath(), { token: stranger.accessToken })).status).toBe(404);
    expect((await status()).body.connected).toBe(true);
  });

  it('disconnects: syncing stops and the tokens go, the data and the directory entry stay', async () => {
    const mine = async () => (await aws.dumpTable()).filter((row) => row.tenantId === owner.tenantId);
    const before = await mine();
    const answer = await api.call<Connection>('DELETE', shopifyPath(), { token: owner.accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      connected: false,
      status: 'disconnected',
      shopDomain: 'demo-replay.myshopify.com',
    });
    const after = await mine();
    // Nothing of the business's was removed (one audit event added).
    const keysOf = (rows: Record<string, unknown>[]) => rows.map((row) => `${row.pk}|${row.sk}`);
    expect(keysOf(after)).toEqual(expect.arrayContaining(keysOf(before)));
    const item = after.find((row) => row.sk === 'shopify#demo-replay.myshopify.com');
    expect(item).toMatchObject({ status: 'disconnected' });
    expect(item).not.toHaveProperty('accessToken');
    expect(item).not.toHaveProperty('refreshToken');
    const core = createPlatform(readConfig(aws.env));
    const store = core.storeOf(SHOPIFY_CONNECTION_RECORDS);
    await expect(
      shopAccess({ store, keyring: core.keyring, settings: shopifyAppSettings(aws.env) }, owner.tenantId),
    ).rejects.toThrow(/no connected Shopify store/);
    expect(await businessOfShop(store, 'demo-replay.myshopify.com')).toBe(owner.tenantId);
    // Again: nothing changes.
    expect((await api.call('DELETE', shopifyPath(), { token: owner.accessToken })).status).toBe(200);
  });

  it('seeds the demo business connected to asistone-demo.myshopify.com, with a token the fake refreshes', async () => {
    const demoOwner = await logIn(api, 'owner@demo.asistone.local', 'demo-owner-password');
    const demo = await status('demo', demoOwner.accessToken);
    expect(demo.body).toMatchObject({ connected: true, shopDomain: 'asistone-demo.myshopify.com' });
    const core = createPlatform(readConfig(aws.env));
    const access = await shopAccess(
      { store: core.storeOf(SHOPIFY_CONNECTION_RECORDS), keyring: core.keyring, settings: shopifyAppSettings(aws.env) },
      'demo',
    );
    expect(access.shopDomain).toBe('asistone-demo.myshopify.com');
    // The seeded token was expired: the fake refreshed it, for this call or for the demo shop's
    // first backfill, which the stack queues at start (demo-shop.ts) and may have run first.
    expect(access.accessToken).not.toBe('shpat_asistone_demo_expired');
    expect((await fakeState()).refreshCalls).toBeGreaterThanOrEqual(1);
  });
});
