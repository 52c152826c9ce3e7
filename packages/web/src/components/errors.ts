import { ERROR_CODES, isErrorCode } from '@asistone/contract/errors';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/client';
import type { tr } from '../i18n/tr';

/** Messages without placeholders (rate_limited has its own branch). */
type ErrorKey = Exclude<keyof typeof tr.errors, 'rate_limited'>;

/** Every code the API answers with has a message of its own (this fails to compile otherwise). */
ERROR_CODES satisfies readonly (keyof typeof tr.errors)[];

/** Per-screen wording for an error code, e.g. `{ not_found: 'invalid_token' }` on a link landing page. */
export type ErrorOverrides = Partial<Record<string, ErrorKey>>;

/** Turns any thrown value into one sentence in the current language. */
export function useDescribeError() {
  const { t } = useTranslation();
  const wait = (seconds: number) =>
    seconds < 60
      ? t('duration.seconds', { count: seconds })
      : t('duration.minutes', { count: Math.ceil(seconds / 60) });

  return (error: unknown, overrides: ErrorOverrides = {}): string => {
    if (error instanceof NetworkError) return t('errors.network');
    if (!(error instanceof ApiError)) return t('errors.generic');
    const override = overrides[error.code];
    if (override) return t(`errors.${override}`);
    // The terms were updated after the page loaded: the person must see and accept them again.
    if (error.code === 'invalid_request' && issuePaths(error.issues).includes('termsVersion')) {
      return t('errors.terms_changed');
    }
    if (error.code === 'rate_limited') {
      return error.retryAfterSeconds
        ? t('errors.rate_limited', { wait: wait(error.retryAfterSeconds) })
        : t('errors.rate_limited_soon');
    }
    // A plan's limit or a read-only business (HTTP 402): the API says which limit and what to
    // do, already in the caller's language.
    if (isBillingRefusal(error)) return error.message || t(`errors.${error.code}`);
    const { code } = error;
    if (isErrorCode(code) && code !== 'rate_limited') return t(`errors.${code}`);
    return error.status >= 500 ? t('errors.internal') : t('errors.generic');
  };
}

function issuePaths(issues: unknown): string[] {
  if (!Array.isArray(issues)) return [];
  return issues.map((issue) => (issue && typeof issue === 'object' ? String((issue as { path?: unknown }).path) : ''));
}

/** The codes of a write refused for the business's plan (HTTP 402). */
const BILLING_REFUSALS = ['plan_limit', 'read_only'] as const;

/** A write refused because of the plan: a limit reached (`plan_limit`) or a read-only business (`read_only`). */
export function isBillingRefusal(error: unknown): error is ApiError & { code: (typeof BILLING_REFUSALS)[number] } {
  return error instanceof ApiError && (BILLING_REFUSALS as readonly string[]).includes(error.code);
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ApiError && error.code === code;
}
