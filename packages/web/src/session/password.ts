/** The API's minimum password length (`passwordSchema` in core/accounts/passwords.ts). */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * The terms and privacy policy version shown and accepted at sign-up; the API refuses any
 * other (`CURRENT_TERMS_VERSION` in core/accounts/terms.ts, which imports zod, so it is not
 * imported into the bundle). The browser test's sign-up fails if the two drift.
 */
export const TERMS_VERSION = '2026-01-21';
