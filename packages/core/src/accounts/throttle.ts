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
  /**
   * Failed sign-ins for one account from one address. Counted per pair, never per account
   * alone: strangers guessing from their addresses use up only their own allowance, so they
   * cannot keep the account's owner out.
   */
  signInAccountFromAddress: {
    name: 'sign-in-account-address',
    limit: 10,
    windowSeconds: 15 * 60,
    message: 'Too many sign-in attempts for this account. Wait a few minutes and try again.',
  },
  /** Failed sign-ins from one address, whatever the accounts: one address cannot spray many. */
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
  /**
   * Turning the second factor on or off and new recovery codes: a password and a code are
   * checked, so a stolen session gets as few guesses as a sign-in does.
   */
  secondFactorChange: {
    name: 'second-factor-change',
    limit: 10,
    windowSeconds: 15 * 60,
    message: 'Too many attempts to change two-step verification. Wait a few minutes and try again.',
  },
} as const satisfies Record<string, ThrottlePolicy>;

/** An attempt counted by {@link takeAttempt}, to hand back with {@link giveBackAttempt}. */
export interface TakenAttempt {
  policy: ThrottlePolicy;
  subject: string;
  window: number;
}

function counterKey(policy: ThrottlePolicy, subject: string, window: number) {
  return { tenantId: ACCOUNTS_TENANT, subject: `${policy.name}#${subject}`, window };
}

/**
 * Counts one attempt by `subject` (a blind index, never a raw address or email), or throws
 * {@link RateLimitedError} with the seconds left in the window.
 *
 * @example
 * const attempt = await takeAttempt(store, POLICIES.signInAddress, addressIndex);
 */
export async function takeAttempt(
  store: AccountsStore,
  policy: ThrottlePolicy,
  subject: string,
  nowMs = Date.now(),
): Promise<TakenAttempt> {
  const window = Math.floor(nowMs / 1000 / policy.windowSeconds);
  const windowEnds = (window + 1) * policy.windowSeconds;
  try {
    await store.entities.throttle
      .update(counterKey(policy, subject, window))
      .add({ attempts: 1 })
      .set({ expiresAt: windowEnds })
      .where(({ attempts }, { notExists, lt }) => `${notExists(attempts)} OR ${lt(attempts, policy.limit)}`)
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new RateLimitedError(Math.max(1, windowEnds - Math.floor(nowMs / 1000)), policy.message);
  }
  return { policy, subject, window };
}

/**
 * Uncounts an attempt that turned out not to be a failure (a correct password). Limits that
 * count only failures take the slot first and hand it back after: counting after the check
 * instead would let a burst of parallel guesses all pass a counter that has not moved yet.
 * The slot goes back to the window it was taken from, and a counter never goes below zero.
 *
 * @example
 * const attempt = await takeAttempt(store, POLICIES.signInAddress, addressIndex);
 * if (await verifyPassword(password, hash)) await giveBackAttempt(store, attempt);
 */
export async function giveBackAttempt(store: AccountsStore, attempt: TakenAttempt): Promise<void> {
  try {
    await store.entities.throttle
      .update(counterKey(attempt.policy, attempt.subject, attempt.window))
      .subtract({ attempts: 1 })
      .where(({ attempts }, { gt }) => gt(attempts, 0))
      .go({ response: 'none' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
