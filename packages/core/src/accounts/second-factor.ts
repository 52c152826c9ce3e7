import { recordInBusinesses } from '../audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { businessIdsOf } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { accountKeys, loadUser, profileOf, type UserItem } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';

/** Optional second factor: a TOTP secret sealed on the account, set up in two steps. */

type Deps = Pick<AccountsDeps, 'store' | 'keyring'>;

async function requireUser(deps: Deps, userId: string): Promise<UserItem> {
  const user = await loadUser(deps, userId);
  if (!user) throw new NotFoundError('No such account');
  return user;
}

/**
 * Checks a code against the account's secret (`pending` during setup) and spends its time
 * step with a conditional write, so a code seen over someone's shoulder cannot be replayed.
 */
export async function useTotpCode(deps: Deps, user: UserItem, code: string, pending = false): Promise<boolean> {
  const sealed = pending ? user.pendingTotpSecret : user.totpSecret;
  if (!sealed) return false;
  const keys = await accountKeys(deps);
  const secret = keys.open('user', pending ? 'pendingTotpSecret' : 'totpSecret', user.userId, sealed);
  const step = matchTotp(secret, code, Date.now());
  if (step === undefined) return false;
  try {
    await deps.store.entities.user
      .patch({ tenantId: ACCOUNTS_TENANT, userId: user.userId })
      .set({ totpLastStep: step })
      .where(({ totpLastStep }, { notExists, lt }) => `${notExists(totpLastStep)} OR ${lt(totpLastStep, step)}`)
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Step one: a new secret for the authenticator app, kept aside until a code proves it works. */
export async function setUpTotp(deps: Deps, userId: string): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await requireUser(deps, userId);
  if (user.totpSecret) throw new ConflictError('Two-step sign-in is already on: turn it off first');
  const keys = await accountKeys(deps);
  const secret = newTotpSecret();
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ pendingTotpSecret: keys.seal('user', 'pendingTotpSecret', userId, secret) })
    .go({ response: 'none' });
  return { secret, otpauthUrl: otpauthUrl(secret, profileOf(keys, user).email) };
}

/** Step two: a valid code from the app turns the second factor on. */
export async function enableTotp(deps: Deps, userId: string, code: string, origin: RequestOrigin): Promise<void> {
  const user = await requireUser(deps, userId);
  if (user.totpSecret) throw new ConflictError('Two-step sign-in is already on');
  if (!user.pendingTotpSecret) throw new ConflictError('Start the setup first');
  if (!(await useTotpCode(deps, user, code, true))) throw new ValidationError('The code is incorrect', ['code']);
  const keys = await accountKeys(deps);
  const secret = keys.open('user', 'pendingTotpSecret', userId, user.pendingTotpSecret);
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ totpSecret: keys.seal('user', 'totpSecret', userId, secret) })
    .remove(['pendingTotpSecret'])
    .go({ response: 'none' });
  await recordInBusinesses(deps.store, await businessIdsOf(deps, userId), {
    action: 'auth.second_factor_enabled',
    actorId: userId,
    sourceAddress: origin.sourceAddress,
  });
}

/** Turning it off takes a current code, so a borrowed session alone cannot do it. */
export async function disableTotp(deps: Deps, userId: string, code: string, origin: RequestOrigin): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!user.totpSecret) throw new ConflictError('Two-step sign-in is already off');
  if (!(await useTotpCode(deps, user, code))) throw new ValidationError('The code is incorrect', ['code']);
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .remove(['totpSecret'])
    .go({ response: 'none' });
  await recordInBusinesses(deps.store, await businessIdsOf(deps, userId), {
    action: 'auth.second_factor_disabled',
    actorId: userId,
    sourceAddress: origin.sourceAddress,
  });
}
