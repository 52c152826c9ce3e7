import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { verifyPassword } from './passwords.js';
import { accountKeys, loadUser, profileOf, type UserItem } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { discardRecoveryCodes, issueRecoveryCodes, recoveryCodesLeft, spendRecoveryCode } from './recovery-codes.js';
import { type NoticeDeps, noteRefusedChange, noteSecurityChange } from './security-notices.js';
import { POLICIES, takeAttempt } from './throttle.js';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.js';

/**
 * Optional second factor: a TOTP secret sealed on the account, set up in two steps, with
 * one-time recovery codes for a lost phone. Turning it on or off and new recovery codes take
 * the password again (and a current code when it is on), so a borrowed session can neither
 * lock the owner out nor remove the factor; each change is audited and mailed to the account.
 */

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

/** What a person offers as second factor: a code from the app, or a recovery code. */
export interface SecondFactorProof {
  totp?: string | undefined;
  recoveryCode?: string | undefined;
}

/**
 * Checks the second factor, at sign-in or before a change: an app code through
 * {@link useTotpCode}, or a recovery code, spent (and audited and mailed) once.
 */
export async function passSecondFactor(
  deps: NoticeDeps,
  user: UserItem,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<boolean> {
  if (proof.totp !== undefined) return useTotpCode(deps, user, proof.totp);
  if (proof.recoveryCode === undefined || !(await spendRecoveryCode(deps, user, proof.recoveryCode))) return false;
  await noteSecurityChange(deps, user, 'recovery-code-used', origin, {
    codesLeft: await recoveryCodesLeft(deps, user),
  });
  return true;
}

/** The password again, and one current code when the factor is on (an app code or a recovery code). */
export interface Reauthentication {
  password: string;
  code: string;
}

/** What the proof is for, in the audit entry of a refusal (deleting the business: privacy/account-deletion.ts). */
export type Purpose = 'enable' | 'disable' | 'recovery-codes' | 'account-deletion';

/**
 * Proves the person at the keyboard is the account's owner, not only a session: each attempt
 * takes a slot of the same limit sign-in has (counted before any check, so racing requests
 * cannot pass it), and each refusal is audited.
 */
export async function reauthenticate(
  deps: NoticeDeps,
  user: UserItem,
  proof: Reauthentication,
  purpose: Purpose,
  origin: RequestOrigin,
): Promise<void> {
  // The subject is the account id: opaque, and only this signed-in person can spend its slots.
  await takeAttempt(deps.store, POLICIES.secondFactorChange, user.userId);
  if (!(await verifyPassword(proof.password, user.passwordHash))) {
    await noteRefusedChange(deps, user, purpose, 'password', origin);
    throw new ValidationError('The password is incorrect', ['password']);
  }
  if (!user.totpSecret) return;
  const offered = /^\d{6}$/.test(proof.code) ? { totp: proof.code } : { recoveryCode: proof.code };
  if (!(await passSecondFactor(deps, user, offered, origin))) {
    await noteRefusedChange(deps, user, purpose, 'second-factor', origin);
    throw new ValidationError('The code is incorrect or was already used', ['code']);
  }
}

/**
 * Step two: the password and a first code from the app turn the second factor on, and the
 * recovery codes are issued (returned this once).
 */
export async function enableTotp(
  deps: NoticeDeps,
  userId: string,
  proof: Reauthentication,
  origin: RequestOrigin,
): Promise<{ recoveryCodes: string[] }> {
  const user = await requireUser(deps, userId);
  if (user.totpSecret) throw new ConflictError('Two-step sign-in is already on');
  if (!user.pendingTotpSecret) throw new ConflictError('Start the setup first');
  await reauthenticate(deps, user, proof, 'enable', origin);
  if (!(await useTotpCode(deps, user, proof.code, true))) {
    await noteRefusedChange(deps, user, 'enable', 'second-factor', origin);
    throw new ValidationError('The code is incorrect', ['code']);
  }
  const keys = await accountKeys(deps);
  const secret = keys.open('user', 'pendingTotpSecret', userId, user.pendingTotpSecret);
  // The codes exist before the factor is on, so nobody is ever left with a factor and no way back.
  const recoveryCodes = await issueRecoveryCodes(deps, userId);
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ totpSecret: keys.seal('user', 'totpSecret', userId, secret) })
    .remove(['pendingTotpSecret'])
    .go({ response: 'none' });
  await noteSecurityChange(deps, user, 'second-factor-enabled', origin);
  return { recoveryCodes };
}

/** Turning it off takes the password and a current code (or a recovery code). */
export async function disableTotp(
  deps: NoticeDeps,
  userId: string,
  proof: Reauthentication,
  origin: RequestOrigin,
): Promise<void> {
  const user = await requireUser(deps, userId);
  if (!user.totpSecret) throw new ConflictError('Two-step sign-in is already off');
  await reauthenticate(deps, user, proof, 'disable', origin);
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .remove(['totpSecret', 'recoveryCodeSet'])
    .go({ response: 'none' });
  await discardRecoveryCodes(deps, userId);
  await noteSecurityChange(deps, user, 'second-factor-disabled', origin);
}

/** A new set of recovery codes (the previous ones stop working), with the password and a current code. */
export async function regenerateRecoveryCodes(
  deps: NoticeDeps,
  userId: string,
  proof: Reauthentication,
  origin: RequestOrigin,
): Promise<{ recoveryCodes: string[] }> {
  const user = await requireUser(deps, userId);
  if (!user.totpSecret) throw new ConflictError('Turn on two-step sign-in first');
  await reauthenticate(deps, user, proof, 'recovery-codes', origin);
  const recoveryCodes = await issueRecoveryCodes(deps, userId);
  await noteSecurityChange(deps, user, 'recovery-codes-regenerated', origin);
  return { recoveryCodes };
}

/** Whether the second factor is on, and how many recovery codes are left. */
export async function describeSecondFactor(
  deps: Deps,
  userId: string,
): Promise<{ totpEnabled: boolean; recoveryCodesLeft: number }> {
  const user = await requireUser(deps, userId);
  const totpEnabled = Boolean(user.totpSecret);
  return { totpEnabled, recoveryCodesLeft: totpEnabled ? await recoveryCodesLeft(deps, user) : 0 };
}
