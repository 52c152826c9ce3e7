/** The API's minimum password length (`passwordSchema` in core/accounts/passwords.ts). */
export const MIN_PASSWORD_LENGTH = 10;

/** The terms and privacy policy version shown and accepted at sign-up; the API refuses any other. */
export { CURRENT_TERMS_VERSION as TERMS_VERSION } from '@asistone/core/accounts/terms-version';
