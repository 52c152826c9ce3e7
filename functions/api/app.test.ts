import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The API in-process on a cloud stage. Nothing here reaches storage: these answers come
 * before any read, which is the point.
 */
beforeAll(() => {
  vi.stubEnv('STAGE', 'prod');
  vi.stubEnv('TABLE_NAME', 'asistone-prod-records');
  vi.stubEnv('MEDIA_BUCKET', 'asistone-prod-media');
  vi.stubEnv('KEY_PROVIDER', 'kms');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('the API on a cloud stage', () => {
  it('has no dev outbox', async () => {
    const { api } = await import('./app.js');
    const answer = await api.request('/api/dev/outbox');
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: 'not_found', message: 'No such API route' });
  });

  it('refuses business routes without a token before reading anything', async () => {
    const { api } = await import('./app.js');
    const answer = await api.request('/api/businesses/b1/members');
    expect(answer.status).toBe(401);
    expect((await answer.json()).error).toBe('unauthenticated');
  });
});
