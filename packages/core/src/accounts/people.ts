import type { Language } from '@asistone/contract/accounts';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import type { AccountsDeps } from './deps.js';
import { ACCOUNTS_TENANT } from './records.js';

/** Addresses compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * An address shown to someone who may not own it: `a***@e***.com`.
 *
 * @example
 * maskEmail('ayse@example.com') // 'a***@e***.com'
 */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = normalizeEmail(email).split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}

const provisioned = new WeakMap<object, Promise<void>>();

/** The accounts tenant's keys; its data key is provisioned on first use. */
export async function accountKeys(deps: Pick<AccountsDeps, 'keyring'>): Promise<TenantKeys> {
  let ready = provisioned.get(deps.keyring);
  if (!ready) {
    ready = deps.keyring.provision(ACCOUNTS_TENANT);
    provisioned.set(deps.keyring, ready);
    ready.catch(() => provisioned.delete(deps.keyring));
  }
  await ready;
  return deps.keyring.forTenant(ACCOUNTS_TENANT);
}

export function emailIndexOf(keys: TenantKeys, email: string): string {
  return keys.blindIndex('email', normalizeEmail(email));
}

export async function findUserByEmail(deps: Pick<AccountsDeps, 'store' | 'keyring'>, email: string) {
  const keys = await accountKeys(deps);
  return findUserByEmailIndex(deps, emailIndexOf(keys, email));
}

/** The account behind an address's blind index, for code that never holds the address itself. */
export async function findUserByEmailIndex(deps: Pick<AccountsDeps, 'store'>, emailIndex: string) {
  const lookup = await deps.store.entities.accountEmail.get({ tenantId: ACCOUNTS_TENANT, emailIndex }).go();
  return lookup.data ? loadUser(deps, lookup.data.userId) : undefined;
}

export async function loadUser(deps: Pick<AccountsDeps, 'store'>, userId: string) {
  const user = await deps.store.entities.user.get({ tenantId: ACCOUNTS_TENANT, userId }).go();
  return user.data ?? undefined;
}

export type UserItem = NonNullable<Awaited<ReturnType<typeof loadUser>>>;

export interface Profile {
  id: string;
  name: string;
  email: string;
  totpEnabled: boolean;
}

export function profileOf(keys: TenantKeys, user: UserItem): Profile {
  return {
    id: user.userId,
    name: keys.open('user', 'name', user.userId, user.name),
    email: keys.open('user', 'email', user.userId, user.email),
    totpEnabled: Boolean(user.totpSecret),
  };
}

export interface NewAccount {
  userId: string;
  name: string;
  email: string;
  passwordHash: string;
  termsVersion?: string;
  termsAcceptedAt?: number;
  /** The language of the person's mails, as their app was when they signed up or joined. */
  language?: Language | undefined;
}

/**
 * Creates an account whose address is proven (a confirmed sign-up or an accepted invite).
 * The account first, then the address claim, conditionally: a retry with the same id
 * continues where it stopped, and an address already claimed by another account fails with
 * {@link ConflictError}, leaving nothing behind.
 */
export async function createAccount(deps: Pick<AccountsDeps, 'store' | 'keyring'>, account: NewAccount): Promise<void> {
  const keys = await accountKeys(deps);
  const emailIndex = emailIndexOf(keys, account.email);
  const { userId } = account;
  await deps.store.entities.user
    .create({
      tenantId: ACCOUNTS_TENANT,
      userId,
      name: keys.seal('user', 'name', userId, account.name),
      email: keys.seal('user', 'email', userId, normalizeEmail(account.email)),
      emailIndex,
      passwordHash: account.passwordHash,
      termsVersion: account.termsVersion,
      termsAcceptedAt: account.termsAcceptedAt,
      ageConfirmedAt: account.termsAcceptedAt,
      language: account.language,
    })
    .go()
    .catch(ignoreExisting);
  try {
    await deps.store.entities.accountEmail.create({ tenantId: ACCOUNTS_TENANT, emailIndex, userId }).go();
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const claim = await deps.store.entities.accountEmail.get({ tenantId: ACCOUNTS_TENANT, emailIndex }).go();
    if (claim.data?.userId === userId) return;
    await deps.store.entities.user.delete({ tenantId: ACCOUNTS_TENANT, userId }).go();
    throw new ConflictError('An account with this email address already exists: sign in instead');
  }
}

/** For idempotent creates: an item that already exists is the one a previous try wrote. */
export function ignoreExisting(error: unknown): void {
  if (!isConditionFailure(error)) throw error;
}
