import { newId, newSecret } from '@asistone/core/accounts/secrets';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { jsonBodiesOnly, noStoreByDefault, sameOrigin } from './lib/boundary.js';
import { assertWellDeclared } from './lib/mount.js';
import { checkParameter, PATH_PARAMETERS, parameterNames } from './lib/params.js';
import { defineRoute } from './lib/route.js';
import { routes } from './registry.js';

/** The checks every API request passes before a route runs, each on its own. */

describe('path parameter shapes', () => {
  it('accept every id the product makes, and the seeded demo business', () => {
    for (let i = 0; i < 50; i++) {
      const tenantId = newId('b');
      const inviteId = newId('i');
      expect(() => checkParameter('tenantId', tenantId)).not.toThrow();
      expect(() => checkParameter('userId', newId('u'))).not.toThrow();
      expect(() => checkParameter('sessionId', newId('s'))).not.toThrow();
      expect(() => checkParameter('inviteId', inviteId)).not.toThrow();
      expect(() => checkParameter('token', `${tenantId}.${inviteId}.${newSecret()}`)).not.toThrow();
    }
    expect(() => checkParameter('tenantId', 'demo')).not.toThrow();
  });

  it.each([
    ['tenantId', 'a'.repeat(2048), 'No such business'],
    ['tenantId', 'b/../x', 'No such business'],
    ['userId', `u${'a'.repeat(2048)}`, 'No such member'],
    ['userId', 'does-not-exist', 'No such member'],
    ['sessionId', `s${'a'.repeat(20)}\n`, 'No such session'],
    ['inviteId', newId('u'), 'No such invitation'],
    ['token', 'a'.repeat(3000), 'This link is invalid or has expired'],
    ['token', `${'a'.repeat(3000)}.${newId('i')}.${newSecret()}`, 'This link is invalid or has expired'],
  ])('refuse a malformed %s as not found', (name, value, message) => {
    expect(() => checkParameter(name, value)).toThrow(message);
  });

  it('cover every parameter of every route, and a new one must be declared', () => {
    for (const route of routes) {
      for (const name of parameterNames(route.path)) expect(Object.keys(PATH_PARAMETERS)).toContain(name);
    }
    const undeclared = defineRoute({
      method: 'get',
      path: '/things/:thingId',
      access: 'public',
      summary: 'test',
      answers: {},
      handle: ({ c }) => c.body(null),
    });
    expect(() => assertWellDeclared([undeclared])).toThrow(/:thingId/);
  });
});

function app() {
  const reached: string[] = [];
  const api = new Hono();
  api.use(
    '*',
    sameOrigin(async () => 'https://app.asistone.test/'),
  );
  api.use('*', jsonBodiesOnly());
  api.use('*', noStoreByDefault());
  api.post('/x', async (c) => {
    reached.push(await c.req.text());
    return c.json({ ok: true });
  });
  api.get('/cached', (c) => {
    c.header('cache-control', 'public, max-age=60');
    return c.json({});
  });
  return { api, reached };
}

describe('sameOrigin', () => {
  it("lets the app's own pages and non-browser callers through", async () => {
    const { api, reached } = app();
    expect((await api.request('/x', { method: 'POST' })).status).toBe(200);
    const own = { origin: 'https://app.asistone.test' };
    expect((await api.request('/x', { method: 'POST', headers: own })).status).toBe(200);
    expect(reached).toHaveLength(2);
  });

  it.each(['https://evil.example', 'null', 'https://app.asistone.test.evil.example', 'http://app.asistone.test'])(
    'refuses Origin %s with 403 before the route',
    async (origin) => {
      const { api, reached } = app();
      const answer = await api.request('/x', { method: 'POST', headers: { origin } });
      expect(answer.status).toBe(403);
      expect(await answer.json()).toMatchObject({ error: 'forbidden' });
      expect(reached).toHaveLength(0);
    },
  );
});

describe('jsonBodiesOnly', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])(
    'takes a %s body',
    async (type) => {
      const { api, reached } = app();
      const answer = await api.request('/x', { method: 'POST', headers: { 'content-type': type }, body: '{"a":1}' });
      expect(answer.status).toBe(200);
      expect(reached).toEqual(['{"a":1}']);
    },
  );

  it.each([
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'application/json-patch+json',
  ])('refuses a %s body with 415 before the route', async (type) => {
    const { api, reached } = app();
    const answer = await api.request('/x', { method: 'POST', headers: { 'content-type': type }, body: '{"a":1}' });
    expect(answer.status).toBe(415);
    expect(await answer.json()).toEqual({
      error: 'unsupported_media_type',
      message: 'Send the body as application/json',
    });
    expect(reached).toHaveLength(0);
  });

  it('refuses a body without a content type, and lets an empty one through', async () => {
    const { api, reached } = app();
    const untyped = new Request('http://local/x', { method: 'POST', body: new Uint8Array([123, 125]) });
    expect((await api.request(untyped)).status).toBe(415);
    const empty = await api.request('/x', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' });
    expect(empty.status).toBe(200);
    expect(reached).toEqual(['']);
  });
});

describe('noStoreByDefault', () => {
  it('marks answers no-store unless the route chose its own caching', async () => {
    const { api } = app();
    const answer = await api.request('/x', { method: 'POST' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect((await api.request('/cached')).headers.get('cache-control')).toBe('public, max-age=60');
  });
});
