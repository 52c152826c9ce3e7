import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_RECORDS } from '../../packages/core/src/inbox/records.js';
import { messageIdOf } from '../../packages/core/src/inbox/statuses.js';
import { readConfig } from '../../packages/core/src/platform/config.js';
import { createPlatform } from '../../packages/core/src/platform/context.js';
import { TENANCY_RECORDS } from '../../packages/core/src/tenancy/records.js';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newOwner, type SignedInPerson } from './accounts-client.js';

/**
 * A customer's photo, end to end on `npm start`: the fake Meta delivers the message (signed
 * webhook), the meta-events worker stores it and asks for its media, the media worker fetches
 * it from the fake's Graph API and stores it under the business's prefix, and the app gets a
 * five-minute link to exactly those bytes. WhatsApp (media id and token) and Instagram (signed
 * attachment link) both.
 */
const DEMO = { tenantId: 'demo', number: '100000000000001', instagram: '17841400000000003' };

let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson;
let core: ReturnType<typeof createPlatform>;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
  core = createPlatform(readConfig(localAws(stack.dataDir).env));
  owner = await logIn(api, 'owner@demo.asistone.local', 'demo-owner-password');
});
afterAll(async () => {
  await stack?.stop();
});

const photo = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(30_000)]);

/** The customer sends a photo through the fake Meta; resolves with where the inbox keeps it. */
async function customerSendsPhoto(channel: 'whatsapp' | 'instagram', businessId: string, bytes: Buffer) {
  const sent = await fetch(`${stack.url}/dev/meta/customer/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel,
      businessId,
      customer: { id: channel === 'whatsapp' ? '905551238888' : '17840000000008888', name: 'Foto Müşteri' },
      media: { kind: 'image', mimeType: 'image/jpeg', data: bytes.toString('base64') },
    }),
  });
  expect(sent.status).toBe(201);
  const { messageId: providerMessageId } = (await sent.json()) as { messageId: string };
  const keys = await core.keyring.forTenant(DEMO.tenantId);
  const messageId = messageIdOf(keys, channel, providerMessageId);
  const store = core.storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS });
  const message = await eventually(
    async () => (await store.entities.message.query.byMessageId({ tenantId: DEMO.tenantId, messageId }).go()).data[0],
  );
  return { messageId, conversationId: message.conversationId };
}

const mediaPath = (where: { conversationId: string; messageId: string }, tenantId = DEMO.tenantId) =>
  `/businesses/${tenantId}/conversations/${where.conversationId}/messages/${where.messageId}/media`;

async function storedLink(where: { conversationId: string; messageId: string }) {
  return eventually(async () => {
    const answer = await api.call<{ status: string; url?: string; mimeType?: string; expiresAt?: string }>(
      'GET',
      mediaPath(where),
      { token: owner.accessToken },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.status).not.toBe('failed');
    return answer.body.status === 'stored' ? answer.body : undefined;
  }, 30_000);
}

describe('customers’ media on the local stack', () => {
  it('copies a WhatsApp photo into the business’s storage and links exactly its bytes', async () => {
    const bytes = photo();
    const where = await customerSendsPhoto('whatsapp', DEMO.number, bytes);
    const shown = await storedLink(where);
    expect(shown.mimeType).toBe('image/jpeg');
    expect(Date.parse(shown.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(300_000);
    // A path on the app's own origin (the gateway forwards it to the S3 emulator), so the
    // content security policy lets the web app show it.
    expect(shown.url).toMatch(/^\/local-media\//);
    const download = await fetch(new URL(shown.url ?? '', stack.url));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('copies an Instagram attachment from its link the same way', async () => {
    const bytes = photo();
    const where = await customerSendsPhoto('instagram', DEMO.instagram, bytes);
    const shown = await storedLink(where);
    const download = await fetch(new URL(shown.url ?? '', stack.url));
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('shows another business’s media to nobody else, and answers 404 for a message that is not there', async () => {
    const bytes = photo();
    const where = await customerSendsPhoto('whatsapp', DEMO.number, bytes);
    const stranger = await newOwner(api, 'Yabanci');
    expect((await api.call('GET', mediaPath(where), { token: stranger.accessToken })).status).toBe(404);
    expect((await api.call('GET', mediaPath(where, stranger.tenantId), { token: stranger.accessToken })).status).toBe(
      404,
    );
    const missing = { ...where, messageId: 'ms_AAAAAAAAAAAAAAAAAAAAAAAA' };
    expect((await api.call('GET', mediaPath(missing), { token: owner.accessToken })).status).toBe(404);
    expect(
      (await api.call('GET', mediaPath({ ...where, messageId: 'nope' }), { token: owner.accessToken })).status,
    ).toBe(404);
  });
});
