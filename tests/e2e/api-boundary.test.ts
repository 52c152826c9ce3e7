import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../packages/core/src/platform/security-headers.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { type ApiClient, apiClient, logIn, newOwner, PASSWORD, type SignedInPerson } from './accounts-client.js';

/**
 * The API's and the gateway's boundary on a real `npm start`, tried the way an attacker would:
 * another site's form posting to the API, ids of kilobytes, broken percent-encodings, cached
 * personal data, a token that never expires, and uploads far larger than any limit.
 */
let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Sinir');
});
afterAll(async () => {
  await stack?.stop();
});

const EVIL_ORIGIN = 'https://evil.example';
const setsRefreshCookie = (response: Response) =>
  response.headers.getSetCookie().some((line) => line.startsWith('asistone_refresh='));

describe('login CSRF', () => {
  it('refuses the text/plain body another site’s form would send, and sets no cookie', async () => {
    // What `<form enctype="text/plain">` posts: a JSON-looking body the API once parsed anyway.
    const body = JSON.stringify({ email: owner.email, password: PASSWORD });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(answer.status, type).toBe(415);
      expect(await answer.json()).toMatchObject({ error: 'unsupported_media_type' });
      expect(setsRefreshCookie(answer)).toBe(false);
    }
    // A body with no content type at all is refused the same way.
    const untyped = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      body: new Blob([body]),
    });
    expect(untyped.status).toBe(415);
    expect(setsRefreshCookie(untyped)).toBe(false);
  });

  it('refuses a sign-in posted from another site, whatever its content type', async () => {
    for (const type of ['text/plain', 'application/json']) {
      const answer = await fetch(`${stack.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': type, origin: EVIL_ORIGIN },
        body: JSON.stringify({ email: owner.email, password: PASSWORD }),
      });
      expect(answer.status, type).toBe(403);
      expect(await answer.json()).toMatchObject({ error: 'forbidden' });
      expect(setsRefreshCookie(answer)).toBe(false);
    }
  });

  it('still signs in from the app’s own origin', async () => {
    const answer = await api.call('POST', '/auth/login', {
      body: { email: owner.email, password: PASSWORD },
      headers: { origin: stack.url },
    });
    expect(answer.status).toBe(200);
    expect(answer.refreshCookie).toBeTruthy();
  });

  it('refuses a cross-origin refresh and logout, and the session lives on', async () => {
    const person = await logIn(api, owner.email);
    const refresh = await api.call('POST', '/auth/refresh', {
      refreshCookie: person.refreshCookie,
      headers: { origin: EVIL_ORIGIN },
    });
    expect(refresh.status).toBe(403);
    expect(refresh.refreshCookie).toBeUndefined();
    const logout = await api.call('POST', '/auth/logout', {
      refreshCookie: person.refreshCookie,
      headers: { origin: 'null' },
    });
    expect(logout.status).toBe(403);
    // The refused calls neither rotated nor ended the session: the same cookie still works.
    const own = await api.call('POST', '/auth/refresh', {
      refreshCookie: person.refreshCookie,
      headers: { origin: stack.url },
    });
    expect(own.status).toBe(200);
  });
});

describe('ids by shape, before any storage call', () => {
  const long = (length: number) => 'a'.repeat(length);

  it('answers kilobyte ids with 400 or 404, never 500', async () => {
    const cases: [string, string, string | undefined][] = [
      ['GET', `/invites/${long(3000)}`, undefined],
      ['POST', `/invites/${long(3000)}/accept`, undefined],
      ['GET', `/invites/${long(3000)}.i${long(20)}.${long(43)}`, undefined],
      ['GET', `/invites/demo.i${long(3000)}.${long(43)}`, undefined],
      ['GET', `/businesses/${long(2048)}/members`, owner.accessToken],
      ['GET', `/businesses/${long(2048)}/audit`, owner.accessToken],
      ['PATCH', `/businesses/${owner.tenantId}/members/u${long(2048)}`, owner.accessToken],
      ['DELETE', `/businesses/${owner.tenantId}/members/u${long(2048)}`, owner.accessToken],
      ['DELETE', `/businesses/${owner.tenantId}/invites/i${long(2048)}`, owner.accessToken],
      ['DELETE', `/auth/sessions/s${long(2048)}`, owner.accessToken],
    ];
    for (const [method, path, token] of cases) {
      const answer = await api.call(method, path, { token, body: method === 'PATCH' ? { role: 'agent' } : undefined });
      expect([400, 404], `${method} ${path.slice(0, 40)}…: ${JSON.stringify(answer.body)}`).toContain(answer.status);
    }
  });

  it('answers broken percent-encodings with 400 or 404, never 500', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/b/%ZZ/inbox', '/api/invites/%E0%A4%A', '/webhooks/meta/%E0%A4%A']) {
      const answer = await fetch(`${stack.url}${path}`);
      expect([400, 404], path).toContain(answer.status);
    }
  });

  it('keeps answering a well-formed unknown id as before', async () => {
    const unknown = await api.call('GET', `/invites/demo.i${'a'.repeat(20)}.${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'not_found', message: 'This link is invalid or has expired' });
  });
});

describe('caching and security headers', () => {
  it('marks every API answer carrying personal data no-store', async () => {
    const signedIn = { token: owner.accessToken };
    for (const path of [
      '/me',
      '/auth/sessions',
      `/businesses/${owner.tenantId}/members`,
      `/businesses/${owner.tenantId}/invites`,
      `/businesses/${owner.tenantId}/audit`,
      `/businesses/${owner.tenantId}/billing`,
    ]) {
      const answer = await api.call('GET', path, signedIn);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('sends the security headers CloudFront sends on /api and /webhooks answers too', async () => {
    const answers = [
      await fetch(`${stack.url}/api/health`),
      await fetch(`${stack.url}/api/nothing-here`),
      await fetch(`${stack.url}/webhooks/meta`, { method: 'POST', body: '{}' }),
      await fetch(`${stack.url}/webhooks/nothing-here/x`),
    ];
    for (const answer of answers) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(answer.headers.get(name), `${answer.url} ${name}`).toBe(value);
      }
    }
  });
});

describe('access tokens', () => {
  it('refuses a token signed with the real secret but without an expiry', async () => {
    const { authTokenSecret } = JSON.parse(readFileSync(join(stack.dataDir, 'secrets.json'), 'utf8'));
    const real = JSON.parse(Buffer.from(owner.accessToken.split('.')[1] as string, 'base64url').toString());
    const forever = await new SignJWT({ sid: real.sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(real.sub)
      .setIssuer(real.iss)
      .setAudience(real.aud)
      .setIssuedAt()
      .sign(new TextEncoder().encode(authTokenSecret));
    expect((await api.call('GET', '/me', { token: owner.accessToken })).status).toBe(200);
    const answer = await api.call('GET', '/me', { token: forever });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('unauthenticated');
  });
});

describe('the Meta handshake', () => {
  const handshake = (challenge: string) =>
    fetch(
      `${stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=asistone-demo-verify-token&hub.challenge=${encodeURIComponent(challenge)}`,
    );

  it('echoes a numeric challenge as plain text that no browser sniffs', async () => {
    const answer = await handshake('1158201444');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('1158201444');
    expect(answer.headers.get('content-type')).toContain('text/plain');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a challenge Meta would never send', async () => {
    const answer = await handshake('<script>alert(1)</script>');
    expect(answer.status).toBe(400);
    expect(await answer.text()).not.toContain('<script>');
  });
});

/** The stack's own process (not the launcher in front of it), from the file it writes on start. */
function stackPid(): number {
  return (JSON.parse(readFileSync(join(stack.dataDir, 'running.json'), 'utf8')) as { pid: number }).pid;
}

function memoryKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
}

/** Streams `bytes` with chunked transfer encoding; resolves with the status once an answer comes. */
function chunkedUpload(path: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.url);
    const upload = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    let answered = false;
    upload.on('response', (response) => {
      answered = true;
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    // The gateway may close the connection once it has answered: that is the point.
    upload.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !answered && !upload.destroyed) {
        sent += chunk.length;
        if (!upload.write(chunk)) return void upload.once('drain', pump);
      }
      if (!upload.destroyed) upload.end();
    };
    pump();
  });
}

describe('uploads larger than the limits', () => {
  // Far over the gateway's 6 MB limit; once refused, the sender is cut off well before the end.
  const BODY_BYTES = 96 * 1024 * 1024;

  it('answers chunked uploads to a webhook and to the API with 413, without buffering them', async () => {
    const pid = stackPid();
    const before = memoryKb(pid, 'VmRSS');
    // Resets the peak (VmHWM) to the current size; Linux allows it for our own child.
    let peakReset = true;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      peakReset = false;
    }
    let sampled = before;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, memoryKb(pid, 'VmRSS'));
    }, 10);
    try {
      // One after the other, measured together: a buffered upload's memory stayed mapped after
      // it, so measuring each alone would let the second hide in the first one's.
      for (const path of ['/webhooks/meta', '/api/auth/login']) {
        expect(await chunkedUpload(path, BODY_BYTES), path).toBe(413);
      }
    } finally {
      clearInterval(sampler);
    }
    const grownKb = Math.max(sampled, peakReset ? memoryKb(pid, 'VmHWM') : 0) - before;
    expect(grownKb * 1024, `grew ${grownKb} kB for two ${BODY_BYTES / 1024} kB bodies`).toBeLessThan(BODY_BYTES / 3);
    // And the stack keeps serving.
    expect((await fetch(`${stack.url}/api/health`)).ok).toBe(true);
  });
});
