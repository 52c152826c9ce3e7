import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { SHOPIFY_CONNECTION_RECORDS } from '../../packages/core/src/shopify/connection-records.js';
import { shopifyAppSettings } from '../../packages/core/src/shopify/settings.js';
import { businessOfShop, shopAccess } from '../../packages/core/src/shopify/tokens.js';
import { localAws } from '../support/local-aws.js';
import { type RunningStack, runSchedule, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, newMember, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * The two ways of getting a Shopify token without a merchant at the keyboard, against a real
 * `npm start` and its fake Shopify: a merchant's own custom app connected with its client
 * credentials (24-hour tokens), and background work's application-only tokens (the local stack
 * makes an app key pair at start; the fake holds the public key, as the Dev Dashboard does).
 */
let stack: RunningStack;
let api: ApiClient;
let aws: ReturnType<typeof localAws>;
let owner: SignedInPerson & { tenantId: string };
let agent: SignedInPerson;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  aws = localAws(stack.dataDir);
  owner = await newOwner(api, 'Kendi');
  agent = await newMember(api, owner, 'agent', 'Temsilci');
});
afterAll(async () => {
  await stack?.stop();
});

interface Connection {
  connected: boolean;
  shopDomain: string | null;
  status: string | null;
  kind: string | null;
  scopes: string[];
}
interface FakeState {
  refreshCalls: number;
  appTokenGrants: number;
  clientCredentialsGrants: number;
  callsByTokenKind: Record<string, number>;
}

const SHOP = 'kendi-dukkan.myshopify.com';
const shopifyPath = (tenantId = owner.tenantId) => `/businesses/${tenantId}/shopify`;
const fakeState = async () => (await (await fetch(`${stack.url}/dev/shopify/state`)).json()) as FakeState;

/** The merchant makes a custom app in the Dev Dashboard and installs it on their store. */
async function makeCustomApp(shop: string, scope?: string) {
  const answer = await fetch(`${stack.url}/dev/shopify/custom-apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shop, ...(scope && { scope }) }),
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { client_id: string; client_secret: string };
}

const connectCustomApp = (body: Record<string, string>, token = owner.accessToken) =>
  api.call<Connection & { error?: string; message?: string }>('POST', `${shopifyPath()}/custom-app`, { token, body });

const connectionRows = async () =>
  (await aws.dumpTable()).filter(
    (row) =>
      (row.pk === `t#${owner.tenantId}` && String(row.sk).startsWith('shopify#')) || row.tenantId === owner.tenantId,
  );

const core = () => createPlatform(readConfig(aws.env));

describe('a store connected with its own custom app', () => {
  it('refuses a wrong secret, another store, or missing scopes with a 400, storing nothing', async () => {
    const app = await makeCustomApp(SHOP);
    const elsewhere = await makeCustomApp('baska-dukkan.myshopify.com');
    const narrow = await makeCustomApp(SHOP, 'read_orders');
    const before = await connectionRows();
    const attempts = [
      { shop: SHOP, clientId: app.client_id, clientSecret: `${app.client_secret}x` },
      { shop: SHOP, clientId: 'unknown-client', clientSecret: app.client_secret },
      { shop: SHOP, clientId: elsewhere.client_id, clientSecret: elsewhere.client_secret },
      { shop: SHOP, clientId: narrow.client_id, clientSecret: narrow.client_secret },
      { shop: 'evil.com', clientId: app.client_id, clientSecret: app.client_secret },
      { shop: SHOP, clientId: app.client_id, clientSecret: '' },
    ];
    for (const body of attempts) {
      const answer = await connectCustomApp(body);
      expect(answer.status, JSON.stringify(body.clientId)).toBe(400);
      expect(JSON.stringify(answer.body)).not.toContain(app.client_secret);
    }
    const missing = await connectCustomApp(attempts[3] as Record<string, string>);
    expect(JSON.stringify(missing.body)).toMatch(/read_customers/);
    expect((await api.call<Connection>('GET', shopifyPath(), { token: owner.accessToken })).body.connected).toBe(false);
    // Nothing of the business's was written (no connection, no audit event) and the store routes to no one.
    expect((await connectionRows()).length).toBe(before.length);
    expect(await businessOfShop(core().storeOf(SHOPIFY_CONNECTION_RECORDS), SHOP)).toBeUndefined();
  });

  it('lets only those who manage integrations connect one (an agent gets 403)', async () => {
    const app = await makeCustomApp(SHOP);
    const answer = await connectCustomApp(
      { shop: SHOP, clientId: app.client_id, clientSecret: app.client_secret },
      agent.accessToken,
    );
    expect(answer.status).toBe(403);
  });

  it('connects with the right credentials, keeps the secret and the token sealed, and re-fetches the 24-hour token once when it runs out', async () => {
    const app = await makeCustomApp(SHOP);
    const before = await fakeState();
    const answer = await connectCustomApp({ shop: SHOP, clientId: app.client_id, clientSecret: app.client_secret });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ connected: true, shopDomain: SHOP, kind: 'custom', status: 'connected' });
    expect(answer.body.scopes).toEqual(expect.arrayContaining(['read_orders', 'write_inventory']));
    expect(JSON.stringify(answer.body)).not.toContain(app.client_secret);
    expect((await fakeState()).clientCredentialsGrants).toBe(before.clientCredentialsGrants + 1);

    const raw = await aws.dumpTable();
    const item = raw.find((row) => row.pk === `t#${owner.tenantId}` && row.sk === `shopify#${SHOP}`);
    expect(item).toMatchObject({ kind: 'custom', customClientId: app.client_id, status: 'connected' });
    expect(item?.customClientSecret).toEqual(expect.any(String));
    expect(JSON.stringify(raw)).not.toContain(app.client_secret);
    expect(String(item?.accessToken)).not.toMatch(/^shpat_/);

    const platform = core();
    const deps = {
      store: platform.storeOf(SHOPIFY_CONNECTION_RECORDS),
      keyring: platform.keyring,
      settings: shopifyAppSettings(aws.env),
      waitMs: 20,
    };
    expect(await businessOfShop(deps.store, SHOP)).toBe(owner.tenantId);
    const current = await shopAccess(deps, owner.tenantId);
    expect(current.accessToken).toMatch(/^shpat_/);
    expect(JSON.stringify(raw)).not.toContain(current.accessToken);
    expect((await fakeState()).clientCredentialsGrants).toBe(before.clientCredentialsGrants + 1);

    // 23 h 56 min later, under 5 minutes are left: five callers at once, one grant, one new token.
    const later = { ...deps, now: () => Date.now() + (24 * 60 - 4) * 60_000 };
    const answers = await Promise.all(Array.from({ length: 5 }, () => shopAccess(later, owner.tenantId)));
    expect(new Set(answers.map((a) => a.accessToken)).size).toBe(1);
    expect(answers[0]?.accessToken).not.toBe(current.accessToken);
    expect((await fakeState()).clientCredentialsGrants).toBe(before.clientCredentialsGrants + 2);
    expect((await fakeState()).refreshCalls).toBe(before.refreshCalls);
  });

  it('disconnecting drops the secret and the tokens', async () => {
    const answer = await api.call<Connection>('DELETE', shopifyPath(), { token: owner.accessToken });
    expect(answer.body).toMatchObject({ connected: false, status: 'disconnected', kind: 'custom' });
    const item = (await aws.dumpTable()).find(
      (row) => row.pk === `t#${owner.tenantId}` && row.sk === `shopify#${SHOP}`,
    );
    expect(item).not.toHaveProperty('customClientSecret');
    expect(item).not.toHaveProperty('accessToken');
  });
});

describe("background work with the app's private key", () => {
  it('the reconcile calls Shopify with application-only tokens, not the merchant token', async () => {
    const before = await fakeState();
    await runSchedule(stack, 'shopify-reconcile', new Date().toISOString());
    const after = await fakeState();
    // The demo business's shop (seeded connected) was reconciled with an app-only token (asked
    // for once, by whichever background job came first, and reused from the connection since)...
    expect(after.appTokenGrants).toBeGreaterThanOrEqual(1);
    expect(after.appTokenGrants).toBe(before.appTokenGrants || 1);
    expect(after.callsByTokenKind.app ?? 0).toBeGreaterThan(before.callsByTokenKind.app ?? 0);
    // ...and the merchant's offline token was neither used nor refreshed for it.
    expect(after.callsByTokenKind.offline ?? 0).toBe(before.callsByTokenKind.offline ?? 0);
    expect(after.refreshCalls).toBe(before.refreshCalls);
    // The key never shows in the stack's output.
    expect(stack.output()).not.toContain('PRIVATE KEY');
  });
});
