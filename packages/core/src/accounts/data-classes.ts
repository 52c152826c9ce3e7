import { atLocations, type DataClass } from '../platform/area.js';
import { RETENTION_DAYS } from '../platform/data-classes.js';
import { POLICY_DATA_CLASSES } from './policy-records.js';

/**
 * A business's team (members, owner, invites). People's own accounts, sessions and sign-in
 * records live in the accounts space, not under a business: they are found there the same way
 * (byTenant index), and go with the person's account, not with one business they belong to.
 */
export const ACCOUNTS_DATA_CLASSES: DataClass[] = [
  {
    name: 'accounts.team',
    description: "The business's members, its owner and pending invitations (sealed addresses)",
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations((tenantId) => [
      { partition: `t#${tenantId}`, skPrefix: 'member#' },
      { partition: `t#${tenantId}`, skPrefix: 'owner' },
      { partition: `t#${tenantId}`, skPrefix: 'invite#' },
    ]),
  },
  {
    name: 'accounts.people',
    description: 'People’s accounts: profile, address lookups, recovery codes, businesses they belong to',
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations(() => [
      { index: 'byTenant', skPrefix: 'user' },
      { index: 'byTenant', skPrefix: 'account' },
      { index: 'byTenant', skPrefix: 'recovery-code#' },
    ]),
  },
  {
    name: 'accounts.sessions',
    description: 'Sign-in sessions and refresh tokens (hashes, device hints)',
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations(() => [
      { index: 'byTenant', skPrefix: 'session#' },
      { index: 'byTenant', skPrefix: 'refresh' },
    ]),
  },
  {
    name: 'accounts.requests',
    description: 'Pending sign-ups, password resets and sign-in throttle windows (expire within hours)',
    personal: true,
    retention: { days: RETENTION_DAYS.afterAccountDeletion, basis: 'account-deletion' },
    partitions: atLocations(() => [
      { index: 'byTenant', skPrefix: 'sign-up' },
      { index: 'byTenant', skPrefix: 'password-reset' },
      { index: 'byTenant', skPrefix: 'window#' },
    ]),
  },
  ...POLICY_DATA_CLASSES,
];
