import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { frontDoor } from './lib/front-door.js';

/**
 * The API in-process on a cloud stage. Nothing here reaches storage: these answers come
 * before any read, which is the point.
 */
const ORIGIN_SECRET = 'front-door-secret-for-tests-0123456789';
const throughFrontDoor = { 'x-asistone-origin-secret': ORIGIN_SECRET };

beforeAll(() => {
  vi.stubEnv('STAGE', 'prod');
  vi.stubEnv('TABLE_NAME', 'asistone-prod-records');
  vi.stubEnv('MEDIA_BUCKET', 'asistone-prod-media');
  vi.stubEnv('KEY_PROVIDER', 'kms');
  vi.stubEnv('ORIGIN_SECRET', ORIGIN_SECRET);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the API on a cloud stage', () => {
  it('has no dev outbox', async () => {
    const { api } = await import('./app.js');
    const answer = await api.request('/api/dev/outbox', { headers: throughFrontDoor });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'not_found', message: 'No such API route' });
  });

  it('refuses business routes without a token before reading anything', async () => {
    const { api } = await import('./app.js');
    const answer = await api.request('/api/businesses/b1/members', { headers: throughFrontDoor });
    expect(answer.status).toBe(401);
    expect((await answer.json()).error).toBe('unauthenticated');
  });

  it('refuses a request that bypassed CloudFront, even one claiming a viewer address', async () => {
    const { api } = await import('./app.js');
    const attempts: Record<string, string>[] = [
      { 'x-asistone-viewer-address': '203.0.113.9' },
      { 'x-asistone-origin-secret': 'guessed', 'x-asistone-viewer-address': '203.0.113.9' },
      { 'x-asistone-origin-secret': `${ORIGIN_SECRET}x` },
    ];
    for (const headers of attempts) {
      const answer = await api.request('/api/auth/login', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(12) }),
      });
      expect(answer.status).toBe(403);
      expect(await answer.json()).toEqual({ error: 'forbidden', message: 'Use the Asistone web app address' });
    }
  });
});

describe('frontDoor', () => {
  function guarded(source: () => Promise<string[]>) {
    let reached = 0;
    const app = new Hono().use('*', frontDoor(source));
    app.all('*', (c) => {
      reached++;
      return c.text('done');
    });
    return { app, reached: () => reached };
  }

  it('lets the front door through and refuses everyone else before the route runs', async () => {
    const door = guarded(async () => ['current-secret']);
    expect((await door.app.request('/x')).status).toBe(403);
    expect((await door.app.request('/x', { headers: { 'x-asistone-origin-secret': 'wrong' } })).status).toBe(403);
    expect(door.reached()).toBe(0);
    expect((await door.app.request('/x', { headers: { 'x-asistone-origin-secret': 'current-secret' } })).status).toBe(
      200,
    );
    expect(door.reached()).toBe(1);
  });

  it('accepts the previous secret during a rotation', async () => {
    const door = guarded(async () => ['new-secret', 'old-secret']);
    for (const secret of ['new-secret', 'old-secret']) {
      expect((await door.app.request('/x', { headers: { 'x-asistone-origin-secret': secret } })).status).toBe(200);
    }
  });

  it('fails closed when no secret is configured', async () => {
    const door = guarded(async () => []);
    expect((await door.app.request('/x', { headers: { 'x-asistone-origin-secret': '' } })).status).toBe(403);
    expect(door.reached()).toBe(0);
  });

  it('reads the secrets once, not once per request, and again at most once a minute on a mismatch', async () => {
    let reads = 0;
    const door = guarded(async () => {
      reads++;
      return ['s'];
    });
    for (let i = 0; i < 5; i++) await door.app.request('/x', { headers: { 'x-asistone-origin-secret': 'bad' } });
    for (let i = 0; i < 5; i++) await door.app.request('/x', { headers: { 'x-asistone-origin-secret': 's' } });
    expect(reads).toBe(1);
  });
});
