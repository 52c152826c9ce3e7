import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../../core/src/accounts/businesses.js';
import { createAccount } from '../../core/src/accounts/people.js';
import { connectInstagram } from '../../core/src/channels/connect/instagram.js';
import { refreshInstagramTokens } from '../../core/src/channels/connect/token-refresh.js';
import { graphClient } from '../../core/src/channels/meta/graph.js';
import type { DeliverMailMessage } from '../../core/src/notify/mail-messages.js';
import { openMail } from '../../core/src/notify/outbound.js';
import { createLogger } from '../../core/src/platform/log.js';
import { openChannelToken } from '../../core/src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from '../../core/tests/support/platform.js';
import { type FakeMeta, startFakeMeta } from '../src/fakes/meta.js';

/**
 * The Instagram token refresh schedule's work, run as of chosen days against the fake Meta
 * (which, like Meta, refuses to refresh a token younger than a day or already expired) and the
 * emulated table: due tokens are refreshed and their expiry moves; a lapsed one is marked
 * `expired` and its owner mailed once.
 */
const DAY = 86_400_000;
const APP = {
  appId: '100000000000900',
  appSecret: 'test-app-secret-0123456789',
  instagramAppId: '100000000000901',
  instagramAppSecret: 'test-instagram-secret-0123456789',
};

let test: TestPlatform;
let fake: FakeMeta;
const mails: DeliverMailMessage[] = [];
const log = createLogger('instagram-token-refresh-test');

beforeAll(async () => {
  test = await startTestPlatform();
  fake = await startFakeMeta({ ...APP, webhookUrl: () => 'http://127.0.0.1:9/unused' });
});
afterAll(async () => {
  await fake?.stop();
  await test?.stop();
});

function deps() {
  const graph = graphClient({
    baseUrl: fake.url,
    instagramBaseUrl: `${fake.url}/instagram-graph`,
    instagramApiUrl: `${fake.url}/instagram-api`,
  });
  return {
    store: test.platform.store,
    keyring: test.platform.keyring,
    log,
    graph,
    meta: { ...APP, graphVersion: 'v25.0' },
    mails: { enqueue: async (message: DeliverMailMessage) => void mails.push(message) },
    appUrl: 'http://localhost:3000',
  };
}

/** A business with an owner, and an Instagram account connected through the fake's login dialog. */
async function businessWithInstagram(label: string) {
  const tenantId = `b_refresh_${label}`;
  const userId = `u${label.padEnd(20, 'a')}`.slice(0, 21);
  await createAccount(test.platform, {
    userId,
    name: 'Selin',
    email: `selin.${label}@example.com`,
    passwordHash: 'x',
    language: 'en',
  });
  await createBusiness(test.platform, { tenantId, name: `${label} Butik`, ownerId: userId });
  const finished = (await (
    await fetch(`${fake.url}/dev/meta/dialog/instagram-login/finish`, { method: 'POST', body: '{}' })
  ).json()) as { code: string; instagramAccountId: string };
  const channel = await connectInstagram(deps(), { userId }, tenantId, {
    code: finished.code,
    redirectUri: 'http://localhost:3000/settings/channels',
  });
  return { tenantId, channel };
}

async function stored(tenantId: string, externalId: string) {
  const found = await test.platform.store.entities.channel.get({ tenantId, kind: 'instagram', externalId }).go();
  return found.data as NonNullable<typeof found.data>;
}

/** Ages the fake's record of a token, as if it had been issued `days` ago. */
function age(token: string, days: number) {
  const record = fake.state.tokens.get(token);
  if (!record) throw new Error('the fake did not issue this token');
  record.issuedAt -= days * 86_400;
}

describe('the Instagram token refresh', () => {
  it('refreshes a token that is due: a new token, sealed, and the expiry moves 60 days on', async () => {
    const { tenantId, channel } = await businessWithInstagram('fresh');
    const keys = await test.platform.keyring.forTenant(tenantId);
    const before = await stored(tenantId, channel.externalId);
    const oldToken = openChannelToken(keys, before) as string;
    age(oldToken, 52);
    const now = Date.now() + 52 * DAY;

    const report = await refreshInstagramTokens(deps(), now);

    expect(report.refreshed).toBeGreaterThanOrEqual(1);
    const after = await stored(tenantId, channel.externalId);
    expect(after.tokenExpiresAt).toBeGreaterThan((before.tokenExpiresAt ?? 0) + 50 * DAY);
    expect(after.tokenExpiresAt).toBe(now + 60 * DAY);
    expect(after.status).toBe('connected');
    const newToken = openChannelToken(keys, after);
    expect(newToken).toMatch(/^IGAA/);
    expect(newToken).not.toBe(oldToken);
    expect(after.accessToken).toMatch(/^v1\./);
  });

  it('leaves a token that is not due alone', async () => {
    const { tenantId, channel } = await businessWithInstagram('later');
    const before = await stored(tenantId, channel.externalId);
    await refreshInstagramTokens(deps(), Date.now() + 20 * DAY);
    expect((await stored(tenantId, channel.externalId)).tokenExpiresAt).toBe(before.tokenExpiresAt);
  });

  it('marks a lapsed token expired and mails the owner once for that expiry', async () => {
    const { tenantId, channel } = await businessWithInstagram('lapsed');
    const now = Date.now() + 61 * DAY;
    const sentBefore = mails.length;

    await refreshInstagramTokens(deps(), now);
    await refreshInstagramTokens(deps(), now + DAY);

    expect((await stored(tenantId, channel.externalId)).status).toBe('expired');
    const mine = mails.slice(sentBefore).filter((message) => message.tenantId === tenantId);
    expect(mine).toHaveLength(1);
    const mail = openMail(await test.platform.keyring.forTenant(tenantId), mine[0] as DeliverMailMessage);
    expect(mail.kind).toBe('channel-expiry');
    expect(mail.to).toBe('selin.lapsed@example.com');
    expect(mail.subject).toContain('has expired');
    expect(mail.text).toContain(`http://localhost:3000/b/${tenantId}/settings/channels`);
  });
});
