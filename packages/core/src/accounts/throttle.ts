import { RateLimitedError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { AccountsStore } from './records.js';
import { ACCOUNTS_TENANT } from './records.js';

/**
 * Fixed-window attempt limits kept in the table. dynalite has no transactions and no TTL, so
 * each attempt is one conditional increment on the counter of the current window: it fails
 * once the window is full, however many attempts race.
 */
export interface ThrottlePolicy {
  /** Names the counter: `sign-in-account`. */
  name: string;
  limit: number;
  windowSeconds: number;
  message: string;
}

export const POLICIES = {
  signInAccount: {
    name: 'sign-in-account',
    limit: 10,
    windowSeconds: 15 * 60,
    message: 'Too many sign-in attempts for this account. Wait a few minutes and try again.',
  },
  signInAddress: {
    name: 'sign-in-address',
    limit: 50,
    windowSeconds: 15 * 60,
    message: 'Too many sign-in attempts from your network. Wait a few minutes and try again.',
  },
  signUpAddress: {
    name: 'sign-up-address',
    limit: 10,
    windowSeconds: 60 * 60,
    message: 'Too many sign-ups from your network. Try again later.',
  },
  resetAccount: {
    name: 'reset-account',
    limit: 5,
    windowSeconds: 60 * 60,
    message: 'Too many reset requests for this address. Try again later.',
  },
  resetAddress: {
    name: 'reset-address',
    limit: 20,
    windowSeconds: 60 * 60,
    message: 'Too many reset requests from your network. Try again later.',
  },
} as const satisfies Record<string, ThrottlePolicy>;

/**
 * Counts one attempt by `subject` (a blind index, never a raw address or email), or throws
 * {@link RateLimitedError} with the seconds left in the window.
 *
 * @example
 * await takeAttempt(store, POLICIES.signInAccount, emailIndex);
 */
export async function takeAttempt(
  store: AccountsStore,
  policy: ThrottlePolicy,
  subject: string,
  nowMs = Date.now(),
): Promise<void> {
  const window = Math.floor(nowMs / 1000 / policy.windowSeconds);
  const windowEnds = (window + 1) * policy.windowSeconds;
  try {
    await store.entities.throttle
      .update({ tenantId: ACCOUNTS_TENANT, subject: `${policy.name}#${subject}`, window })
      .add({ attempts: 1 })
      .set({ expiresAt: windowEnds })
      .where(({ attempts }, { notExists, lt }) => `${notExists(attempts)} OR ${lt(attempts, policy.limit)}`)
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new RateLimitedError(Math.max(1, windowEnds - Math.floor(nowMs / 1000)), policy.message);
  }
}
