import * as z from 'zod';

import { CURRENT_TERMS_VERSION } from './terms-version.js';

export { CURRENT_TERMS_VERSION };

/** Fields every new account sends: proof of age and the accepted terms. */
export const consentSchema = z.object({
  ageConfirmed: z.literal(true, 'Confirm that you are at least 18'),
  acceptTerms: z.literal(true, 'Accept the terms and the privacy policy'),
  termsVersion: z.literal(CURRENT_TERMS_VERSION, 'The terms have changed: reload the page and accept them again'),
});
