import { totpCode, totpStep } from '@asistone/core/accounts/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/api/registry.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { awayFromStepEdge } from '../support/totp.js';
import {
  type ApiClient,
  apiClient,
  logIn,
  mailsTo as mailsToAddress,
  newEmail,
  newMember,
  newOwner,
  PASSWORD,
  type SignedInPerson,
  TERMS,
  tokenFromOutbox,
  waitForMail,
} from './accounts-client.js';

/**
 * The accounts area end to end on a real `npm start`: sign-up and confirmation, sessions and
 * refresh rotation, the second factor, password reset, invitations, the team, the audit log
 * and the OpenAPI document. Mails are read from the dev outbox.
 */
let stack: RunningStack;
let api: ApiClient;
let owner: SignedInPerson & { tenantId: string };

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
  owner = await newOwner(api, 'Ayse');
});
afterAll(async () => {
  await stack?.stop();
});

const signUpBody = (email: string, password = PASSWORD) => ({
  businessName: 'Kahve Dükkanı',
  name: 'Mehmet',
  email,
  password,
  ...TERMS,
});

/** The kinds of the mails an address got so far (mail is sent through the mail queue). */
const mailsTo = (email: string) => mailsToAddress(api, email);

/** A code for a time step later than any used so far, still inside the ±1 window. */
let lastStep = 0;
async function nextTotp(secret: string): Promise<string> {
  await awayFromStepEdge();
  const step = Math.max(lastStep + 1, totpStep(Date.now()) - 1);
  expect(step).toBeLessThanOrEqual(totpStep(Date.now()) + 1);
  lastStep = step;
  return totpCode(secret, step);
}

describe('sign-up', () => {
  it('answers the same for a new address and a taken one; the taken one gets a notice, not a second account', async () => {
    const fresh = await api.call('POST', '/auth/signup', { body: signUpBody(newEmail('fresh')) });
    const taken = await api.call('POST', '/auth/signup', { body: signUpBody(owner.email, 'another long password') });
    expect(taken.status).toBe(fresh.status);
    expect(taken.body).toEqual(fresh.body);
    await waitForMail(api, 'sign-up-notice', owner.email);
    const stillOld = await api.call('POST', '/auth/login', {
      body: { email: owner.email, password: 'another long password' },
    });
    expect(stillOld.status).toBe(401);
  });

  it('refuses a sign-up without consent or with an outdated terms version, naming the fields', async () => {
    const email = newEmail('noconsent');
    const answer = await api.call<{ error: string; issues: { path: string }[] }>('POST', '/auth/signup', {
      body: { ...signUpBody(email), ageConfirmed: false, termsVersion: '2020-01-01' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.issues.map((issue) => issue.path).sort()).toEqual(['ageConfirmed', 'termsVersion']);
    expect(await mailsTo(email)).toEqual([]);
  });

  it('tells an unconfirmed person to confirm, only when the password is right; the link works once', async () => {
    const email = newEmail('pending');
    await api.call('POST', '/auth/signup', { body: signUpBody(email) });
    // The pending sign-up exists once the mail worker has taken the request: its mail shows when.
    const token = await tokenFromOutbox(api, 'verify-email', email);
    const unconfirmed = await api.call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect(unconfirmed.status).toBe(403);
    expect(unconfirmed.body.error).toBe('email_not_verified');
    const wrong = await api.call('POST', '/auth/login', { body: { email, password: 'not the password at all' } });
    expect(wrong.status).toBe(401);
    expect((await api.call('POST', '/auth/verify-email', { body: { token } })).body).toEqual({ verified: true });
    expect((await api.call('POST', '/auth/verify-email', { body: { token } })).status).toBe(404);
    const person = await logIn(api, email);
    const me = await api.call<{ businesses: { name: string; role: string }[] }>('GET', '/me', {
      token: person.accessToken,
    });
    expect(me.body.businesses).toEqual([expect.objectContaining({ name: 'Kahve Dükkanı', role: 'owner' })]);
  });
});

describe('sign-in and sessions', () => {
  it('fails alike for an unknown address and a wrong password', async () => {
    const unknown = await api.call('POST', '/auth/login', { body: { email: newEmail('ghost'), password: PASSWORD } });
    const wrong = await api.call('POST', '/auth/login', {
      body: { email: owner.email, password: 'wrong password here' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.error).toBe('invalid_credentials');
  });

  it('sets the refresh token in an HttpOnly, Secure, SameSite=Strict cookie on /api/auth', async () => {
    const response = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: PASSWORD }),
    });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('asistone_refresh=')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api\/auth/);
    expect(await response.json()).not.toHaveProperty('refreshToken');
  });

  it('rotates the refresh token; a spent one coming straight back gets the same successor', async () => {
    const person = await logIn(api, owner.email);
    const first = await api.call<{ accessToken: string }>('POST', '/auth/refresh', {
      refreshCookie: person.refreshCookie,
    });
    expect(first.status).toBe(200);
    expect(first.refreshCookie).toBeTruthy();
    expect(first.refreshCookie).not.toBe(person.refreshCookie);
    expect((await api.call('GET', '/me', { token: first.body.accessToken })).status).toBe(200);

    // Within the grace window (a retried request, another tab). Coming back after it ends the
    // session: tests/e2e/account-races.test.ts waits a shortened window out.
    const replay = await api.call('POST', '/auth/refresh', { refreshCookie: person.refreshCookie });
    expect(replay.status).toBe(200);
    expect(replay.refreshCookie).toBe(first.refreshCookie);
    expect((await api.call('POST', '/auth/refresh', { refreshCookie: first.refreshCookie })).status).toBe(200);
  });

  it('lists sessions with masked addresses, revokes one, and signs out', async () => {
    const laptop = await logIn(api, owner.email);
    const phone = await logIn(api, owner.email);
    const listed = await api.call<{ sessions: { id: string; current: boolean; sourceAddress: string }[] }>(
      'GET',
      '/auth/sessions',
      { token: laptop.accessToken },
    );
    const current = listed.body.sessions.filter((session) => session.current);
    expect(current).toHaveLength(1);
    expect(listed.body.sessions.every((session) => session.sourceAddress === '127.0.x.x')).toBe(true);
    const phoneSession = listed.body.sessions.find((session) => !session.current && session.id !== current[0]?.id);
    expect(phoneSession).toBeDefined();

    const others = await api.call<{ sessions: { id: string; current: boolean }[] }>('GET', '/auth/sessions', {
      token: phone.accessToken,
    });
    const phoneId = others.body.sessions.find((session) => session.current)?.id as string;
    expect((await api.call('DELETE', `/auth/sessions/${phoneId}`, { token: laptop.accessToken })).status).toBe(204);
    expect((await api.call('GET', '/me', { token: phone.accessToken })).status).toBe(401);
    expect((await api.call('DELETE', '/auth/sessions/s-unknown', { token: laptop.accessToken })).status).toBe(404);

    const logout = await api.call('POST', '/auth/logout', { refreshCookie: laptop.refreshCookie });
    expect(logout.status).toBe(204);
    expect(logout.refreshCookie).toBe('');
    expect((await api.call('POST', '/auth/refresh', { refreshCookie: laptop.refreshCookie })).status).toBe(401);
    expect((await api.call('GET', '/me', { token: laptop.accessToken })).status).toBe(401);
  });
});

describe('two-step sign-in', () => {
  it('turns on with a first code, then asks for a fresh code at every sign-in, and turns off with one', async () => {
    const person = await newOwner(api, 'Totp');
    const setup = await api.call<{ secret: string; otpauthUrl: string }>('POST', '/auth/totp/setup', {
      token: person.accessToken,
    });
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const { secret } = setup.body;
    const wrongCode = await api.call('POST', '/auth/totp/enable', {
      token: person.accessToken,
      body: { password: PASSWORD, code: '000000' },
    });
    expect(wrongCode.status).toBe(400);
    const enabled = await api.call('POST', '/auth/totp/enable', {
      token: person.accessToken,
      body: { password: PASSWORD, code: await nextTotp(secret) },
    });
    expect(enabled.body).toMatchObject({ totpEnabled: true });

    const withoutCode = await api.call('POST', '/auth/login', { body: { email: person.email, password: PASSWORD } });
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error).toBe('totp_required');
    const code = await nextTotp(secret);
    const signedIn = await api.call<{ accessToken: string }>('POST', '/auth/login', {
      body: { email: person.email, password: PASSWORD, totp: code },
    });
    expect(signedIn.status).toBe(200);
    const replayed = await api.call('POST', '/auth/login', {
      body: { email: person.email, password: PASSWORD, totp: code },
    });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error).toBe('invalid_credentials');

    const disabled = await api.call('POST', '/auth/totp/disable', {
      token: signedIn.body.accessToken,
      body: { password: PASSWORD, code: await nextTotp(secret) },
    });
    expect(disabled.body).toEqual({ totpEnabled: false });
    const audit = await api.call<{ entries: { action: string }[] }>(
      'GET',
      `/businesses/${person.tenantId}/audit?action=auth.second_factor_enabled`,
      { token: signedIn.body.accessToken },
    );
    expect(audit.body.entries).toHaveLength(1);
  });
});

describe('password reset', () => {
  it('answers the same for any address, mails only real accounts, and signs out everywhere', async () => {
    const person = await newOwner(api, 'Reset');
    const ghost = newEmail('ghost');
    const noAccountLines = () => stack.output().split('password reset requested for no account').length - 1;
    const before = noAccountLines();
    const real = await api.call('POST', '/auth/password-reset/request', { body: { email: person.email } });
    const unknown = await api.call('POST', '/auth/password-reset/request', { body: { email: ghost } });
    expect(real.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(real.body);

    const token = await tokenFromOutbox(api, 'password-reset', person.email);
    // The mail worker has taken the ghost's request as well (it logs it), and sent nothing.
    await eventually(async () => (noAccountLines() > before ? true : undefined));
    expect(await mailsTo(ghost)).toEqual([]);
    const weak = await api.call('POST', '/auth/password-reset/confirm', { body: { token, password: 'short' } });
    expect(weak.status).toBe(400);
    const newPassword = 'a brand new passphrase';
    const confirmed = await api.call('POST', '/auth/password-reset/confirm', {
      body: { token, password: newPassword },
    });
    expect(confirmed.status).toBe(200);
    expect((await api.call('GET', '/me', { token: person.accessToken })).status).toBe(401);
    expect((await api.call('POST', '/auth/refresh', { refreshCookie: person.refreshCookie })).status).toBe(401);
    expect((await api.call('POST', '/auth/login', { body: { email: person.email, password: PASSWORD } })).status).toBe(
      401,
    );
    await logIn(api, person.email, newPassword);
    const again = await api.call('POST', '/auth/password-reset/confirm', { body: { token, password: newPassword } });
    expect(again.status).toBe(404);
  });
});

describe('invitations and the team', () => {
  it('invites a newcomer, who joins with a new account through the link, once', async () => {
    const email = newEmail('Zeynep');
    const invited = await api.call<{ id: string }>('POST', `/businesses/${owner.tenantId}/invites`, {
      token: owner.accessToken,
      body: { email, role: 'agent' },
    });
    expect(invited.status).toBe(201);
    const pending = await api.call<{ invites: { id: string; email: string; role: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/invites`,
      { token: owner.accessToken },
    );
    expect(pending.body.invites).toContainEqual(
      expect.objectContaining({ id: invited.body.id, email: email.toLowerCase(), role: 'agent' }),
    );

    const token = await tokenFromOutbox(api, 'invite', email);
    const page = await api.call('GET', `/invites/${token}`);
    expect(page.body).toEqual({
      businessName: 'Ayse Butik',
      role: 'agent',
      email: 'z***@e***.com',
      accountExists: false,
    });
    const withoutConsent = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Zeynep', password: PASSWORD },
    });
    expect(withoutConsent.status).toBe(400);
    const accepted = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Zeynep', password: PASSWORD, ...TERMS },
    });
    expect(accepted.body).toEqual({ tenantId: owner.tenantId, role: 'agent' });
    expect((await api.call('GET', `/invites/${token}`)).status).toBe(404);

    const zeynep = await logIn(api, email);
    const members = await api.call<{ members: { name: string; role: string }[] }>(
      'GET',
      `/businesses/${owner.tenantId}/members`,
      { token: zeynep.accessToken },
    );
    expect(members.body.members).toContainEqual(expect.objectContaining({ name: 'Zeynep', role: 'agent' }));
  });

  it('lets an existing account join only while signed in as the invited address', async () => {
    const other = await newOwner(api, 'Other');
    const invited = await api.call('POST', `/businesses/${other.tenantId}/invites`, {
      token: other.accessToken,
      body: { email: owner.email, role: 'analyst' },
    });
    expect(invited.status).toBe(201);
    const token = await tokenFromOutbox(api, 'invite', owner.email);
    expect((await api.call('GET', `/invites/${token}`)).body.accountExists).toBe(true);

    const asNewcomer = await api.call('POST', `/invites/${token}/accept`, {
      body: { name: 'Impostor', password: PASSWORD, ...TERMS },
    });
    expect(asNewcomer.status).toBe(409);
    const asSomeoneElse = await api.call('POST', `/invites/${token}/accept`, { token: other.accessToken });
    expect(asSomeoneElse.status).toBe(403);
    const joined = await api.call('POST', `/invites/${token}/accept`, { token: owner.accessToken });
    expect(joined.body).toEqual({ tenantId: other.tenantId, role: 'analyst' });

    // A sign-in is recorded in every business the person belongs to.
    await logIn(api, owner.email);
    for (const [business, token] of [
      [owner.tenantId, owner.accessToken],
      [other.tenantId, other.accessToken],
    ] as const) {
      const audit = await api.call<{ entries: { actorId: string }[] }>(
        'GET',
        `/businesses/${business}/audit?action=auth.sign_in&actorId=${owner.userId}`,
        { token },
      );
      expect(audit.body.entries.length).toBeGreaterThan(0);
    }
  });

  it('changes roles, keeps the owner until a transfer, and removes members', async () => {
    const tenant = owner.tenantId;
    const admin = await newMember(api, owner, 'admin', 'Admin');
    const agent = await newMember(api, owner, 'agent', 'Agent');
    const path = (suffix: string) => `/businesses/${tenant}${suffix}`;

    const demoteOwner = await api.call('PATCH', path(`/members/${owner.userId}`), {
      token: admin.accessToken,
      body: { role: 'agent' },
    });
    expect(demoteOwner.status).toBe(409);
    expect((await api.call('DELETE', path(`/members/${owner.userId}`), { token: admin.accessToken })).status).toBe(409);
    const makeOwner = await api.call('PATCH', path(`/members/${agent.userId}`), {
      token: admin.accessToken,
      body: { role: 'owner' },
    });
    expect(makeOwner.status).toBe(400);

    const changed = await api.call('PATCH', path(`/members/${agent.userId}`), {
      token: admin.accessToken,
      body: { role: 'analyst' },
    });
    expect(changed.body).toEqual({ userId: agent.userId, role: 'analyst' });

    const transferred = await api.call('POST', path('/transfer-ownership'), {
      token: owner.accessToken,
      body: { userId: admin.userId },
    });
    expect(transferred.body).toEqual({ ownerId: admin.userId });
    const members = await api.call<{ members: { userId: string; role: string }[] }>('GET', path('/members'), {
      token: admin.accessToken,
    });
    const roles = Object.fromEntries(members.body.members.map((member) => [member.userId, member.role]));
    expect(roles[admin.userId]).toBe('owner');
    expect(roles[owner.userId]).toBe('admin');
    expect(Object.values(roles).filter((role) => role === 'owner')).toHaveLength(1);
    const takeBack = await api.call('POST', path('/transfer-ownership'), {
      token: owner.accessToken,
      body: { userId: owner.userId },
    });
    expect(takeBack.status).toBe(403);

    expect((await api.call('DELETE', path(`/members/${agent.userId}`), { token: owner.accessToken })).status).toBe(204);
    expect((await api.call('GET', path('/members'), { token: agent.accessToken })).status).toBe(404);

    const audit = await api.call<{ entries: { action: string; actorId: string; target: string }[] }>(
      'GET',
      path(`/audit?action=team.role_changed&actorId=${admin.userId}`),
      { token: admin.accessToken },
    );
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ action: 'team.role_changed', actorId: admin.userId, target: `user:${agent.userId}` }),
    ]);
    const actions = await api.call<{ entries: { action: string }[] }>('GET', path('/audit'), {
      token: admin.accessToken,
    });
    expect(new Set(actions.body.entries.map((entry) => entry.action))).toEqual(
      new Set([
        'auth.sign_in',
        'auth.sign_in_failed',
        'team.invite_sent',
        'team.invite_accepted',
        'team.role_changed',
        'team.ownership_transferred',
        'team.member_removed',
      ]),
    );
    const future = await api.call<{ entries: unknown[] }>('GET', path('/audit?from=2099-01-01T00:00:00Z'), {
      token: admin.accessToken,
    });
    expect(future.body.entries).toEqual([]);
    expect((await api.call('GET', path('/audit?action=nope'), { token: admin.accessToken })).status).toBe(400);
  });
});

describe('the API surface', () => {
  it('publishes an OpenAPI document covering every registered route with its access', async () => {
    const { body } = await api.call<{ paths: Record<string, Record<string, { 'x-access': string }>> }>(
      'GET',
      '/openapi.json',
    );
    for (const route of routes) {
      const path = `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;
      expect(body.paths[path]?.[route.method]?.['x-access'], path).toBe(route.access);
    }
  });

  it('answers client mistakes with the error shape, never 500', async () => {
    const broken = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toBe('invalid_request');
    const huge = await api.call('POST', '/auth/signup', { body: { padding: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('payload_too_large');
    expect((await api.call('GET', '/no-such-route')).body.error).toBe('not_found');
  });

  it('limits sign-in attempts per account with a clear 429 and Retry-After', async () => {
    const target = newEmail('target');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      statuses.push(
        (await api.call('POST', '/auth/login', { body: { email: target, password: 'guess number one' } })).status,
      );
    }
    expect(statuses.every((status) => status === 401)).toBe(true);
    const limited = await api.call<{ error: string; retryAfterSeconds: number; message: string }>(
      'POST',
      '/auth/login',
      { body: { email: target, password: 'guess number two' } },
    );
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(limited.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retryAfterSeconds));
    expect(limited.body.message).toMatch(/Too many sign-in attempts/);
  });
});
