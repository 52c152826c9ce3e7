import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousStepCode } from '../../../tests/support/totp.js';
import { createBusiness } from '../src/accounts/businesses.js';
import type { AccountsDeps } from '../src/accounts/deps.js';
import { hashPassword } from '../src/accounts/passwords.js';
import { accountKeys, createAccount, loadUser, type UserItem } from '../src/accounts/people.js';
import { normalizeRecoveryCode, recoveryCodesLeft } from '../src/accounts/recovery-codes.js';
import {
  describeSecondFactor,
  disableTotp,
  enableTotp,
  passSecondFactor,
  regenerateRecoveryCodes,
  setUpTotp,
} from '../src/accounts/second-factor.js';
import { newId } from '../src/accounts/secrets.js';
import { POLICIES } from '../src/accounts/throttle.js';
import { totpCode, totpStep } from '../src/accounts/totp.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import type { DeliverMailMessage } from '../src/notify/mail-messages.js';
import { openMail } from '../src/notify/outbound.js';
import { RateLimitedError, ValidationError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * The second factor on the real store: re-authentication before every change, one-time
 * recovery codes (once each, under races too, stored only as keyed hashes), the attempt limit,
 * and the audit entry and mail of every change. The API-level flows are in
 * tests/e2e/second-factor.test.ts.
 */
const log = new Logger({ logLevel: 'SILENT' });
const ORIGIN = { sourceAddress: '85.105.1.2', userAgent: 'vitest' };
const PASSWORD = 'correct horse battery staple';

let test: TestPlatform;
let deps: AccountsDeps;
let passwordHash: string;
/** Mails queued by the code under test, as the mail worker would receive them. */
const queued: DeliverMailMessage[] = [];

beforeAll(async () => {
  test = await startTestPlatform();
  const { store, keyring } = test.platform;
  deps = {
    store,
    keyring,
    log,
    tokenSecret: 'x'.repeat(40),
    appUrl: 'https://app.test',
    mails: { enqueue: async (message) => void queued.push(message) },
    requests: { enqueue: async () => {} },
  } as AccountsDeps;
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(() => test?.stop());

/** An owner of a business of their own, so their audit entries have somewhere to go. */
async function newOwner() {
  const userId = newId('u');
  const tenantId = newId('b');
  await createAccount(deps, { userId, name: 'Zeynep', email: `${userId}@example.com`, passwordHash });
  await createBusiness(deps, { tenantId, name: 'Nar Butik', ownerId: userId });
  return { userId, tenantId, email: `${userId}@example.com` };
}

async function user(userId: string): Promise<UserItem> {
  return (await loadUser(deps, userId)) as UserItem;
}

/** Turns the factor on and answers its secret and recovery codes. */
async function withSecondFactor(userId: string) {
  const { secret } = await setUpTotp(deps, userId);
  const { recoveryCodes } = await enableTotp(
    deps,
    userId,
    { password: PASSWORD, code: await previousStepCode(secret) },
    ORIGIN,
  );
  return { secret, recoveryCodes };
}

async function securityNoticesTo(email: string) {
  const keys = await accountKeys(deps);
  return queued
    .filter((message) => message.mail.kind === 'security-notice')
    .map((message) => openMail(keys, message))
    .filter((mail) => mail.to === email);
}

async function auditActions(tenantId: string) {
  const page = await readAuditLog(deps.store, tenantId, {});
  return page.events.map((event) => event.action);
}

describe('turning the second factor on', () => {
  it('takes the password: a session alone is refused, changes nothing, and the refusal is audited', async () => {
    // Prepare
    const owner = await newOwner();
    const { secret } = await setUpTotp(deps, owner.userId);

    // Act
    const refused = enableTotp(
      deps,
      owner.userId,
      { password: 'a guess at the password', code: totpCode(secret, totpStep(Date.now())) },
      ORIGIN,
    );

    // Assess
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toMatchObject({ issues: ['password'] });
    expect((await user(owner.userId)).totpSecret).toBeUndefined();
    expect(await describeSecondFactor(deps, owner.userId)).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });
    expect(await auditActions(owner.tenantId)).toContain('auth.reauthentication_failed');
  });

  it('issues ten distinct recovery codes, audits the change and mails it to the account', async () => {
    const owner = await newOwner();

    const { recoveryCodes } = await withSecondFactor(owner.userId);

    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await describeSecondFactor(deps, owner.userId)).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
    expect(await auditActions(owner.tenantId)).toContain('auth.second_factor_enabled');
    const [notice] = await securityNoticesTo(owner.email);
    expect(notice?.text).toContain('85.105.x.x');
    expect(notice?.text).not.toContain('85.105.1.2');
  });
});

describe('recovery codes', () => {
  it('each works once, typed in any case with or without the hyphen, until none is left', async () => {
    const owner = await newOwner();
    const { recoveryCodes } = await withSecondFactor(owner.userId);
    const [first = '', second = ''] = recoveryCodes;

    expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: first }, ORIGIN)).toBe(true);
    expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: first }, ORIGIN)).toBe(false);
    const typedLoosely = ` ${normalizeRecoveryCode(second).toUpperCase()} `;
    expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: typedLoosely }, ORIGIN)).toBe(true);
    for (const code of recoveryCodes.slice(2)) {
      expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: code }, ORIGIN)).toBe(true);
    }

    expect(await recoveryCodesLeft(deps, await user(owner.userId))).toBe(0);
    for (const code of recoveryCodes) {
      expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: code }, ORIGIN)).toBe(false);
    }
    const uses = (await auditActions(owner.tenantId)).filter((action) => action === 'auth.recovery_code_used');
    expect(uses).toHaveLength(10);
    const notices = await securityNoticesTo(owner.email);
    expect(notices.filter((mail) => /Kalan kurtarma kodu: 0\./.test(mail.text))).toHaveLength(1);
  });

  it('lets one code through once when many requests race with it', async () => {
    const owner = await newOwner();
    const { recoveryCodes } = await withSecondFactor(owner.userId);
    const loaded = await user(owner.userId);

    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => passSecondFactor(deps, loaded, { recoveryCode: recoveryCodes[0] }, ORIGIN)),
    );

    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await recoveryCodesLeft(deps, loaded)).toBe(9);
  });

  it('keeps only keyed hashes: no code, with or without its hyphen, is anywhere in the table', async () => {
    const owner = await newOwner();
    const { recoveryCodes } = await withSecondFactor(owner.userId);

    const { aws, config } = test.platform;
    const table = JSON.stringify(
      ((await aws.dynamo.send(new ScanCommand({ TableName: config.TABLE_NAME }))).Items ?? []).map((item) =>
        unmarshall(item),
      ),
    );

    expect(table).toContain(owner.userId);
    for (const code of recoveryCodes) {
      expect(table).not.toContain(code);
      expect(table).not.toContain(normalizeRecoveryCode(code));
    }
  });

  it('are replaced whole by a new set, which takes the password and a current code', async () => {
    const owner = await newOwner();
    const { recoveryCodes } = await withSecondFactor(owner.userId);

    await expect(
      regenerateRecoveryCodes(deps, owner.userId, { password: PASSWORD, code: '000000' }, ORIGIN),
    ).rejects.toMatchObject({ issues: ['code'] });
    const renewed = await regenerateRecoveryCodes(
      deps,
      owner.userId,
      { password: PASSWORD, code: recoveryCodes[0] as string },
      ORIGIN,
    );

    expect(renewed.recoveryCodes).toHaveLength(10);
    expect(await passSecondFactor(deps, await user(owner.userId), { recoveryCode: recoveryCodes[1] }, ORIGIN)).toBe(
      false,
    );
    expect(
      await passSecondFactor(deps, await user(owner.userId), { recoveryCode: renewed.recoveryCodes[0] }, ORIGIN),
    ).toBe(true);
    expect(await auditActions(owner.tenantId)).toContain('auth.recovery_codes_regenerated');
    // Only the live set is kept.
    const stored = await deps.store.entities.recoveryCode.query
      .byUser({ tenantId: 'accounts', userId: owner.userId })
      .go({ pages: 'all' });
    expect(stored.data).toHaveLength(10);
  });
});

describe('turning the second factor off', () => {
  it('takes the password and a current code, counts every attempt, and audits each refusal', async () => {
    const owner = await newOwner();
    // The count lives in fixed windows aligned to the clock: start well inside one.
    const { windowSeconds } = POLICIES.secondFactorChange;
    const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
    if (left < 20) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 250));
    await withSecondFactor(owner.userId);

    // Turning it on took one slot of the quarter hour's ten.
    const refusals: unknown[] = [];
    for (let attempt = 1; attempt < POLICIES.secondFactorChange.limit; attempt++) {
      refusals.push(
        await disableTotp(deps, owner.userId, { password: PASSWORD, code: '000000' }, ORIGIN).catch((error) => error),
      );
    }
    const limited = await disableTotp(deps, owner.userId, { password: PASSWORD, code: '000000' }, ORIGIN).catch(
      (error) => error,
    );

    expect(refusals.every((error) => error instanceof ValidationError)).toBe(true);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((await user(owner.userId)).totpSecret).toBeDefined();
    const failures = (await auditActions(owner.tenantId)).filter((action) => action === 'auth.reauthentication_failed');
    expect(failures).toHaveLength(POLICIES.secondFactorChange.limit - 1);
  }, 60_000);

  it('with a recovery code removes the factor and its codes, audited and mailed', async () => {
    const owner = await newOwner();
    const { recoveryCodes } = await withSecondFactor(owner.userId);

    await disableTotp(deps, owner.userId, { password: PASSWORD, code: recoveryCodes[3] as string }, ORIGIN);

    expect(await describeSecondFactor(deps, owner.userId)).toEqual({ totpEnabled: false, recoveryCodesLeft: 0 });
    const stored = await deps.store.entities.recoveryCode.query
      .byUser({ tenantId: 'accounts', userId: owner.userId })
      .go({ pages: 'all' });
    expect(stored.data).toHaveLength(0);
    expect(await auditActions(owner.tenantId)).toContain('auth.second_factor_disabled');
    const subjects = (await securityNoticesTo(owner.email)).map((mail) => mail.subject);
    expect(subjects).toContain('Asistone hesabınızda iki adımlı doğrulama kapatıldı');
  });
});
