import { DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import type { OutgoingMail } from '../notify/mailer.js';
import { type MailQueue, sealMail } from '../notify/outbound.js';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { effectiveRole, ownerOf } from './businesses.js';
import { accountKeys, loadUser, profileOf } from './people.js';
import type { AccountsStore } from './records.js';

/**
 * Mails to a business's owners and admins, each in their own language: the notices the product
 * sends about the business itself (a channel's or an ad account's sign-in lapsing, low stock, a
 * failed payment). Kept with the accounts, which every area may build on.
 */

export interface ManagerMailDeps {
  /** Accounts: the members, their roles and their addresses. */
  store: AccountsStore;
  keyring: TenantKeyring;
  mails: MailQueue;
  appUrl: string;
}

/**
 * Queues one mail to every owner and admin of the business, each in their language (`build`
 * writes it); answers how many were queued. Each is sealed with the business's key, as
 * invitations are.
 */
export async function queueManagerMails(
  deps: Pick<ManagerMailDeps, 'store' | 'keyring' | 'mails'>,
  tenantId: string,
  build: (to: string, language: Language, userId: string) => OutgoingMail,
): Promise<number> {
  const [memberships, ownerId] = await Promise.all([
    deps.store.entities.membership.query.byBusiness({ tenantId }).go({ pages: 'all' }),
    ownerOf(deps, tenantId),
  ]);
  const managers = memberships.data.filter((membership) =>
    ['owner', 'admin'].includes(effectiveRole(membership.role, ownerId, membership.userId)),
  );
  if (managers.length === 0) return 0;
  const people = await accountKeys(deps);
  const keys = await deps.keyring.forTenant(tenantId);
  let queued = 0;
  for (const { userId } of managers) {
    const user = await loadUser(deps, userId);
    if (!user) continue;
    await deps.mails.enqueue(
      sealMail(keys, build(profileOf(people, user).email, user.language ?? DEFAULT_LANGUAGE, userId)),
    );
    queued++;
  }
  return queued;
}
