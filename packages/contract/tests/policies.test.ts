import { describe, expect, it } from 'vitest';
import { CURRENT_TERMS_VERSION, consentSchema } from '../src/accounts.js';
import {
  currentPolicyVersion,
  currentTermsVersion,
  declarationProblems,
  POLICY_DOCUMENTS,
  POLICY_MESSAGES,
  POLICY_VERSIONS,
  type PolicyVersions,
  policyAcceptanceBody,
  versionInForceOn,
} from '../src/policies.js';

/**
 * The published versions of the terms and the privacy policy are declared once: the declaration
 * checks out, sign-up's version follows from it, and accepting takes only a current version.
 */
describe('the policy versions declaration', () => {
  it('is well formed: dated versions in order, each with its changes in Turkish and English', () => {
    expect(declarationProblems()).toEqual([]);
    for (const document of POLICY_DOCUMENTS) expect(POLICY_VERSIONS[document].length).toBeGreaterThan(0);
  });

  it('finds what a declaration gets wrong', () => {
    const broken: PolicyVersions = {
      terms: [
        { version: '2026-03-01', publishedOn: '2026-03-01', changes: { tr: ['a'], en: ['a', 'b'] } },
        { version: '2026-02-01', publishedOn: '2026-01-01', changes: { tr: [], en: [] } },
      ],
      privacy: [{ version: 'soon', publishedOn: 'soon', changes: { tr: ['x'], en: ['x'] } }],
    };
    expect(declarationProblems(broken)).toEqual([
      'terms 2026-03-01: TR and EN list differ in length',
      'terms 2026-02-01: published before its own date',
      'terms 2026-02-01: not newer than 2026-03-01',
      'terms 2026-02-01: no changes listed',
      'privacy soon: not a date',
      'privacy soon: publishedOn is not a date',
    ]);
  });

  it('gives sign-up the newest current version of the two, which accepts each current one', () => {
    expect(CURRENT_TERMS_VERSION).toBe(currentTermsVersion());
    for (const document of POLICY_DOCUMENTS) {
      expect(CURRENT_TERMS_VERSION >= currentPolicyVersion(document).version).toBe(true);
      expect(versionInForceOn(document, CURRENT_TERMS_VERSION)).toBe(currentPolicyVersion(document).version);
    }
    expect(
      consentSchema.safeParse({ ageConfirmed: true, acceptTerms: true, termsVersion: CURRENT_TERMS_VERSION }).success,
    ).toBe(true);
  });

  it('accepts only the current version of a known document', () => {
    const current = currentPolicyVersion('privacy').version;
    expect(policyAcceptanceBody.parse({ document: 'privacy', version: current })).toEqual({
      document: 'privacy',
      version: current,
    });
    const old = policyAcceptanceBody.safeParse({ document: 'privacy', version: '2020-01-01' });
    expect(old.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['version'], message: POLICY_MESSAGES.notCurrent },
    ]);
    expect(policyAcceptanceBody.safeParse({ document: 'cookies', version: current }).success).toBe(false);
  });
});
