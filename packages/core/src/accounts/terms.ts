import { z } from 'zod';

/**
 * The version of the terms and privacy policy a person accepts today: the policy's "last
 * updated" date. Raise it when the published policy changes; sign-ups naming an older version
 * are refused, so the recorded version is always one the person was shown.
 */
export const CURRENT_TERMS_VERSION = '2026-01-21';

/** Fields every new account sends: proof of age and the accepted terms. */
export const consentSchema = z.object({
  ageConfirmed: z.literal(true, 'Confirm that you are at least 18'),
  acceptTerms: z.literal(true, 'Accept the terms and the privacy policy'),
  termsVersion: z.literal(CURRENT_TERMS_VERSION, 'The terms have changed: reload the page and accept them again'),
});
