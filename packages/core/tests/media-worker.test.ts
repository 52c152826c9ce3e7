import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMeta, startFakeMeta } from '../../local/src/fakes/meta.js';
import { FAKE_META_DEMO } from '../../local/src/fakes/meta-state.js';
import { graphClient } from '../src/channels/meta/graph.js';
import { isMetaMediaHost } from '../src/channels/meta/graph-media.js';
import { fetchMedia, type MediaWorkerDeps } from '../src/channels/meta/media-fetch.js';
import type { MediaFetchRequest } from '../src/channels/meta/media-queue.js';
import { type InboundMessage, recordInbound } from '../src/inbox/inbound.js';
import { mediaView } from '../src/inbox/media.js';
import { LOCAL_MEDIA_PATH } from '../src/platform/blobs.js';
import { NotFoundError } from '../src/platform/errors.js';
import { createTenant, saveConnectedChannel } from '../src/tenancy/tenants.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The media worker against the fake Meta (its real HTTP shapes: `GET /{media-id}`, then the
 * download URL with the bearer token) and the emulated S3: what is copied, what is refused and
 * why, what is retried, and the short-lived link the app gets.
 */
const tenantId = 't_media';
const NUMBER = FAKE_META_DEMO.phoneNumberId;
const INSTAGRAM = FAKE_META_DEMO.instagramAccountId;
const quiet = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

let test: TestPlatform;
let meta: FakeMeta;
let deps: MediaWorkerDeps;

beforeAll(async () => {
  test = await startTestPlatform();
  meta = await startFakeMeta({
    appId: '100000000000888',
    appSecret: 'media-test-app-secret-0123',
    instagramAppSecret: 'media-test-instagram-secret-0123',
    webhookUrl: () => 'http://127.0.0.1:9/unused',
  });
  const platformDeps = { store: test.platform.store, keyring: test.platform.keyring };
  await createTenant(platformDeps, tenantId, 'Fotoğrafçı');
  await saveConnectedChannel(
    platformDeps,
    tenantId,
    { kind: 'whatsapp', externalId: NUMBER, label: 'WhatsApp', accountId: FAKE_META_DEMO.wabaId },
    { accessToken: FAKE_META_DEMO.whatsappToken },
  );
  await saveConnectedChannel(platformDeps, tenantId, { kind: 'instagram', externalId: INSTAGRAM, label: 'Instagram' });
  const fake = new URL(meta.url);
  deps = {
    store: test.platform.store,
    keyring: test.platform.keyring,
    blobs: test.platform.blobs,
    graph: graphClient({ baseUrl: meta.url, instagramBaseUrl: `${meta.url}/instagram-graph` }),
    allowHost: (hostname) => isMetaMediaHost(hostname) || hostname === fake.hostname,
    localHosts: [fake.host],
    log: quiet,
  };
});
afterAll(async () => {
  await meta?.stop();
  await test?.stop();
});

/** A real JPEG's first bytes, then noise: what the worker sniffs is what a browser would. */
const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const base64Sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

/** Media the fake holds, as a customer's message would have put it there. */
function customerMedia(bytes: Buffer, mimeType: string, businessId: string = NUMBER, needsToken = true) {
  const id = String(100000000 + Math.floor(Math.random() * 899999999));
  meta.state.media.set(id, { id, businessId, needsToken, bytes, mimeType, sha256: base64Sha(bytes) });
  return { id, url: `${meta.url}/media-download/${id}?signed=abc` };
}

let sequence = 0;
/** Stores a WhatsApp message with media and returns its fetch request, as the meta-events worker builds it. */
async function mediaMessage(type: string, media: { id: string; mimeType: string; sha256: string }) {
  const keys = await test.platform.keyring.forTenant(tenantId);
  const message: InboundMessage = {
    tenantId,
    channel: { kind: 'whatsapp', externalId: NUMBER },
    sender: { externalId: '905551230000', phone: '+905551230000' },
    providerMessageId: `wamid.MEDIA${++sequence}`,
    sentAt: 1_764_374_400_000 + sequence,
    receivedAt: 1_764_374_401_000,
    position: 0,
    type,
    details: { media },
  };
  const recorded = await recordInbound({ store: test.platform.store, keys }, message);
  const request: MediaFetchRequest = {
    tenantId,
    conversationId: recorded.conversationId,
    messageId: recorded.messageId,
    sentAt: message.sentAt,
    channel: message.channel,
    messageType: type,
    mediaId: media.id,
    mimeType: media.mimeType,
    sha256: media.sha256,
  };
  return request;
}

const record = async (messageId: string) =>
  (await test.platform.store.entities.media.get({ tenantId, messageId }).go()).data;
const view = async (request: MediaFetchRequest, conversationId = request.conversationId) =>
  mediaView(
    { store: test.platform.store, keys: await test.platform.keyring.forTenant(tenantId), blobs: test.platform.blobs },
    { tenantId, conversationId, messageId: request.messageId },
  );

describe('the media worker', () => {
  it('copies a WhatsApp image into the business’s prefix once, checked, and links it for five minutes', async () => {
    const bytes = jpeg(40_000);
    const media = customerMedia(bytes, 'image/jpeg');
    const request = await mediaMessage('image', { id: media.id, mimeType: 'image/jpeg', sha256: base64Sha(bytes) });
    expect(await view(request)).toEqual({ status: 'pending' });

    expect(await fetchMedia(deps, request)).toBe('stored');
    expect(await fetchMedia(deps, request)).toBe('already');
    const stored = await record(request.messageId);
    expect(stored).toMatchObject({
      status: 'stored',
      key: `media/${request.conversationId}/${request.messageId}`,
      mimeType: 'image/jpeg',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect((await test.platform.blobs.get(tenantId, stored?.key ?? ''))?.equals(bytes)).toBe(true);

    const shown = await view(request);
    expect(shown).toMatchObject({ status: 'stored', mimeType: 'image/jpeg' });
    if (shown.status !== 'stored') throw new Error('not stored');
    expect(shown.url).toContain(`tenants/${tenantId}/media/`);
    expect(shown.url).toMatch(/X-Amz-Expires=300/);
    // On the local stack the link is a path the gateway forwards to the S3 emulator.
    expect(shown.url.startsWith(`${LOCAL_MEDIA_PATH}/`)).toBe(true);
    const download = await fetch(new URL(shown.url.slice(LOCAL_MEDIA_PATH.length), test.env.AWS_ENDPOINT_URL_S3));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    // Another conversation's id does not reach it.
    await expect(view(request, 'cv_AAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(NotFoundError);
  });

  it('refuses a file whose checksum is not WhatsApp’s, and keeps the reason', async () => {
    const bytes = jpeg(2_000);
    const media = customerMedia(bytes, 'image/jpeg');
    const request = await mediaMessage('image', {
      id: media.id,
      mimeType: 'image/jpeg',
      sha256: base64Sha(jpeg(2_000)),
    });
    expect(await fetchMedia(deps, request)).toBe('failed');
    expect(await view(request)).toEqual({ status: 'failed', reason: 'checksum' });
  });

  it('refuses a sticker over 500 KB before downloading it, and an image that is not one', async () => {
    const big = Buffer.concat([Buffer.from('RIFF'), randomBytes(4), Buffer.from('WEBP'), randomBytes(600_000)]);
    const sticker = customerMedia(big, 'image/webp');
    const tooLarge = await mediaMessage('sticker', { id: sticker.id, mimeType: 'image/webp', sha256: base64Sha(big) });
    expect(await fetchMedia(deps, tooLarge)).toBe('failed');
    expect(await record(tooLarge.messageId)).toMatchObject({ status: 'failed', reason: 'too-large' });

    const page = Buffer.from('<html><script>alert(1)</script></html>');
    const fake = customerMedia(page, 'image/jpeg');
    const notAnImage = await mediaMessage('image', { id: fake.id, mimeType: 'image/jpeg', sha256: base64Sha(page) });
    expect(await fetchMedia(deps, notAnImage)).toBe('failed');
    expect(await record(notAnImage.messageId)).toMatchObject({ status: 'failed', reason: 'wrong-type' });

    const html = customerMedia(page, 'text/html');
    const document = await mediaMessage('document', { id: html.id, mimeType: 'text/html', sha256: base64Sha(page) });
    expect(await fetchMedia(deps, document)).toBe('failed');
    expect(await record(document.messageId)).toMatchObject({ status: 'failed', reason: 'wrong-type' });
  });

  it('leaves a rate-limited or failing Graph API to the queue’s retry, writing nothing', async () => {
    const bytes = jpeg(1_000);
    const media = customerMedia(bytes, 'image/jpeg');
    const request = await mediaMessage('image', { id: media.id, mimeType: 'image/jpeg', sha256: base64Sha(bytes) });
    meta.failNext({ status: 429, code: 4, message: 'Application request limit reached' });
    await expect(fetchMedia(deps, request)).rejects.toMatchObject({ kind: 'rate-limited' });
    meta.failNext({ status: 500, code: 2, message: 'Service temporarily unavailable' });
    await expect(fetchMedia(deps, request)).rejects.toMatchObject({ kind: 'server' });
    expect(await record(request.messageId)).toBeNull();
    expect(await fetchMedia(deps, request)).toBe('stored');
  });

  it('copies an Instagram attachment from its signed link, and fetches from no other host', async () => {
    const keys = await test.platform.keyring.forTenant(tenantId);
    const bytes = jpeg(3_000);
    const media = customerMedia(bytes, 'image/jpeg', INSTAGRAM, false);
    const request = (url: string, n: number): MediaFetchRequest => ({
      tenantId,
      conversationId: 'cv_instagramconversation00',
      messageId: `ms_instagramattachment0${n}`,
      sentAt: 1_764_374_400_000,
      channel: { kind: 'instagram', externalId: INSTAGRAM },
      messageType: 'image',
      sealedUrl: keys.seal('media', 'url', `ms_instagramattachment0${n}`, url),
    });
    expect(await fetchMedia(deps, request(media.url, 1))).toBe('stored');
    expect(await fetchMedia(deps, request('http://169.254.169.254/latest/meta-data/', 2))).toBe('failed');
    expect(await record('ms_instagramattachment02')).toMatchObject({ reason: 'host-not-allowed' });
    expect(await fetchMedia(deps, request('https://evil.example/photo.jpg', 3))).toBe('failed');
    expect(await record('ms_instagramattachment03')).toMatchObject({ reason: 'host-not-allowed' });
  });
});
