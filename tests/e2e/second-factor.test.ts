import { POLICIES } from '@asistone/core/accounts/throttle';
import { totpCode, totpStep } from '@asistone/core/accounts/totp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAws } from '../support/local-aws.js';
import { eventually, type RunningStack, startStack } from '../support/local-stack.js';
import { previousStepCode } from '../support/totp.js';
import {
  type ApiClient,
  apiClient,
  newOwner,
  PASSWORD,
  readOutbox,
  type SignedInPerson,
  tokenFromOutbox,
} from './accounts-client.js';

/**
 * The second factor end to end on a real `npm start`: no change to it without the password
 * (and a current code when it is on), one-time recovery codes (shown once, stored hashed,
 * each working once at sign-in, concurrently too), the same attempt limit as sign-in codes
 * on turning it off, and an audit entry and a mail for every change.
 */
let stack: RunningStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  await eventually(async () => ((await fetch(`${stack.url}/api/health`)).ok ? true : undefined), 20_000);
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

type Owner = SignedInPerson & { tenantId: string };

async function setUp(person: Owner): Promise<string> {
  const setup = await api.call<{ secret: string }>('POST', '/auth/totp/setup', { token: person.accessToken });
  expect(setup.status).toBe(200);
  return setup.body.secret;
}

/** Turns the second factor on the way the web app does, and answers its secret and codes. */
async function turnOn(person: Owner): Promise<{ secret: string; recoveryCodes: string[] }> {
  const secret = await setUp(person);
  const enabled = await api.call<{ totpEnabled: boolean; recoveryCodes: string[] }>('POST', '/auth/totp/enable', {
    token: person.accessToken,
    body: { password: PASSWORD, code: await previousStepCode(secret) },
  });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  return { secret, recoveryCodes: enabled.body.recoveryCodes };
}

async function auditActions(person: Owner): Promise<string[]> {
  const audit = await api.call<{ entries: { action: string }[] }>('GET', `/businesses/${person.tenantId}/audit`, {
    token: person.accessToken,
  });
  expect(audit.status).toBe(200);
  return audit.body.entries.map((entry) => entry.action);
}

/** How many security notices the address got so far (they go out through the mail queue). */
async function securityNotices(email: string): Promise<{ text: string; links: string[] }[]> {
  return (await readOutbox(api)).filter((mail) => mail.kind === 'security-notice' && mail.to === email.toLowerCase());
}

async function waitForNotices(email: string, count: number) {
  return eventually(async () => {
    const notices = await securityNotices(email);
    return notices.length >= count ? notices : undefined;
  });
}

/**
 * Attempts are counted in fixed windows (15 minutes, aligned to the clock): a test that counts
 * them starts well inside one, or a new window half way would reset the count it checks.
 */
async function awayFromWindowEdge(windowSeconds: number, marginSeconds = 30) {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < marginSeconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 250));
}

function signIn(email: string, extra: Record<string, string> = {}, password = PASSWORD) {
  return api.call<{ accessToken: string; error: string }>('POST', '/auth/login', {
    body: { email, password, ...extra },
  });
}

describe('turning two-step verification on', () => {
  it('is refused to a session without the password, and a wrong password changes nothing but the audit log', async () => {
    const person = await newOwner(api, 'Oturum');
    const secret = await setUp(person);

    const noPassword = await api.call('POST', '/auth/totp/enable', {
      token: person.accessToken,
      body: { code: await previousStepCode(secret) },
    });
    const wrongPassword = await api.call<{ error: string; issues: { path: string }[] }>('POST', '/auth/totp/enable', {
      token: person.accessToken,
      body: { password: 'not the password at all', code: totpCode(secret, totpStep(Date.now())) },
    });

    expect(noPassword.status).toBe(400);
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.issues.map((issue) => issue.path)).toEqual(['password']);
    const me = await api.call<{ user: { totpEnabled: boolean } }>('GET', '/me', { token: person.accessToken });
    expect(me.body.user.totpEnabled).toBe(false);
    expect(await auditActions(person)).toContain('auth.reauthentication_failed');
    // Only a change is mailed; a refusal is not.
    expect(await securityNotices(person.email)).toEqual([]);
  });

  it('with the password and a code answers ten recovery codes once, stored only as hashes', async () => {
    const person = await newOwner(api, 'Kodlar');

    const { secret, recoveryCodes } = await turnOn(person);

    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const status = await api.call('GET', '/auth/totp', { token: person.accessToken });
    expect(status.body).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
    const table = JSON.stringify(await localAws(stack.dataDir).dumpTable());
    const logs = stack.output();
    for (const plain of [secret, ...recoveryCodes, ...recoveryCodes.map((code) => code.replace('-', ''))]) {
      expect(table).not.toContain(plain);
      expect(logs).not.toContain(plain);
    }
    expect(await auditActions(person)).toContain('auth.second_factor_enabled');
    const [notice] = await waitForNotices(person.email, 1);
    expect(notice?.links.some((link) => link.endsWith('/forgot-password'))).toBe(true);
  });
});

describe('signing in with a recovery code', () => {
  let person: Owner;
  let recoveryCodes: string[];
  beforeAll(async () => {
    person = await newOwner(api, 'Kurtarma');
    ({ recoveryCodes } = await turnOn(person));
  });

  it('stands in for the app code, each code once, and once only when a code is sent concurrently', async () => {
    const [first = '', second = ''] = recoveryCodes;

    const asked = await signIn(person.email);
    const withCode = await signIn(person.email, { recoveryCode: first.toUpperCase() });
    const replayed = await signIn(person.email, { recoveryCode: first });
    const racing = await Promise.all([1, 2, 3].map(() => signIn(person.email, { recoveryCode: second })));

    expect(asked.body.error).toBe('totp_required');
    expect(withCode.status).toBe(200);
    expect(replayed.status).toBe(401);
    expect(replayed.body.error).toBe('invalid_credentials');
    expect(racing.map((answer) => answer.status).sort()).toEqual([200, 401, 401]);
    const status = await api.call('GET', '/auth/totp', { token: withCode.body.accessToken });
    expect(status.body).toEqual({ totpEnabled: true, recoveryCodesLeft: 8 });
    const uses = (await auditActions(person)).filter((action) => action === 'auth.recovery_code_used');
    expect(uses).toHaveLength(2);
    // Turned on, then two codes used: three notices.
    await waitForNotices(person.email, 3);
  });

  it('still works after a password reset, which keeps the second factor', async () => {
    const requested = await api.call('POST', '/auth/password-reset/request', { body: { email: person.email } });
    expect(requested.status).toBe(202);
    const token = await tokenFromOutbox(api, 'password-reset', person.email);
    const newPassword = 'a brand new passphrase';
    const reset = await api.call('POST', '/auth/password-reset/confirm', { body: { token, password: newPassword } });
    expect(reset.status).toBe(200);

    const withoutCode = await signIn(person.email, {}, newPassword);
    const withCode = await signIn(person.email, { recoveryCode: recoveryCodes[2] as string }, newPassword);

    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.error).toBe('totp_required');
    expect(withCode.status).toBe(200);
  });
});

describe('new recovery codes', () => {
  it('take the password and a current code, and the previous codes stop working', async () => {
    const person = await newOwner(api, 'Yenile');
    const { secret, recoveryCodes } = await turnOn(person);

    const noPassword = await api.call('POST', '/auth/totp/recovery-codes', {
      token: person.accessToken,
      body: { code: recoveryCodes[0] },
    });
    const renewed = await api.call<{ recoveryCodes: string[] }>('POST', '/auth/totp/recovery-codes', {
      token: person.accessToken,
      body: { password: PASSWORD, code: totpCode(secret, totpStep(Date.now())) },
    });

    expect(noPassword.status).toBe(400);
    expect(renewed.status).toBe(200);
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect((await signIn(person.email, { recoveryCode: recoveryCodes[1] as string })).status).toBe(401);
    expect((await signIn(person.email, { recoveryCode: renewed.body.recoveryCodes[0] as string })).status).toBe(200);
    expect(await auditActions(person)).toContain('auth.recovery_codes_regenerated');
  });
});

describe('turning two-step verification off', () => {
  it('has the attempt limit of sign-in codes: 429 after it, every refusal audited, the factor left on', async () => {
    const { limit, windowSeconds } = POLICIES.secondFactorChange;
    expect(limit).toBe(10);
    const person = await newOwner(api, 'Kilit');
    await awayFromWindowEdge(windowSeconds);
    await turnOn(person);

    // Turning it on took one of the ten attempts a quarter hour allows.
    const refused: number[] = [];
    for (let attempt = 1; attempt < limit; attempt++) {
      const answer = await api.call('POST', '/auth/totp/disable', {
        token: person.accessToken,
        body: { password: PASSWORD, code: String(100000 + attempt) },
      });
      refused.push(answer.status);
    }
    const limited = await api.call<{ error: string; retryAfterSeconds: number }>('POST', '/auth/totp/disable', {
      token: person.accessToken,
      body: { password: PASSWORD, code: '123456' },
    });

    expect(refused.every((status) => status === 400)).toBe(true);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBe(String(limited.body.retryAfterSeconds));
    const me = await api.call<{ user: { totpEnabled: boolean } }>('GET', '/me', { token: person.accessToken });
    expect(me.body.user.totpEnabled).toBe(true);
    const failures = (await auditActions(person)).filter((action) => action === 'auth.reauthentication_failed');
    expect(failures).toHaveLength(limit - 1);
  }, 120_000);

  it('takes the password and a current code (a recovery code will do), and is audited and mailed', async () => {
    const person = await newOwner(api, 'Kapat');
    const { recoveryCodes } = await turnOn(person);

    const noPassword = await api.call('POST', '/auth/totp/disable', {
      token: person.accessToken,
      body: { code: recoveryCodes[0] },
    });
    const disabled = await api.call('POST', '/auth/totp/disable', {
      token: person.accessToken,
      body: { password: PASSWORD, code: recoveryCodes[0] },
    });

    expect(noPassword.status).toBe(400);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ totpEnabled: false });
    expect((await signIn(person.email)).status).toBe(200);
    expect(await auditActions(person)).toContain('auth.second_factor_disabled');
    // On, the recovery code used, off.
    await waitForNotices(person.email, 3);
  });
});
