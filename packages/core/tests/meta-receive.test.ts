import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetaDelivery } from '../src/channels/meta/envelope.js';
import { MAX_META_BODY_BYTES, metaReceiver } from '../src/channels/meta/receive.js';
import type { WebhookRequest } from '../src/platform/webhook.js';

const secrets = { appSecret: 'tenant-app-secret', verifyToken: 'tenant-verify-token' };
const sample = readFileSync(join(import.meta.dirname, '../../../events/meta/whatsapp-text.json'));
const sign = (body: Buffer, secret = secrets.appSecret) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function setup() {
  const queued: MetaDelivery[] = [];
  const receive = metaReceiver({
    secretsFor: async (tenantId) => (tenantId === 't_shop' ? secrets : undefined),
    enqueue: async (delivery) => {
      queued.push(delivery);
    },
    now: () => 1_764_374_401_000,
  });
  return { queued, receive };
}

const post = (body: Buffer, headers: Record<string, string> = {}, path = '/t_shop'): WebhookRequest => ({
  method: 'POST',
  path,
  query: new URLSearchParams(),
  headers,
  body,
});

describe('metaReceiver', () => {
  it('queues a correctly signed delivery with its bytes untouched, escaped unicode included', async () => {
    const { queued, receive } = setup();
    const { response, outcome } = await receive(post(sample, { 'x-hub-signature-256': sign(sample) }));
    expect(response.status).toBe(200);
    expect(outcome).toBe('queued');
    expect(queued).toEqual([{ tenantId: 't_shop', receivedAt: 1_764_374_401_000, body: sample.toString('utf8') }]);
    expect(queued[0]?.body).toContain('\\u015f');
  });

  it.each([
    ['a missing signature', {}],
    ['a signature made with another secret', { 'x-hub-signature-256': sign(sample, 'other') }],
    ['a legacy sha1 header only', { 'x-hub-signature': 'sha1=0000' }],
  ])('answers 401 and queues nothing for %s', async (_, headers) => {
    const { queued, receive } = setup();
    const { response } = await receive(post(sample, headers));
    expect(response.status).toBe(401);
    expect(queued).toHaveLength(0);
  });

  it('answers an unknown tenant exactly like a bad signature', async () => {
    const { queued, receive } = setup();
    const { response } = await receive(post(sample, { 'x-hub-signature-256': sign(sample) }, '/t_other'));
    expect(response).toMatchObject({ status: 401, body: 'invalid signature' });
    expect(queued).toHaveLength(0);
  });

  it('refuses oversized and malformed bodies without queueing them', async () => {
    const { queued, receive } = setup();
    const huge = Buffer.alloc(MAX_META_BODY_BYTES + 1, 32);
    expect((await receive(post(huge, { 'x-hub-signature-256': sign(huge) }))).response.status).toBe(413);
    const broken = Buffer.from('{"object": "whatsapp_business_account", ');
    expect((await receive(post(broken, { 'x-hub-signature-256': sign(broken) }))).response.status).toBe(400);
    expect((await receive(post(sample, { 'x-hub-signature-256': sign(sample) }, '/../etc'))).response.status).toBe(404);
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

  it('answers the verification handshake with the challenge only for the right token', async () => {
    const { receive } = setup();
    const get = (query: string) =>
      receive({ ...post(Buffer.alloc(0)), method: 'GET', query: new URLSearchParams(query) });
    const ok = await get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=tenant-verify-token');
    expect(ok.response).toMatchObject({ status: 200, body: '1158201444' });
    expect((await get('hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong')).response.status).toBe(403);
    expect(
      (await get('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=tenant-verify-token')).response.status,
    ).toBe(403);
  });
});
