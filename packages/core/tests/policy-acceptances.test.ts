import { CURRENT_TERMS_VERSION } from '@asistone/contract/accounts';
import { POLICY_MESSAGES, POLICY_VERSIONS, type PolicyVersions } from '@asistone/contract/policies';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusiness } from '../src/accounts/businesses.js';
import { accountKeys, createAccount } from '../src/accounts/people.js';
import { acceptPolicy, pendingPolicies, publishPolicy } from '../src/accounts/policy-acceptances.js';
import { ACCOUNTS_TENANT } from '../src/accounts/records.js';
import { readAuditLog } from '../src/audit/audit-log.js';
import type { DeliverMailMessage } from '../src/notify/mail-messages.js';
import { type MailQueue, openMail } from '../src/notify/outbound.js';
import { ValidationError } from '../src/platform/errors.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

/**
 * Policy versions against the local DynamoDB emulator. "A new version was published" is a
 * declaration given to the functions (their `policies` option) that adds a terms version after
 * the real ones: the code under test is the code that reads the contract's declaration, and the
 * published declaration stays as it is.
 */
const NEW_TERMS = {
  version: '2026-11-01',
  publishedOn: '2026-11-01',
  changes: {
    tr: ['Yapay zekâ yanıtları artık yalnızca açık onayınızla gönderilir.'],
    en: ['AI replies are now sent only with your explicit approval.'],
  },
};
const NEW: PolicyVersions = { terms: [...POLICY_VERSIONS.terms, NEW_TERMS], privacy: POLICY_VERSIONS.privacy };
const NOW = Date.parse('2026-11-30T10:00:00Z');
const OLD_SIGN_UP = '2025-06-01';

const log = new Logger({ logLevel: 'SILENT' });
let test: TestPlatform;
const tenantId = 'b_policies';

/** A recording stand-in for the mail queue: the messages, sealed as the real queue gets them. */
function recordingQueue(): MailQueue & { messages: DeliverMailMessage[] } {
  const messages: DeliverMailMessage[] = [];
  return { messages, enqueue: async (message) => void messages.push(message) };
}

beforeAll(async () => {
  test = await startTestPlatform();
  const deps = test.platform;
  const people = [
    // Signed up under the version published today: has accepted both current documents.
    { userId: 'u_current', name: 'Ayşe', termsVersion: CURRENT_TERMS_VERSION, language: 'tr' },
    // Signed up before any of the declared versions.
    { userId: 'u_old_tr', name: 'Mehmet', termsVersion: OLD_SIGN_UP, language: 'tr' },
    { userId: 'u_old_en', name: 'Jane', termsVersion: OLD_SIGN_UP, language: 'en' },
    // An account made before languages were kept reads as Turkish.
    { userId: 'u_old_none', name: 'Zeynep', termsVersion: OLD_SIGN_UP },
  ] as const;
  for (const person of people) {
    await createAccount(deps, {
      userId: person.userId,
      name: person.name,
      email: `${person.userId}@example.com`,
      passwordHash: 'unused',
      termsVersion: person.termsVersion,
      termsAcceptedAt: NOW - 86_400_000,
      language: 'language' in person ? person.language : undefined,
    });
  }
  await createBusiness(deps, { tenantId, name: 'Lale Butik', ownerId: 'u_current' });
});
afterAll(() => test.stop());

const actor = (userId: string) => ({ userId, sourceAddress: '85.105.1.2' });

async function acceptanceRecords(userId: string) {
  const { data } = await test.platform.store.entities.policyAcceptance.query
    .byUser({ tenantId: ACCOUNTS_TENANT, userId })
    .go({ pages: 'all' });
  return data;
}

describe('pending policies', () => {
  it('counts sign-up’s checkbox as accepting both documents at its version', async () => {
    expect(await pendingPolicies(test.platform, 'u_current')).toEqual([]);
    const old = await pendingPolicies(test.platform, 'u_old_tr');
    expect(old.map((pending) => pending.document)).toEqual(['terms', 'privacy']);
  });

  it('asks again for a document once a newer version is published, with its changes', async () => {
    const pending = await pendingPolicies(test.platform, 'u_current', { policies: NEW });
    expect(pending).toEqual([
      { document: 'terms', version: NEW_TERMS.version, publishedOn: NEW_TERMS.publishedOn, changes: NEW_TERMS.changes },
    ]);
  });
});

describe('accepting', () => {
  it('records the version and time, audits it in the person’s business, and clears the pending one', async () => {
    const accepted = await acceptPolicy(
      test.platform,
      actor('u_current'),
      { document: 'terms', version: NEW_TERMS.version },
      { policies: NEW, now: NOW },
    );
    expect(accepted).toEqual({ document: 'terms', version: NEW_TERMS.version, acceptedAt: NOW });
    expect(await acceptanceRecords('u_current')).toMatchObject([
      { document: 'terms', version: NEW_TERMS.version, acceptedAt: NOW },
    ]);
    expect(await pendingPolicies(test.platform, 'u_current', { policies: NEW })).toEqual([]);
    const log = await readAuditLog(test.platform.store, tenantId, { action: 'policy.accepted' });
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({
      actorId: 'u_current',
      target: { type: 'policy', id: `terms@${NEW_TERMS.version}` },
      detail: { document: 'terms', version: NEW_TERMS.version },
      sourceAddress: '85.105.x.x',
    });
  });

  it('refuses a version that is no longer current, recording nothing', async () => {
    const refused = acceptPolicy(
      test.platform,
      actor('u_old_tr'),
      { document: 'terms', version: POLICY_VERSIONS.terms.at(-1)?.version as string },
      { policies: NEW },
    );
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow(POLICY_MESSAGES.notCurrent);
    expect(await acceptanceRecords('u_old_tr')).toEqual([]);
  });

  it('makes one record of concurrent accepts, audited once, each answering the first time', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        acceptPolicy(
          test.platform,
          actor('u_current'),
          { document: 'privacy', version: POLICY_VERSIONS.privacy.at(-1)?.version as string },
          { now: NOW + i },
        ),
      ),
    );
    const records = (await acceptanceRecords('u_current')).filter((record) => record.document === 'privacy');
    expect(records).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.acceptedAt))).toEqual(new Set([records[0]?.acceptedAt]));
    const log = await readAuditLog(test.platform.store, tenantId, { action: 'policy.accepted' });
    expect(log.events.filter((event) => event.detail?.document === 'privacy')).toHaveLength(1);
  });
});

describe('publishing', () => {
  it('queues exactly one mail per account holder who has not accepted, in their language; a rerun queues none', async () => {
    const mails = recordingQueue();
    const { aws, config, store, keyring } = test.platform;
    const deps = {
      store,
      keyring,
      mails,
      log,
      appUrl: 'https://app.asistone.test',
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
    };
    const progress: number[] = [];
    const first = await publishPolicy(deps, 'terms', {
      policies: NEW,
      now: NOW,
      onProgress: ({ seen }) => progress.push(seen),
    });
    // u_current accepted the new terms above: nothing to tell them.
    expect(first).toEqual({
      document: 'terms',
      version: NEW_TERMS.version,
      accountHolders: 4,
      queued: 3,
      alreadyMailed: 0,
      alreadyAccepted: 1,
    });
    expect(progress.at(-1)).toBe(4);

    const keys = await accountKeys(test.platform);
    const opened = mails.messages.map((message) => openMail(keys, message));
    expect(mails.messages.every((message) => message.tenantId === ACCOUNTS_TENANT)).toBe(true);
    expect(opened.map((mail) => mail.to).sort()).toEqual([
      'u_old_en@example.com',
      'u_old_none@example.com',
      'u_old_tr@example.com',
    ]);
    const to = (address: string) => opened.find((mail) => mail.to === address);
    const english = to('u_old_en@example.com');
    expect(english).toMatchObject({ kind: 'policy-changed', subject: 'Asistone Terms of use updated' });
    expect(english?.text).toContain(`• ${NEW_TERMS.changes.en[0]}`);
    expect(english?.text).toContain('https://app.asistone.test/terms');
    expect(english?.text).not.toContain(NEW_TERMS.changes.tr[0]);
    for (const address of ['u_old_tr@example.com', 'u_old_none@example.com']) {
      const turkish = to(address);
      expect(turkish?.subject).toBe('Asistone Kullanım Koşulları güncellendi');
      expect(turkish?.text).toContain(`• ${NEW_TERMS.changes.tr[0]}`);
      expect(turkish?.html).toContain('<html lang="tr">');
    }
    expect(new Set(opened.map((mail) => mail.idempotencyKey)).size).toBe(3);

    const rerun = await publishPolicy(deps, 'terms', { policies: NEW, now: NOW });
    expect(rerun).toMatchObject({ accountHolders: 4, queued: 0, alreadyMailed: 3, alreadyAccepted: 1 });
    expect(mails.messages).toHaveLength(3);
  });

  it('refuses a version dated after today', async () => {
    const { aws, config, store, keyring } = test.platform;
    const mails = recordingQueue();
    const deps = {
      store,
      keyring,
      mails,
      log,
      appUrl: 'https://app.asistone.test',
      dynamo: aws.dynamo,
      table: config.TABLE_NAME,
    };
    const future: PolicyVersions = {
      ...NEW,
      privacy: [...POLICY_VERSIONS.privacy, { ...NEW_TERMS, version: '2027-02-01', publishedOn: '2027-02-01' }],
    };
    await expect(publishPolicy(deps, 'privacy', { policies: future, now: NOW })).rejects.toThrow(
      /published on 2027-02-01/,
    );
    expect(mails.messages).toEqual([]);
  });
});
