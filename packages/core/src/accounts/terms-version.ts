/**
 * The version of the terms and privacy policy a person accepts today: the policy's "last
 * updated" date. Raise it when the published policy changes; sign-ups naming an older version
 * are refused, so the recorded version is always one the person was shown. Kept free of
 * imports so the web app can use it too.
 */
export const CURRENT_TERMS_VERSION = '2026-01-21';
