import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { META_DELIVERY_TENANT, metaDelivery } from '../src/channels/meta/envelope.js';
import { META_EVENTS_QUEUE } from '../src/channels/meta/queue.js';
import { ValidationError } from '../src/platform/errors.js';
import { MAX_MESSAGE_BYTES } from '../src/platform/queue/declarations.js';
import { createProducer, type QueueSink } from '../src/platform/queue/producer.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let test: TestPlatform;
beforeAll(async () => {
  test = await startTestPlatform();
});
afterAll(() => test.stop());

describe('blobs', () => {
  it('keeps every object under its tenant’s prefix', async () => {
    const { blobs } = test.platform;
    await blobs.put('t_a', 'media/photo.jpg', Buffer.from([1, 2, 3]), 'image/jpeg');
    expect(await blobs.get('t_a', 'media/photo.jpg')).toEqual(Buffer.from([1, 2, 3]));
    expect(await blobs.get('t_b', 'media/photo.jpg')).toBeUndefined();
    const keys: string[] = [];
    for await (const key of blobs.list('t_a')) keys.push(key);
    expect(keys).toEqual(['media/photo.jpg']);
    await blobs.delete('t_a', 'media/photo.jpg');
    expect(await blobs.get('t_a', 'media/photo.jpg')).toBeUndefined();
  });

  it('refuses keys that could escape the prefix', async () => {
    const { blobs } = test.platform;
    await expect(blobs.put('t_a', '../t_b/x', 'x', 'text/plain')).rejects.toThrow(ValidationError);
    await expect(blobs.put('../t_b', 'x', 'x', 'text/plain')).rejects.toThrow(ValidationError);
  });

  it('signs time-limited links for one object of one tenant', async () => {
    const link = await test.platform.blobs.presignGet('t_a', 'media/photo.jpg', 60);
    // Locally a path on the app's origin, which the gateway forwards to the S3 emulator.
    expect(link.startsWith('/local-media/')).toBe(true);
    const url = new URL(link, 'http://localhost');
    expect(url.pathname).toContain('/tenants/t_a/media/photo.jpg');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('offloads a queue message too large for SQS to the tenant’s storage (claim check)', async () => {
    const sent: string[] = [];
    const sink: QueueSink = { send: async (_q, body) => void sent.push(body), sendBatch: async () => ({ failed: [] }) };
    const body = Buffer.from(`{"object":"whatsapp_business_account","pad":"${'x'.repeat(MAX_MESSAGE_BYTES)}"}`);
    await createProducer(sink, test.platform.blobs).send(META_EVENTS_QUEUE, metaDelivery(body, 1));
    const pointer = JSON.parse(sent[0] as string);
    expect(pointer.tenantId).toBe(META_DELIVERY_TENANT);
    const stored = await test.platform.blobs.get(META_DELIVERY_TENANT, pointer.$claimCheck);
    expect(Buffer.from(JSON.parse(stored?.toString('utf8') ?? '{}').bodyBase64, 'base64')).toEqual(body);
  });
});
