import { UnauthenticatedError } from '../platform/errors.js';
import { type BusinessSummary, businessesOf } from './businesses.js';
import type { AccountsDeps } from './deps.js';
import { accountKeys, loadUser, type Profile, profileOf } from './people.js';

/** The signed-in person and the businesses they can open. */
export async function describeMe(
  deps: Pick<AccountsDeps, 'store' | 'keyring'>,
  userId: string,
): Promise<{ user: Profile; businesses: BusinessSummary[] }> {
  const user = await loadUser(deps, userId);
  if (!user) throw new UnauthenticatedError();
  const [keys, businesses] = await Promise.all([accountKeys(deps), businessesOf(deps, userId)]);
  return { user: profileOf(keys, user), businesses };
}
