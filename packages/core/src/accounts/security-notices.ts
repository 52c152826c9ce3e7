import { DEFAULT_LANGUAGE } from '@asistone/contract/accounts';
import type { AuditAction } from '@asistone/contract/audit';
import { recordInBusinesses } from '../audit/audit-log.js';
import { maskSourceAddress } from '../audit/source-address.js';
import { sealMail } from '../notify/outbound.js';
import { businessIdsOf } from './businesses.js';
import type { AccountsDeps, RequestOrigin } from './deps.js';
import { type SecurityChange, securityNoticeMail } from './mails.js';
import { accountKeys, profileOf, type UserItem } from './people.js';
import { newId } from './secrets.js';

/**
 * Every change to a person's second factor is written to the audit log of each of their
 * businesses and mailed to the account's address: whoever made it, the owner hears of it.
 */

export type NoticeDeps = Pick<AccountsDeps, 'store' | 'keyring' | 'mails' | 'appUrl'>;

const AUDITED_AS: Record<SecurityChange, AuditAction> = {
  'second-factor-enabled': 'auth.second_factor_enabled',
  'second-factor-disabled': 'auth.second_factor_disabled',
  'recovery-codes-regenerated': 'auth.recovery_codes_regenerated',
  'recovery-code-used': 'auth.recovery_code_used',
};

/**
 * Audits the change and queues its notice.
 *
 * @example
 * await noteSecurityChange(deps, user, 'second-factor-enabled', origin);
 */
export async function noteSecurityChange(
  deps: NoticeDeps,
  user: UserItem,
  change: SecurityChange,
  origin: RequestOrigin,
  facts: { codesLeft?: number } = {},
): Promise<void> {
  const at = new Date();
  await recordInBusinesses(deps.store, await businessIdsOf(deps, user.userId), {
    action: AUDITED_AS[change],
    actorId: user.userId,
    target: { type: 'user', id: user.userId },
    sourceAddress: origin.sourceAddress,
    ...(facts.codesLeft === undefined ? {} : { detail: { codesLeft: String(facts.codesLeft) } }),
  });
  const keys = await accountKeys(deps);
  const mail = securityNoticeMail(
    profileOf(keys, user).email,
    change,
    { at, network: maskSourceAddress(origin.sourceAddress), codesLeft: facts.codesLeft },
    deps.appUrl,
    newId('n'),
    user.language ?? DEFAULT_LANGUAGE,
  );
  await deps.mails.enqueue(sealMail(keys, mail));
}

/** Why a re-authentication before a change to the second factor was refused, for the audit log. */
export async function noteRefusedChange(
  deps: Pick<AccountsDeps, 'store'>,
  user: UserItem,
  purpose: 'enable' | 'disable' | 'recovery-codes' | 'account-deletion',
  factor: 'password' | 'second-factor',
  origin: RequestOrigin,
): Promise<void> {
  await recordInBusinesses(deps.store, await businessIdsOf(deps, user.userId), {
    action: 'auth.reauthentication_failed',
    actorId: user.userId,
    target: { type: 'user', id: user.userId },
    sourceAddress: origin.sourceAddress,
    detail: { purpose, factor },
  });
}
