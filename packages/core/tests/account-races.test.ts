import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsDeps } from '../src/accounts/deps.js';
import { InvalidLinkError } from '../src/accounts/errors.js';
import { confirmPasswordReset } from '../src/accounts/password-reset.js';
import { hashPassword, verifyPassword } from '../src/accounts/passwords.js';
import { createAccount, loadUser } from '../src/accounts/people.js';
import { ACCOUNTS_TENANT } from '../src/accounts/records.js';
import { accountRequestQueue } from '../src/accounts/requests.js';
import { newId, newSecret, secretHash } from '../src/accounts/secrets.js';
import {
  REFRESH_GRACE_SECONDS,
  refreshGraceSeconds,
  refreshSession,
  requireActiveSession,
  startSession,
} from '../src/accounts/sessions.js';
import { mailQueue } from '../src/notify/outbound.js';
import { ConfigError, UnauthenticatedError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Session refresh and reset links under races, on the real store: the concurrency is the
 * end-to-end test's (tests/e2e/account-races.test.ts); this covers the edges it cannot reach
 * through the API (a zero grace window, a confirmation that died holding its link, what the
 * table keeps).
 */
const log = new Logger({ logLevel: 'SILENT' });
const ORIGIN = { sourceAddress: '85.105.1.2', userAgent: 'vitest' };

let test: TestPlatform;
let deps: AccountsDeps;

beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring, producer } = test.platform;
  deps = {
    store,
    keyring,
    log,
    tokenSecret: 'x'.repeat(40),
    appUrl: 'https://app.test',
    mails: mailQueue(producer),
    requests: accountRequestQueue(producer),
  };
});
afterAll(() => test?.stop());

async function newPerson(passwordHash = 'unused') {
  const userId = newId('u');
  await createAccount(deps, { userId, name: 'Zeynep', email: `${userId}@example.com`, passwordHash });
  return userId;
}

describe('refreshSession', () => {
  it('gives every refresh of one token the same successor, and keeps only hashes of tokens', async () => {
    // Prepare
    const userId = await newPerson();
    const signedIn = await startSession(deps, userId, ORIGIN);

    // Act
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => refreshSession(deps, signedIn.refreshToken, ORIGIN)),
    );

    // Assess
    const successors = new Set(answers.map((answer) => answer.refreshToken));
    expect(successors.size).toBe(1);
    const successor = answers[0]?.refreshToken as string;
    expect(successor).toMatch(/^[\w-]{43}$/);
    const stored = JSON.stringify(await test.platform.store.entities.refreshToken.scan.go({ pages: 'all' }));
    expect(stored).toContain(secretHash(successor));
    expect(stored).not.toContain(successor);
    expect(stored).not.toContain(signedIn.refreshToken);
    expect((await refreshSession(deps, successor, ORIGIN)).refreshToken).not.toBe(successor);
  });

  it('ends the session when a spent token comes back after the grace window', async () => {
    // Prepare
    const userId = await newPerson();
    const signedIn = await startSession(deps, userId, ORIGIN);
    const next = await refreshSession(deps, signedIn.refreshToken, ORIGIN, { graceSeconds: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Act
    const replay = refreshSession(deps, signedIn.refreshToken, ORIGIN, { graceSeconds: 0 });

    // Assess
    await expect(replay).rejects.toThrow(UnauthenticatedError);
    await expect(refreshSession(deps, next.refreshToken, ORIGIN)).rejects.toThrow(UnauthenticatedError);
    const sessionId = (
      await test.platform.store.entities.session.query.byUser({ tenantId: ACCOUNTS_TENANT, userId }).go()
    ).data[0]?.sessionId as string;
    await expect(requireActiveSession(deps, { userId, sessionId })).rejects.toThrow(UnauthenticatedError);
  });
});

describe('refreshGraceSeconds', () => {
  it('is 10 s, shortened only on the local stack, and a bad value names the variable', () => {
    expect(REFRESH_GRACE_SECONDS).toBe(10);
    expect(refreshGraceSeconds({}, true)).toBe(10);
    expect(refreshGraceSeconds({ ASISTONE_REFRESH_GRACE_SECONDS: '3' }, true)).toBe(3);
    expect(refreshGraceSeconds({ ASISTONE_REFRESH_GRACE_SECONDS: '3' }, false)).toBe(10);
    expect(() => refreshGraceSeconds({ ASISTONE_REFRESH_GRACE_SECONDS: 'soon' }, true)).toThrow(ConfigError);
    expect(() => refreshGraceSeconds({ ASISTONE_REFRESH_GRACE_SECONDS: '3600' }, true)).toThrow(
      /ASISTONE_REFRESH_GRACE_SECONDS/,
    );
  });
});

describe('confirmPasswordReset', () => {
  async function resetLink(userId: string, claimedAgoMs?: number) {
    const token = newSecret();
    await test.platform.store.entities.passwordReset
      .create({
        tenantId: ACCOUNTS_TENANT,
        tokenHash: secretHash(token),
        userId,
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
        ...(claimedAgoMs === undefined ? {} : { claimedAt: Date.now() - claimedAgoMs }),
      })
      .go();
    return token;
  }

  it('refuses a link another confirmation holds, and frees one whose confirmation died a minute ago', async () => {
    // Prepare
    const userId = await newPerson(await hashPassword('the old password of the shop'));
    const held = await resetLink(userId, 5_000);
    const abandoned = await resetLink(userId, 61_000);

    // Act and assess
    await expect(confirmPasswordReset(deps, held, 'a password that must not win', ORIGIN)).rejects.toThrow(
      InvalidLinkError,
    );
    await confirmPasswordReset(deps, abandoned, 'the new password of the shop', ORIGIN);
    const user = await loadUser(deps, userId);
    expect(await verifyPassword('the new password of the shop', user?.passwordHash as string)).toBe(true);
    await expect(confirmPasswordReset(deps, abandoned, 'once more, too late', ORIGIN)).rejects.toThrow(
      InvalidLinkError,
    );
  });
});
