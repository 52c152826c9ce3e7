import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWhatsApp } from '../../core/src/channels/connect/whatsapp.js';
import { graphClient } from '../../core/src/channels/meta/graph.js';
import { ValidationError } from '../../core/src/platform/errors.js';
import { createLogger } from '../../core/src/platform/log.js';
import { createTenant, openChannelPin } from '../../core/src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from '../../core/tests/support/platform.js';
import { type FakeMeta, startFakeMeta } from '../src/fakes/meta.js';

/**
 * Connecting WhatsApp where the HTTP tests cannot reach: a code past its 30 seconds (the fake
 * Meta's clock is moved, not waited for), a number shared with the WhatsApp Business app
 * (coexistence: never registered), and a token issued to another app.
 */
const APP = {
  appId: '100000000000900',
  appSecret: 'test-app-secret-0123456789',
  instagramAppId: '100000000000901',
  instagramAppSecret: 'test-instagram-secret-0123456789',
};
const TENANT = 'b_connect_whatsapp';

let test: TestPlatform;
let fake: FakeMeta;

beforeAll(async () => {
  test = await startTestPlatform();
  fake = await startFakeMeta({ ...APP, webhookUrl: () => 'http://127.0.0.1:9/unused' });
  await createTenant(test.platform, TENANT, 'Bağlantı Butik');
});
afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

function deps(meta: Partial<typeof APP> = {}) {
  return {
    store: test.platform.store,
    keyring: test.platform.keyring,
    log: createLogger('connect-whatsapp-test'),
    graph: graphClient({ baseUrl: fake.url, instagramBaseUrl: `${fake.url}/instagram-graph` }),
    meta: { ...APP, graphVersion: 'v25.0', ...meta },
  };
}

async function embeddedSignup() {
  const answer = await fetch(`${fake.url}/dev/meta/dialog/embedded-signup/finish`, { method: 'POST', body: '{}' });
  return (await answer.json()) as { code: string; wabaId: string; phoneNumberId: string };
}

const actor = { userId: 'uownerownerownerowner' };

async function storedChannel(phoneNumberId: string) {
  return (
    await test.platform.store.entities.channel
      .get({ tenantId: TENANT, kind: 'whatsapp', externalId: phoneNumberId })
      .go()
  ).data;
}

describe('connecting WhatsApp', () => {
  it('refuses a code past its 30 seconds with a 400-class error, and stores nothing', async () => {
    const signup = await embeddedSignup();
    const code = fake.state.codes.get(signup.code);
    if (!code) throw new Error('the fake did not keep the code');
    code.expiresAtMs = Date.now() - 1;

    await expect(connectWhatsApp(deps(), actor, TENANT, signup)).rejects.toBeInstanceOf(ValidationError);
    expect(await storedChannel(signup.phoneNumberId)).toBeNull();
    expect(fake.state.wabas.get(signup.wabaId)?.subscribed).not.toBe(true);
  });

  it("refuses a number that is not the chosen WABA's, even when the sign-in grants both, and stores nothing", async () => {
    // One sign-in that granted two WhatsApp Business Accounts of the same business.
    const first = await embeddedSignup();
    const second = await embeddedSignup();
    const code = fake.state.codes.get(second.code);
    if (!code) throw new Error('the fake did not keep the code');
    code.targets.push(first.wabaId, first.phoneNumberId);

    const mixed = { ...second, phoneNumberId: first.phoneNumberId };
    const refusal = await connectWhatsApp(deps(), actor, TENANT, mixed).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).message).toMatch(/not in the WhatsApp Business Account you chose/);
    expect(await storedChannel(first.phoneNumberId)).toBeNull();
    expect(fake.state.wabas.get(second.wabaId)?.subscribed).not.toBe(true);
    expect(fake.state.phoneNumbers.get(first.phoneNumberId)?.registered).not.toBe(true);
  });

  it('connects a coexistence number without registering it (it keeps its own PIN)', async () => {
    const signup = await embeddedSignup();
    const channel = await connectWhatsApp(deps(), actor, TENANT, { ...signup, coexistence: true });
    expect(channel.coexistence).toBe(true);
    expect(channel.pin).toBeUndefined();
    expect(fake.state.phoneNumbers.get(signup.phoneNumberId)?.pin).toBeUndefined();
    expect(fake.state.wabas.get(signup.wabaId)?.subscribed).toBe(true);
  });

  it('registers a Cloud API number with a six-digit PIN, kept sealed', async () => {
    const signup = await embeddedSignup();
    const channel = await connectWhatsApp(deps(), actor, TENANT, signup);
    const keys = await test.platform.keyring.forTenant(TENANT);
    const pin = openChannelPin(keys, channel);
    expect(pin).toMatch(/^\d{6}$/);
    expect(channel.pin).not.toContain(pin);
    expect(fake.state.phoneNumbers.get(signup.phoneNumberId)?.pin).toBe(pin);
  });

  it('refuses a token Meta issued to another app, and stores nothing', async () => {
    const signup = await embeddedSignup();
    // The code is exchanged under our app, but debug_token is then asked as if we were another.
    const otherApp = deps();
    const debug = otherApp.graph.debugToken;
    otherApp.graph = {
      ...otherApp.graph,
      debugToken: async (input) => ({ ...(await debug(input)), appId: '100000000000999' }),
    };
    await expect(connectWhatsApp(otherApp, actor, TENANT, signup)).rejects.toBeInstanceOf(ValidationError);
    expect(await storedChannel(signup.phoneNumberId)).toBeNull();
  });
});
