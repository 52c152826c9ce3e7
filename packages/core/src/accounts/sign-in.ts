import type { signInBody } from '@asistone/contract/auth';
import type * as z from 'zod';
import { recordInBusinesses } from '../audit/audit-log.js';
import { type BusinessSummary, businessesOf, businessIdsOf } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { EmailNotVerifiedError, InvalidCredentialsError, TotpRequiredError } from './errors.js';
import { spendPasswordCheck, verifyPassword } from './passwords.js';
import { accountKeys, emailIndexOf, findUserByEmail, type Profile, profileOf, type UserItem } from './people.js';
import { useTotpCode } from './second-factor.js';
import { type IssuedTokens, startSession } from './sessions.js';
import { pendingSignUpFor } from './sign-up.js';
import { POLICIES, takeAttempt } from './throttle.js';

export type SignIn = z.output<typeof signInBody>;

export interface SignedIn extends IssuedTokens {
  user: Profile;
  businesses: BusinessSummary[];
}

/**
 * Signs a person in. Every attempt first takes a slot from the per-address and per-account
 * limits; every path, known address or not, spends exactly one password hash, and failures
 * share one message, so neither words nor timing reveal which addresses have accounts.
 */
export async function signIn(deps: AccountsDeps, input: SignIn, origin: RequestOrigin): Promise<SignedIn> {
  const keys = await accountKeys(deps);
  if (origin.sourceAddress) {
    await takeAttempt(deps.store, POLICIES.signInAddress, keys.blindIndex('address', origin.sourceAddress));
  }
  await takeAttempt(deps.store, POLICIES.signInAccount, emailIndexOf(keys, input.email));

  const user = await findUserByEmail(deps, input.email);
  if (!user) return refuseUnknown(deps, input);

  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordFailure(deps, user, origin, 'password');
    throw new InvalidCredentialsError();
  }
  if (user.totpSecret) {
    if (!input.totp) throw new TotpRequiredError();
    if (!(await useTotpCode(deps, user, input.totp))) {
      await recordFailure(deps, user, origin, 'second-factor');
      throw new InvalidCredentialsError('The code is incorrect or was already used');
    }
  }

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

/** No account: maybe an unconfirmed sign-up (told only to whoever knows its password). */
async function refuseUnknown(deps: AccountsDeps, input: SignIn): Promise<never> {
  const pending = await pendingSignUpFor(deps, input.email);
  const matches = pending
    ? await verifyPassword(input.password, pending.passwordHash)
    : await spendPasswordCheck(input.password);
  deps.log.info('sign-in refused', { reason: matches ? 'email not verified' : 'no such account' });
  throw matches ? new EmailNotVerifiedError() : new InvalidCredentialsError();
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
