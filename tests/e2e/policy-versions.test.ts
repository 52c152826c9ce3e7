import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { currentPolicyVersion, POLICY_MESSAGES } from '@asistone/contract/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROOT, type RunningStack, startStack } from '../support/local-stack.js';
import { OLDER_TERMS_VERSION as OLDER_VERSION, signedUpEarlier } from '../support/policy-acceptance.js';
import { type ApiClient, apiClient, logIn, newOwner, type OutboxMail, readOutbox } from './accounts-client.js';

/**
 * Policy versions over HTTP against a real `npm start`, with `npm run policy -- publish` run
 * against it as ops would. People who accepted an older version are made by setting their
 * account's recorded sign-up version to a date before the current versions: sign-up only takes
 * the current version, so the API cannot make such an account, and the declaration the product
 * reads (packages/contract/src/policies.ts) stays exactly as published. Everything after that
 * (publishing, the mails, `/me`, accepting, the audit log) is the product's own code.
 */
const terms = currentPolicyVersion('terms');
const privacy = currentPolicyVersion('privacy');

let stack: RunningStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startStack({ env: { ASISTONE_BUILD_WEB: 'false' } });
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

async function publish(document: 'terms' | 'privacy'): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['run', '--silent', 'policy', '--', 'publish', '--document', document],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ASISTONE_DATA_DIR: stack.dataDir,
        LOG_LEVEL: 'ERROR',
        PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      },
    },
  );
  return stdout;
}

async function policyMailsTo(email: string, count: number): Promise<OutboxMail[]> {
  return eventually(async () => {
    const mails = (await readOutbox(api)).filter(
      (mail) => mail.kind === 'policy-changed' && mail.to === email.toLowerCase(),
    );
    return mails.length >= count ? mails : undefined;
  });
}

type Pending = { document: string; version: string; changes: { tr: string[]; en: string[] } }[];

describe('a new version of the terms and the privacy policy', () => {
  it('is mailed in each person’s language, asked at sign-in, and accepted once, audited', async () => {
    const ayse = await newOwner(api, 'Ayse');
    // An English-speaking person: her mails are in English.
    const jane = await newOwner(api, 'Jane', { language: 'en' });
    // Signed up under the current versions: nothing to ask.
    const before = await api.call<{ pendingPolicies: Pending }>('GET', '/me', { token: ayse.accessToken });
    expect(before.body.pendingPolicies).toEqual([]);

    await signedUpEarlier(stack.dataDir, ayse.userId);
    await signedUpEarlier(stack.dataDir, jane.userId);

    const published = await publish('terms');
    expect(published).toMatch(new RegExp(`published the terms version ${terms.version}`));
    expect(published).toMatch(/mails queued\s+2\b/);
    expect(await publish('privacy')).toMatch(/mails queued\s+2\b/);

    const janes = await policyMailsTo(jane.email, 2);
    const janeTerms = janes.find((mail) => mail.subject === 'Asistone Terms of use updated');
    expect(janeTerms?.text).toContain(terms.changes.en[0]);
    expect(janeTerms?.links).toContain(`${stack.url}/terms`);
    expect(janes.find((mail) => mail.subject === 'Asistone Privacy policy updated')?.text).toContain(
      privacy.changes.en[0],
    );
    const ayses = await policyMailsTo(ayse.email, 2);
    const ayseTerms = ayses.find((mail) => mail.subject === 'Asistone Kullanım Koşulları güncellendi');
    expect(ayseTerms?.text).toContain(terms.changes.tr[0]);
    expect(ayseTerms?.text).not.toContain(terms.changes.en[0]);

    // A rerun mails nobody twice.
    expect(await publish('terms')).toMatch(/mails queued\s+0\b/);

    // The next sign-in asks for both.
    const signedIn = await logIn(api, jane.email);
    const me = await api.call<{ pendingPolicies: Pending }>('GET', '/me', { token: signedIn.accessToken });
    expect(me.body.pendingPolicies.map(({ document, version }) => ({ document, version }))).toEqual([
      { document: 'terms', version: terms.version },
      { document: 'privacy', version: privacy.version },
    ]);
    expect(me.body.pendingPolicies[0]?.changes.en).toEqual(terms.changes.en);

    // An old version (a page left open across a publication) is refused, nothing recorded.
    const old = await api.call<{ error: string; issues: { path: string; message: string }[] }>(
      'POST',
      '/me/policy-acceptances',
      { token: signedIn.accessToken, body: { document: 'terms', version: OLDER_VERSION } },
    );
    expect(old.status).toBe(400);
    expect(old.body.issues).toEqual([{ path: 'version', message: POLICY_MESSAGES.notCurrent }]);
    const unknown = await api.call('POST', '/me/policy-acceptances', {
      token: signedIn.accessToken,
      body: { document: 'cookies', version: terms.version },
    });
    expect(unknown.status).toBe(400);

    const accepted = await api.call<{ document: string; version: string; acceptedAt: string }>(
      'POST',
      '/me/policy-acceptances',
      { token: signedIn.accessToken, body: { document: 'terms', version: terms.version } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ document: 'terms', version: terms.version });
    const again = await api.call<{ acceptedAt: string }>('POST', '/me/policy-acceptances', {
      token: signedIn.accessToken,
      body: { document: 'terms', version: terms.version },
    });
    expect(again.body.acceptedAt).toBe(accepted.body.acceptedAt);
    const privacyAccepted = await api.call('POST', '/me/policy-acceptances', {
      token: signedIn.accessToken,
      body: { document: 'privacy', version: privacy.version },
    });
    expect(privacyAccepted.status).toBe(200);

    const after = await api.call<{ pendingPolicies: Pending }>('GET', '/me', { token: signedIn.accessToken });
    expect(after.body.pendingPolicies).toEqual([]);
    // Ayşe has not accepted: still asked.
    const ayseMe = await api.call<{ pendingPolicies: Pending }>('GET', '/me', { token: ayse.accessToken });
    expect(ayseMe.body.pendingPolicies).toHaveLength(2);

    const { tenantId } = (
      await api.call<{ businesses: { tenantId: string }[] }>('GET', '/me', { token: signedIn.accessToken })
    ).body.businesses[0] as { tenantId: string };
    const audit = await api.call<{ entries: { action: string; actorId: string; target: string; detail: unknown }[] }>(
      'GET',
      `/businesses/${tenantId}/audit?action=policy.accepted`,
      { token: signedIn.accessToken },
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map(({ actorId, target, detail }) => ({ actorId, target, detail })).sort()).toEqual(
      expect.arrayContaining([
        {
          actorId: jane.userId,
          target: `policy:terms@${terms.version}`,
          detail: { document: 'terms', version: terms.version },
        },
        {
          actorId: jane.userId,
          target: `policy:privacy@${privacy.version}`,
          detail: { document: 'privacy', version: privacy.version },
        },
      ]),
    );
    expect(audit.body.entries).toHaveLength(2);
  });
});
