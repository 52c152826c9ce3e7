import { LANGUAGES } from '@asistone/contract/accounts';
import { ROLES } from '@asistone/contract/roles';
import { Entity } from 'electrodb';
import type { AUDIT_RECORDS } from '../audit/records.js';
import type { Store } from '../platform/store/service.js';
import type { TENANCY_RECORDS } from '../tenancy/records.js';
import { POLICY_RECORDS } from './policy-records.js';

/**
 * People are not owned by one business: their accounts live under this reserved tenant, so
 * `tenantId` is still in every key and the account data has its own data key. Business ids
 * are generated (`b…`) and can never take this name.
 */
export const ACCOUNTS_TENANT = 'accounts';

/**
 * `expiresAt` is in epoch seconds, the unit DynamoDB TTL reads. Code always checks it itself;
 * TTL only clears old items away later (dynalite has none).
 */
const expiresAt = { type: 'number', required: true } as const;

/** A person who can sign in. Name and email sealed under the accounts key. */
export const UserRecord = new Entity({
  model: { entity: 'user', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    email: { type: 'string', required: true },
    /** Blind index of the normalised email, the key of its {@link EmailLookupRecord}. */
    emailIndex: { type: 'string', required: true },
    passwordHash: { type: 'string', required: true },
    /** Sealed TOTP secret once the second factor is on. */
    totpSecret: { type: 'string' },
    /** Sealed secret shown at setup, waiting for a first valid code. */
    pendingTotpSecret: { type: 'string' },
    /** Last TOTP time step accepted: a code is never accepted twice. */
    totpLastStep: { type: 'number' },
    /** The live set of {@link RecoveryCodeRecord}s; codes of any other set no longer work. */
    recoveryCodeSet: { type: 'string' },
    /** Version of the terms and privacy policy the person accepted, and when. */
    termsVersion: { type: 'string' },
    termsAcceptedAt: { type: 'number' },
    /** When the person confirmed being at least 18. */
    ageConfirmedAt: { type: 'number' },
    /** The language of the person's mails; accounts made before it was kept read as Turkish. */
    language: { type: LANGUAGES },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'userId'], template: 't#${tenantId}#user#${userId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'user', casing: 'none' },
    },
  },
});

/** Which account an email address belongs to. Created conditionally: one account per address. */
export const EmailLookupRecord = new Entity({
  model: { entity: 'accountEmail', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    emailIndex: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byEmail: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'emailIndex'],
        template: 't#${tenantId}#email#${emailIndex}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'account', casing: 'none' },
    },
  },
});

/**
 * A sign-up waiting for its email to be confirmed, keyed by the hash of the link's token.
 * The account and business only exist once the address is proven, so nobody can claim an
 * address they do not read, and unconfirmed sign-ups cost no business key.
 */
export const SignUpRecord = new Entity({
  model: { entity: 'signUp', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    tokenHash: { type: 'string', required: true, readOnly: true },
    /** Ids chosen up front, so a confirmation retried after a failure lands on the same records. */
    userId: { type: 'string', required: true, readOnly: true },
    businessId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    email: { type: 'string', required: true },
    emailIndex: { type: 'string', required: true },
    businessName: { type: 'string', required: true },
    passwordHash: { type: 'string', required: true },
    termsVersion: { type: 'string', required: true },
    acceptedAt: { type: 'number', required: true },
    /** The language the person signed up in: the account keeps it. */
    language: { type: LANGUAGES },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    expiresAt,
  },
  indexes: {
    byToken: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'tokenHash'],
        template: 't#${tenantId}#sign-up#${tokenHash}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'sign-up', casing: 'none' },
    },
    byEmail: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['tenantId', 'emailIndex'],
        template: 't#${tenantId}#sign-up-email#${emailIndex}',
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['createdAt'], template: 'sign-up#${createdAt}', casing: 'none' },
    },
  },
});

/** One signed-in device. Listed and revoked by its owner; revoked on password reset. */
export const SessionRecord = new Entity({
  model: { entity: 'session', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    sessionId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    lastUsedAt: { type: 'number', required: true },
    userAgent: { type: 'string' },
    /** Masked when stored: the full address is never kept. */
    sourceAddress: { type: 'string' },
    revokedAt: { type: 'number' },
    expiresAt,
  },
  indexes: {
    byUser: {
      pk: { field: 'pk', composite: ['tenantId', 'userId'], template: 't#${tenantId}#user#${userId}', casing: 'none' },
      sk: { field: 'sk', composite: ['sessionId'], template: 'session#${sessionId}', casing: 'none' },
    },
  },
});

/**
 * A refresh token, by its hash. Used once: `rotatedAt` marks it spent. For a few seconds after,
 * presenting it again is answered with its successor (derived from it, never stored); later it
 * revokes the session.
 */
export const RefreshTokenRecord = new Entity({
  model: { entity: 'refreshToken', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    tokenHash: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    sessionId: { type: 'string', required: true, readOnly: true },
    issuedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    rotatedAt: { type: 'number' },
    expiresAt,
  },
  indexes: {
    byToken: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'tokenHash'],
        template: 't#${tenantId}#refresh#${tokenHash}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'refresh', casing: 'none' },
    },
  },
});

/** A password reset link, by its token's hash. Claimed, then used, each by a conditional write. */
export const PasswordResetRecord = new Entity({
  model: { entity: 'passwordReset', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    tokenHash: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    /** When a confirmation took the link (ms): one at a time; a claim whose work failed lapses. */
    claimedAt: { type: 'number' },
    usedAt: { type: 'number' },
    expiresAt,
  },
  indexes: {
    byToken: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'tokenHash'],
        template: 't#${tenantId}#password-reset#${tokenHash}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: [], template: 'password-reset', casing: 'none' },
    },
  },
});

/**
 * Attempts in one fixed time window, for one subject (an account or a source address, both
 * blind-indexed). Incremented with a conditional update, so concurrent attempts cannot pass
 * the limit together.
 */
export const ThrottleRecord = new Entity({
  model: { entity: 'throttle', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    subject: { type: 'string', required: true, readOnly: true },
    window: { type: 'number', required: true, readOnly: true },
    attempts: { type: 'number' },
    expiresAt: { type: 'number' },
  },
  indexes: {
    bySubject: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'subject'],
        template: 't#${tenantId}#throttle#${subject}',
        casing: 'none',
      },
      sk: { field: 'sk', composite: ['window'], template: 'window#${window}', casing: 'none' },
    },
  },
});

/**
 * One recovery code of a person's second factor, by its keyed hash (never the code), in the
 * person's partition. Using it is one conditional write that sets `usedAt`, so a code works
 * once however many requests race; a new set replaces the user's `recoveryCodeSet`, which
 * makes every code of the previous set stop working at once.
 */
export const RecoveryCodeRecord = new Entity({
  model: { entity: 'recoveryCode', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    codeHash: { type: 'string', required: true, readOnly: true },
    setId: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    usedAt: { type: 'number' },
  },
  indexes: {
    byUser: {
      pk: { field: 'pk', composite: ['tenantId', 'userId'], template: 't#${tenantId}#user#${userId}', casing: 'none' },
      sk: { field: 'sk', composite: ['codeHash'], template: 'recovery-code#${codeHash}', casing: 'none' },
    },
  },
});

/**
 * A person's place in a business. Kept in the business's partition (it is business data and
 * goes when the business goes); the second index lists a person's businesses.
 */
export const MembershipRecord = new Entity({
  model: { entity: 'membership', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    /** Shown role; for the owner, {@link OwnershipRecord} decides. */
    role: { type: ROLES, required: true },
    joinedAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
  },
  indexes: {
    byBusiness: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['userId'], template: 'member#${userId}', casing: 'none' },
    },
    byPerson: {
      index: 'gsi1',
      pk: {
        field: 'gsi1pk',
        composite: ['userId'],
        template: `t#${ACCOUNTS_TENANT}#user#\${userId}#businesses`,
        casing: 'none',
      },
      sk: { field: 'gsi1sk', composite: ['tenantId'], template: 'business#${tenantId}', casing: 'none' },
    },
  },
});

/**
 * Who owns the business: one attribute, so there is exactly one owner by construction, and a
 * transfer is one conditional write.
 */
export const OwnershipRecord = new Entity({
  model: { entity: 'ownership', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    ownerId: { type: 'string', required: true },
    updatedAt: { type: 'number', required: true, default: () => Date.now(), set: () => Date.now() },
  },
  indexes: {
    byBusiness: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: [], template: 'owner', casing: 'none' },
    },
  },
});

/** An invitation to join a business. The email is sealed under the business's key. */
export const InviteRecord = new Entity({
  model: { entity: 'invite', version: '1', service: 'asistone' },
  attributes: {
    tenantId: { type: 'string', required: true, readOnly: true },
    inviteId: { type: 'string', required: true, readOnly: true },
    email: { type: 'string', required: true },
    /** Blind index (business key) of the invited address. */
    emailIndex: { type: 'string', required: true },
    role: { type: ['admin', 'agent', 'analyst'] as const, required: true },
    invitedBy: { type: 'string', required: true },
    tokenHash: { type: 'string', required: true },
    status: { type: ['pending', 'accepted', 'revoked'] as const, required: true, default: 'pending' },
    acceptedBy: { type: 'string' },
    createdAt: { type: 'number', required: true, readOnly: true, default: () => Date.now() },
    expiresAt,
  },
  indexes: {
    byBusiness: {
      pk: { field: 'pk', composite: ['tenantId'], template: 't#${tenantId}', casing: 'none' },
      sk: { field: 'sk', composite: ['inviteId'], template: 'invite#${inviteId}', casing: 'none' },
    },
  },
});

/** The accounts area's records: people, their sign-in, and their memberships in businesses. */
export const ACCOUNT_RECORDS = {
  user: UserRecord,
  accountEmail: EmailLookupRecord,
  signUp: SignUpRecord,
  session: SessionRecord,
  refreshToken: RefreshTokenRecord,
  passwordReset: PasswordResetRecord,
  throttle: ThrottleRecord,
  recoveryCode: RecoveryCodeRecord,
  membership: MembershipRecord,
  ownership: OwnershipRecord,
  invite: InviteRecord,
  ...POLICY_RECORDS,
};

/** Accounts create businesses (tenancy) and write the audit log. */
export type AccountsStore = Store<typeof ACCOUNT_RECORDS & typeof TENANCY_RECORDS & typeof AUDIT_RECORDS>;
