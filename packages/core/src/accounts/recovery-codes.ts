import { randomBytes } from 'node:crypto';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { AccountsDeps } from './deps.js';
import { accountKeys, type UserItem } from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId } from './secrets.js';

/**
 * One-time recovery codes: the way back in for a person whose authenticator app is gone. A
 * set of ten is issued when the second factor is turned on (and again on request); each code
 * works once, in place of a code from the app.
 */
export const RECOVERY_CODES_PER_SET = 10;

// 32 symbols, so each random byte maps to one symbol without bias; no 0/1 to confuse with o/l.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

type Deps = Pick<AccountsDeps, 'store' | 'keyring'>;

/**
 * A new code: 50 random bits as `abcde-fghij` (the contract's `RECOVERY_CODE_PATTERN`).
 * Guessing one online, ten attempts per quarter hour, is out of reach.
 */
export function newRecoveryCode(): string {
  let code = '';
  for (const byte of randomBytes(10)) code += ALPHABET[byte & 31];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** People type codes back with or without the hyphen, with spaces, in either case. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, '');
}

/**
 * The stored form: a keyed hash under the accounts key, bound to the person. The codes carry
 * 50 random bits, so no slow hash is needed; the key means a table dump cannot even be
 * searched offline, and the user id keeps one person's code from matching in another account.
 */
function codeHash(keys: TenantKeys, userId: string, code: string): string {
  return keys.blindIndex('recovery-code', `${userId}:${normalizeRecoveryCode(code)}`);
}

async function codesOf(deps: Pick<Deps, 'store'>, userId: string) {
  const codes = await deps.store.entities.recoveryCode.query
    .byUser({ tenantId: ACCOUNTS_TENANT, userId })
    .go({ pages: 'all' });
  return codes.data;
}

/**
 * Issues a new set and returns its codes, the only time they exist in clear. The codes are
 * written first and the person's `recoveryCodeSet` switched last, in one write: a failure half
 * way leaves the previous set working, and after the switch no code of any other set works.
 */
export async function issueRecoveryCodes(deps: Deps, userId: string): Promise<string[]> {
  const keys = await accountKeys(deps);
  const setId = newId('c');
  const codes = Array.from({ length: RECOVERY_CODES_PER_SET }, newRecoveryCode);
  await Promise.all(
    codes.map((code) =>
      deps.store.entities.recoveryCode
        .create({ tenantId: ACCOUNTS_TENANT, userId, codeHash: codeHash(keys, userId, code), setId })
        .go({ response: 'none' }),
    ),
  );
  await deps.store.entities.user
    .patch({ tenantId: ACCOUNTS_TENANT, userId })
    .set({ recoveryCodeSet: setId })
    .go({ response: 'none' });
  await discardRecoveryCodes(deps, userId, setId);
  return codes;
}

/**
 * Deletes the codes of every set but `keep` (all of them without it). Only tidying: codes
 * outside the person's `recoveryCodeSet` already no longer work.
 */
export async function discardRecoveryCodes(deps: Pick<Deps, 'store'>, userId: string, keep?: string): Promise<void> {
  const stale = (await codesOf(deps, userId)).filter((code) => code.setId !== keep);
  if (stale.length === 0) return;
  await deps.store.entities.recoveryCode
    .delete(stale.map(({ tenantId, codeHash }) => ({ tenantId, userId, codeHash })))
    .go();
}

/**
 * Spends a code of the person's live set. One conditional write: the code must exist, belong
 * to that set and be unused, so of any number of concurrent uses of one code at most one
 * succeeds.
 */
export async function spendRecoveryCode(deps: Deps, user: UserItem, code: string): Promise<boolean> {
  const setId = user.recoveryCodeSet;
  if (!setId || normalizeRecoveryCode(code).length !== 10) return false;
  const keys = await accountKeys(deps);
  try {
    await deps.store.entities.recoveryCode
      .patch({ tenantId: ACCOUNTS_TENANT, userId: user.userId, codeHash: codeHash(keys, user.userId, code) })
      .set({ usedAt: Date.now() })
      .where((attributes, { notExists, eq }) => `${notExists(attributes.usedAt)} AND ${eq(attributes.setId, setId)}`)
      .go({ response: 'none' });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** How many codes of the person's live set are still unused. */
export async function recoveryCodesLeft(deps: Pick<Deps, 'store'>, user: UserItem): Promise<number> {
  if (!user.recoveryCodeSet) return 0;
  const codes = await codesOf(deps, user.userId);
  return codes.filter((code) => code.setId === user.recoveryCodeSet && code.usedAt === undefined).length;
}
