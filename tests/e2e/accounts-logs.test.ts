import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { previousStepCode } from '../support/totp.js';
import { type ApiClient, apiClient, newEmail, PASSWORD, TERMS, tokenFromOutbox } from './accounts-client.js';

/**
 * Drives the accounts flows a person goes through, then searches everything the process
 * printed (at DEBUG level) and a raw dump of the table for the secrets and addresses it sent:
 * none may appear in clear.
 */
let stack: RunningStack;
let api: ApiClient;
const secrets = new Map<string, string>();
const keep = (what: string, value: string | undefined) => {
  expect(value, what).toBeTruthy();
  secrets.set(what, value as string);
};

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);

  const ownerEmail = newEmail('Gizli.Sahip');
  const memberEmail = newEmail('gizli.uye');
  keep('password', PASSWORD);
  keep('owner email', ownerEmail);
  keep('owner email (as stored)', ownerEmail.toLowerCase());
  keep('member email', memberEmail);
  keep('owner name', 'Gülşen Sırdaş');
  keep('member name', 'Ümran Saklı');

  // Sign-up → confirmation link from the dev outbox.
  const signup = await api.call('POST', '/auth/signup', {
    body: { businessName: 'Sır Butik', name: 'Gülşen Sırdaş', email: ownerEmail, password: PASSWORD, ...TERMS },
  });
  expect(signup.status).toBe(202);
  const verification = await tokenFromOutbox(api, 'verify-email', ownerEmail);
  keep('verification token', verification);
  expect((await api.call('POST', '/auth/verify-email', { body: { token: verification } })).status).toBe(200);

  // Sign-in, then a refresh.
  const login = await api.call<{ accessToken: string; businesses: { tenantId: string }[] }>('POST', '/auth/login', {
    body: { email: ownerEmail, password: PASSWORD },
  });
  expect(login.status).toBe(200);
  keep('access token', login.body.accessToken);
  keep('refresh token', login.refreshCookie);
  const refreshed = await api.call<{ accessToken: string }>('POST', '/auth/refresh', {
    refreshCookie: login.refreshCookie,
  });
  expect(refreshed.status).toBe(200);
  keep('refreshed access token', refreshed.body.accessToken);
  keep('rotated refresh token', refreshed.refreshCookie);
  const token = refreshed.body.accessToken;
  const tenantId = login.body.businesses[0]?.tenantId as string;

  // Invite → accept with a new account → role change.
  const invited = await api.call('POST', `/businesses/${tenantId}/invites`, {
    token,
    body: { email: memberEmail, role: 'agent' },
  });
  expect(invited.status).toBe(201);
  const invitation = await tokenFromOutbox(api, 'invite', memberEmail);
  keep('invite token', invitation);
  const accepted = await api.call<{ tenantId: string }>('POST', `/invites/${invitation}/accept`, {
    body: { name: 'Ümran Saklı', password: PASSWORD, ...TERMS },
  });
  expect(accepted.status).toBe(200);
  const members = await api.call<{ members: { userId: string; role: string }[] }>(
    'GET',
    `/businesses/${tenantId}/members`,
    { token },
  );
  const member = members.body.members.find((candidate) => candidate.role === 'agent');
  const changed = await api.call('PATCH', `/businesses/${tenantId}/members/${member?.userId}`, {
    token,
    body: { role: 'analyst' },
  });
  expect(changed.status).toBe(200);

  // Two-step sign-in: its secret, a code, the recovery codes (shown once), one of them spent at
  // sign-in, and a new business started by the same person.
  const setup = await api.call<{ secret: string }>('POST', '/auth/totp/setup', { token });
  expect(setup.status).toBe(200);
  keep('second-factor secret', setup.body.secret);
  const firstCode = await previousStepCode(setup.body.secret);
  const enabled = await api.call<{ recoveryCodes: string[] }>('POST', '/auth/totp/enable', {
    token,
    body: { password: PASSWORD, code: firstCode },
  });
  expect(enabled.status).toBe(200);
  enabled.body.recoveryCodes.forEach((code, index) => {
    keep(`recovery code ${index}`, code);
    keep(`recovery code ${index} (as typed, no hyphen)`, code.replace('-', ''));
  });
  const recovered = await api.call('POST', '/auth/login', {
    body: { email: ownerEmail, password: PASSWORD, recoveryCode: enabled.body.recoveryCodes[0] },
  });
  expect(recovered.status).toBe(200);
  keep('business started later', 'Gizli Atölye');
  expect((await api.call('POST', '/businesses', { token, body: { name: 'Gizli Atölye' } })).status).toBe(201);

  // A failed sign-in and a reset request: the paths most tempted to log what they got.
  expect(
    (await api.call('POST', '/auth/login', { body: { email: memberEmail, password: 'wrong-password' } })).status,
  ).toBe(401);
  keep('wrong password', 'wrong-password');
  expect((await api.call('POST', '/auth/password-reset/request', { body: { email: ownerEmail } })).status).toBe(202);
  keep('reset token', await tokenFromOutbox(api, 'password-reset', ownerEmail));
});
afterAll(async () => {
  await stack?.stop();
});

describe('no password, token or email address in clear', () => {
  it('never prints them, at DEBUG level, in the whole run', () => {
    const output = stack.output();
    expect(output).toContain('signed in');
    for (const [what, value] of secrets) {
      expect(output.includes(value), `${what} appears in the output`).toBe(false);
      expect(output.includes(encodeURIComponent(value)), `${what} appears URL-encoded in the output`).toBe(false);
    }
  });

  it('never stores them in the table', async () => {
    const dump = JSON.stringify(await localAws(stack.dataDir).dumpTable());
    expect(dump).toContain('"__edb_e__":"user"');
    for (const [what, value] of secrets) {
      expect(dump.includes(value), `${what} appears in the table`).toBe(false);
    }
  });
});
