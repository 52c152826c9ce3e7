import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MetaDelivery, metaDeliveryText } from '../src/channels/meta/envelope.js';
import { MAX_META_BODY_BYTES, metaReceiver } from '../src/channels/meta/receive.js';
import type { WebhookRequest } from '../src/platform/webhook.js';

/** The platform app's deployment secrets: one app for every business. */
const secrets = {
  appSecret: 'platform-app-secret-0123',
  instagramAppSecret: 'instagram-app-secret-0123',
  verifyToken: 'platform-verify-token',
};
const sample = readFileSync(join(import.meta.dirname, '../../../events/meta/whatsapp-text.json'));
const sign = (body: Buffer, secret = secrets.appSecret) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function setup(appSecrets: typeof secrets | Omit<typeof secrets, 'instagramAppSecret'> = secrets) {
  const queued: MetaDelivery[] = [];
  let reads = 0;
  const receive = metaReceiver({
    secrets: async () => {
      reads++;
      return appSecrets;
    },
    enqueue: async (delivery) => {
      queued.push(delivery);
    },
    now: () => 1_764_374_401_000,
  });
  return { queued, receive, reads: () => reads };
}

const post = (body: Buffer, headers: Record<string, string> = {}, path = ''): WebhookRequest => ({
  method: 'POST',
  path,
  query: new URLSearchParams(),
  headers,
  body,
});

describe('metaReceiver', () => {
  it('queues a correctly signed delivery with its bytes untouched, under no business', async () => {
    const { queued, receive } = setup();
    const { response, outcome } = await receive(post(sample, { 'x-hub-signature-256': sign(sample) }));
    expect(response.status).toBe(200);
    expect(outcome).toBe('queued');
    expect(queued).toEqual([
      { tenantId: 'meta', receivedAt: 1_764_374_401_000, bodyBase64: sample.toString('base64') },
    ]);
    expect(metaDeliveryText(queued[0] as MetaDelivery)).toContain('\\u015f');
  });

  it('carries raw characters above U+FFFF (a reaction emoji) as plain ASCII, byte for byte', async () => {
    const { queued, receive } = setup();
    const body = Buffer.from(
      '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"emoji":"😀👍🏽"}}]}]}',
    );
    expect((await receive(post(body, { 'x-hub-signature-256': sign(body) }))).response.status).toBe(200);
    const queuedText = JSON.stringify(queued[0]);
    // Nothing outside printable ASCII goes to SQS, whatever Meta sent.
    expect(queuedText).toMatch(/^[\x20-\x7e]*$/);
    expect(Buffer.from((queued[0] as MetaDelivery).bodyBase64, 'base64')).toEqual(body);
  });

  it('accepts deliveries signed with the Instagram app secret (Instagram Login)', async () => {
    const { queued, receive } = setup();
    const body = Buffer.from('{"object":"instagram","entry":[{"id":"17841400000000003","time":1,"messaging":[]}]}');
    const { response } = await receive(post(body, { 'x-hub-signature-256': sign(body, secrets.instagramAppSecret) }));
    expect(response.status).toBe(200);
    expect(queued).toHaveLength(1);
  });

  it.each([
    ['a missing signature', {}],
    ['a signature made with another secret', { 'x-hub-signature-256': sign(sample, 'other-secret-value') }],
    ['a legacy sha1 header only', { 'x-hub-signature': 'sha1=0000' }],
    ['the right signature without its prefix', { 'x-hub-signature-256': sign(sample).slice('sha256='.length) }],
  ])('answers 401 and queues nothing for %s', async (_, headers) => {
    const { queued, receive } = setup();
    const { response } = await receive(post(sample, headers));
    expect(response).toMatchObject({ status: 401, body: 'invalid signature' });
    expect(queued).toHaveLength(0);
  });

  it('refuses an Instagram app signature when no Instagram app secret is set', async () => {
    const { queued, receive } = setup({ appSecret: secrets.appSecret, verifyToken: secrets.verifyToken });
    const { response } = await receive(
      post(sample, { 'x-hub-signature-256': sign(sample, secrets.instagramAppSecret) }),
    );
    expect(response.status).toBe(401);
    expect(queued).toHaveLength(0);
  });

  it('answers only at the endpoint itself: a tenant in the URL is no longer a route', async () => {
    const { queued, receive, reads } = setup();
    for (const path of ['/demo', '/t_shop', '/../etc', '/demo/']) {
      const { response } = await receive(post(sample, { 'x-hub-signature-256': sign(sample) }, path));
      expect(response.status, path).toBe(404);
    }
    expect(reads()).toBe(0);
    expect(queued).toHaveLength(0);
    expect((await receive(post(sample, { 'x-hub-signature-256': sign(sample) }, '/'))).response.status).toBe(200);
  });

  it('refuses oversized and malformed bodies without queueing them', async () => {
    const { queued, receive } = setup();
    const huge = Buffer.alloc(MAX_META_BODY_BYTES + 1, 32);
    expect((await receive(post(huge, { 'x-hub-signature-256': sign(huge) }))).response.status).toBe(413);
    const broken = Buffer.from('{"object": "whatsapp_business_account", ');
    expect((await receive(post(broken, { 'x-hub-signature-256': sign(broken) }))).response.status).toBe(400);
    expect(queued).toHaveLength(0);
  });

  it('acknowledges objects it does not subscribe to, so Meta stops retrying, and queues nothing', async () => {
    const { queued, receive } = setup();
    const other = Buffer.from('{"object":"user","entry":[]}');
    const { response, outcome } = await receive(post(other, { 'x-hub-signature-256': sign(other) }));
    expect(response.status).toBe(200);
    expect(outcome).toBe('ignored');
    expect(queued).toHaveLength(0);
  });

  it('answers the verification handshake with the challenge only for the app verify token', async () => {
    const { receive } = setup();
    const get = (query: string) =>
      receive({ ...post(Buffer.alloc(0)), method: 'GET', query: new URLSearchParams(query) });
    const ok = await get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=platform-verify-token');
    expect(ok.response).toMatchObject({ status: 200, body: '1158201444' });
    expect((await get('hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong')).response.status).toBe(403);
    expect(
      (await get('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=platform-verify-token')).response.status,
    ).toBe(403);
  });
});
