import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import { RateLimitedError, ValidationError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { NetgsmBusyError, type NetgsmClient, type NetgsmCredentials, NetgsmRefusedError } from './netgsm.js';
import type { SmsAccountRecord } from './records.js';

/**
 * The business's NetGSM account, as the settings page saves and shows it. The password is
 * sealed with the business's key and never leaves: the view says only whether one is stored.
 */

export interface SmsAccountDeps {
  store: Store<{ smsAccount: typeof SmsAccountRecord }>;
  keyring: Pick<TenantKeyring, 'forTenant'>;
  netgsm: NetgsmClient;
}

export interface SmsAccountInput {
  usercode: string;
  /** Omitted when changing only the header: the stored password is kept. */
  password?: string | undefined;
  msgheader: string;
}

export interface SmsAccountView {
  configured: boolean;
  usercode?: string;
  msgheader?: string;
  passwordSet: boolean;
  updatedAt?: number;
}

/**
 * Sealing context: the business's key, this record and field, so a copied value does not open.
 * The user code is often the merchant's own phone number, so it is sealed like the password.
 */
type Keys = Pick<TenantKeys, 'seal' | 'open'>;
const seal = (keys: Keys, field: 'usercode' | 'password', value: string) =>
  keys.seal('smsAccount', field, 'netgsm', value);
const open = (keys: Keys, field: 'usercode' | 'password', sealed: string) =>
  keys.open('smsAccount', field, 'netgsm', sealed);

/** What the settings page shows: never the password. */
export async function smsAccountView(
  deps: Pick<SmsAccountDeps, 'store' | 'keyring'>,
  tenantId: string,
): Promise<SmsAccountView> {
  const account = (await deps.store.entities.smsAccount.get({ tenantId }).go()).data;
  if (!account) return { configured: false, passwordSet: false };
  const keys = await deps.keyring.forTenant(tenantId);
  return {
    configured: true,
    usercode: open(keys, 'usercode', account.usercode),
    msgheader: account.msgheader,
    passwordSet: true,
    updatedAt: account.updatedAt,
  };
}

/** The stored account with its user code and password opened, for sending; undefined when none is saved. */
export async function smsAccountCredentials(
  deps: Pick<SmsAccountDeps, 'store' | 'keyring'>,
  tenantId: string,
): Promise<(NetgsmCredentials & { msgheader: string }) | undefined> {
  const account = (await deps.store.entities.smsAccount.get({ tenantId }).go()).data;
  if (!account) return undefined;
  const keys = await deps.keyring.forTenant(tenantId);
  return {
    usercode: open(keys, 'usercode', account.usercode),
    password: open(keys, 'password', account.password),
    msgheader: account.msgheader,
  };
}

/**
 * Saves the account after one cheap call to NetGSM (`GET /msgheader`): the credentials must work
 * and the header must be one of the account's, else a ValidationError (400) and nothing stored.
 */
export async function saveSmsAccount(
  deps: SmsAccountDeps,
  tenantId: string,
  memberId: string,
  input: SmsAccountInput,
): Promise<SmsAccountView> {
  let password = input.password;
  if (!password) {
    const stored = await smsAccountCredentials(deps, tenantId);
    if (!stored || stored.usercode !== input.usercode) {
      throw new ValidationError('Enter the NetGSM password', ['password']);
    }
    password = stored.password;
  }
  let headers: string[];
  try {
    headers = await deps.netgsm.headers({ usercode: input.usercode, password });
  } catch (error) {
    if (error instanceof NetgsmRefusedError) {
      throw new ValidationError('NetGSM refused this user code or password', ['usercode', 'password']);
    }
    if (error instanceof NetgsmBusyError) {
      // NetGSM did not answer or is limiting us: nothing is wrong with the input; nothing is saved.
      throw new RateLimitedError(60, 'NetGSM did not answer the check; try again in a minute');
    }
    throw error;
  }
  if (!headers.includes(input.msgheader)) {
    throw new ValidationError('This sender header is not defined on the NetGSM account', ['msgheader']);
  }
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.smsAccount
    .put({
      tenantId,
      usercode: seal(keys, 'usercode', input.usercode),
      password: seal(keys, 'password', password),
      msgheader: input.msgheader,
      updatedBy: memberId,
    })
    .go();
  return smsAccountView(deps, tenantId);
}

/** Removes the account: SMS stop; delivery records already kept stay. */
export async function removeSmsAccount(store: SmsAccountDeps['store'], tenantId: string): Promise<SmsAccountView> {
  await store.entities.smsAccount.delete({ tenantId }).go();
  return { configured: false, passwordSet: false };
}

/** Writes an account without the NetGSM check: the local stack's demo seed only. */
export async function seedSmsAccount(
  deps: Pick<SmsAccountDeps, 'store' | 'keyring'>,
  tenantId: string,
  account: { usercode: string; password: string; msgheader: string },
): Promise<void> {
  const keys = await deps.keyring.forTenant(tenantId);
  await deps.store.entities.smsAccount
    .put({
      tenantId,
      usercode: seal(keys, 'usercode', account.usercode),
      password: seal(keys, 'password', account.password),
      msgheader: account.msgheader,
    })
    .go();
}
