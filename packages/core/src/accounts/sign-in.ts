import type { signInBody } from '@asistone/contract/auth';
import type * as z from 'zod';
import { recordInBusinesses } from '../audit/audit-log.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { type BusinessSummary, businessesOf, businessIdsOf } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { EmailNotVerifiedError, InvalidCredentialsError, TotpRequiredError } from './errors.js';
import { spendPasswordCheck, verifyPassword } from './passwords.js';
import { accountKeys, emailIndexOf, findUserByEmailIndex, type Profile, profileOf, type UserItem } from './people.js';
import { passSecondFactor } from './second-factor.js';
import { type IssuedTokens, startSession } from './sessions.js';
import { pendingSignUpFor } from './sign-up.js';
import { giveBackAttempt, POLICIES, type TakenAttempt, takeAttempt } from './throttle.js';

export type SignIn = z.output<typeof signInBody>;

export interface SignedIn extends IssuedTokens {
  user: Profile;
  businesses: BusinessSummary[];
}

/**
 * Signs a person in. Each attempt first takes a slot from two limits on failures: for this
 * account from this address, and for this address overall; a correct password (and a passed
 * second-factor check) hands both back. Nothing counts per account alone, so strangers
 * guessing from elsewhere cannot lock its owner out. Every path, known address or not, takes
 * the same slots and spends exactly one password hash, and failures share one message, so
 * neither words nor timing reveal which addresses have accounts.
 */
export async function signIn(deps: AccountsDeps, input: SignIn, origin: RequestOrigin): Promise<SignedIn> {
  const keys = await accountKeys(deps);
  const emailIndex = emailIndexOf(keys, input.email);
  const attempts = await takeSignInAttempts(deps, keys, emailIndex, origin);

  const user = await findUserByEmailIndex(deps, emailIndex);
  if (!user) return refuseUnknown(deps, input, attempts);

  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordFailure(deps, user, origin, 'password');
    throw new InvalidCredentialsError();
  }
  if (user.totpSecret) {
    // A recovery code stands in for the app's code: a lost phone is not a lost account.
    if (!input.totp && !input.recoveryCode) {
      // The password was right: asking for the code is the normal first step, not a failure.
      await giveBack(deps, attempts);
      throw new TotpRequiredError();
    }
    if (!(await passSecondFactor(deps, user, input, origin))) {
      await recordFailure(deps, user, origin, 'second-factor');
      throw new InvalidCredentialsError('The code is incorrect or was already used');
    }
  }
  await giveBack(deps, attempts);

  const tokens = await startSession(deps, user.userId, origin);
  const businesses = await businessesOf(deps, user.userId);
  await recordInBusinesses(
    deps.store,
    businesses.map((business) => business.tenantId),
    { action: 'auth.sign_in', actorId: user.userId, sourceAddress: origin.sourceAddress },
  );
  deps.log.info('signed in', { userId: user.userId });
  return { ...tokens, user: profileOf(keys, user), businesses };
}

/**
 * Takes a slot for this account from this address, then one for the address. Both subjects
 * are blind indexes. A request with no address (never the case behind the gateway or
 * CloudFront) shares one marker, so it is still limited.
 */
async function takeSignInAttempts(
  deps: AccountsDeps,
  keys: TenantKeys,
  emailIndex: string,
  origin: RequestOrigin,
): Promise<TakenAttempt[]> {
  const addressIndex = origin.sourceAddress ? keys.blindIndex('address', origin.sourceAddress) : 'no-address';
  const fromAddress = await takeAttempt(deps.store, POLICIES.signInAccountFromAddress, `${emailIndex}.${addressIndex}`);
  try {
    return [fromAddress, await takeAttempt(deps.store, POLICIES.signInAddress, addressIndex)];
  } catch (error) {
    // Refused for the address: this attempt was never made, so it does not count for the pair.
    await giveBack(deps, [fromAddress]);
    throw error;
  }
}

async function giveBack(deps: AccountsDeps, attempts: TakenAttempt[]): Promise<void> {
  await Promise.all(attempts.map((attempt) => giveBackAttempt(deps.store, attempt)));
}

/** No account: maybe an unconfirmed sign-up (told only to whoever knows its password). */
async function refuseUnknown(deps: AccountsDeps, input: SignIn, attempts: TakenAttempt[]): Promise<never> {
  const pending = await pendingSignUpFor(deps, input.email);
  const matches = pending
    ? await verifyPassword(input.password, pending.passwordHash)
    : await spendPasswordCheck(input.password);
  deps.log.info('sign-in refused', { reason: matches ? 'email not verified' : 'no such account' });
  if (!matches) throw new InvalidCredentialsError();
  await giveBack(deps, attempts);
  throw new EmailNotVerifiedError();
}

async function recordFailure(deps: AccountsDeps, user: UserItem, origin: RequestOrigin, factor: string) {
  await recordInBusinesses(deps.store, await businessIdsOf(deps, user.userId), {
    action: 'auth.sign_in_failed',
    actorId: user.userId,
    target: { type: 'user', id: user.userId },
    sourceAddress: origin.sourceAddress,
    detail: { factor },
  });
  deps.log.info('sign-in refused', { reason: `wrong ${factor}`, userId: user.userId });
}
