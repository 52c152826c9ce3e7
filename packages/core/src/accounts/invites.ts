import { CURRENT_TERMS_VERSION, DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import type { acceptInviteBody } from '@asistone/contract/invites';
import type { AssignableRole, Role } from '@asistone/contract/roles';
import type { inviteBody } from '@asistone/contract/team';
import type * as z from 'zod';
import { recordAuditEvent } from '../audit/audit-log.js';
import { sealMail } from '../notify/outbound.js';
import type { TenantKeys } from '../platform/crypto/keyring.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import type { AccountsDeps, Actor } from './deps.js';
import { InvalidLinkError, WrongAccountError } from './errors.js';
import { inviteMail } from './mails.js';
import { hashPassword } from './passwords.js';
import {
  accountKeys,
  createAccount,
  emailIndexOf,
  findUserByEmail,
  ignoreExisting,
  loadUser,
  maskEmail,
  normalizeEmail,
  profileOf,
} from './people.js';
import { ACCOUNTS_TENANT } from './records.js';
import { newId, newSecret, sameSecretHash, secretHash } from './secrets.js';

/**
 * Invitations to join a business. The link's token names the business and the invitation, so
 * looking it up stays inside the business's keys; only the hash of its secret part is stored.
 */
const INVITE_SECONDS = 7 * 24 * 3600;
/** Stands in for the user id when an address has no account; real ids have no hyphen. */
const NO_ACCOUNT = 'u-none';

type Deps = Pick<AccountsDeps, 'store' | 'keyring'>;

function inviteToken(tenantId: string, inviteId: string, secret: string): string {
  return `${tenantId}.${inviteId}.${secret}`;
}

function businessName(keys: TenantKeys, tenant: { tenantId: string; name: string }): string {
  return keys.open('tenant', 'name', tenant.tenantId, tenant.name);
}

/** An invitation as the API validated it; callers other than the API may leave the language out (Turkish). */
export type Invitation = Omit<z.output<typeof inviteBody>, 'language'> & { language?: Language | undefined };

/**
 * Invites an address to the business: the invitation is stored (sealed) and its mail queued,
 * written in the inviter's language (the invitee's own is not read: that would take longer for
 * an address with an account, and tell the inviter so).
 * Only an address that already belongs to a member is refused (409).
 */
export async function inviteMember(
  deps: AccountsDeps,
  actor: Actor,
  tenantId: string,
  input: Invitation,
): Promise<{ inviteId: string }> {
  const email = normalizeEmail(input.email);
  // The membership is read whether or not the address has an account (under an id no account
  // has), so the time this takes tells an inviter nothing about addresses outside the business.
  const account = await deps.store.entities.accountEmail
    .get({ tenantId: ACCOUNTS_TENANT, emailIndex: emailIndexOf(await accountKeys(deps), email) })
    .go();
  const membership = await deps.store.entities.membership
    .get({ tenantId, userId: account.data?.userId ?? NO_ACCOUNT })
    .go();
  if (account.data && membership.data) throw new ConflictError('This person is already a member');
  const keys = await deps.keyring.forTenant(tenantId);
  const emailIndex = keys.blindIndex('email', email);
  // A new invitation to the same address replaces the pending one.
  for (const pending of await pendingInvites(deps, tenantId)) {
    if (pending.emailIndex === emailIndex) await setRevoked(deps, tenantId, pending.inviteId);
  }
  const inviteId = newId('i');
  const secret = newSecret();
  await deps.store.entities.invite
    .create({
      tenantId,
      inviteId,
      email: keys.seal('invite', 'email', inviteId, email),
      emailIndex,
      role: input.role,
      invitedBy: actor.userId,
      tokenHash: secretHash(secret),
      expiresAt: Math.floor(Date.now() / 1000) + INVITE_SECONDS,
    })
    .go();
  const tenant = await deps.store.entities.tenant.get({ tenantId }).go();
  const name = tenant.data ? businessName(keys, tenant.data) : 'a business';
  const link = `${deps.appUrl}/invite/${inviteToken(tenantId, inviteId, secret)}`;
  const mail = inviteMail(email, name, input.role, link, inviteId, input.language ?? DEFAULT_LANGUAGE);
  await deps.mails.enqueue(sealMail(keys, mail));
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.invite_sent',
    actorId: actor.userId,
    target: { type: 'invite', id: inviteId },
    sourceAddress: actor.sourceAddress,
    detail: { role: input.role },
  });
  return { inviteId };
}

async function pendingInvites(deps: Deps, tenantId: string) {
  const invites = await deps.store.entities.invite.query.byBusiness({ tenantId }).go({ pages: 'all' });
  const nowSeconds = Date.now() / 1000;
  return invites.data.filter((invite) => invite.status === 'pending' && invite.expiresAt > nowSeconds);
}

async function setRevoked(deps: Deps, tenantId: string, inviteId: string) {
  await deps.store.entities.invite.patch({ tenantId, inviteId }).set({ status: 'revoked' }).go({ response: 'none' });
}

export interface InviteView {
  inviteId: string;
  email: string;
  role: AssignableRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export async function listInvites(deps: Deps, tenantId: string): Promise<InviteView[]> {
  const pending = await pendingInvites(deps, tenantId);
  if (pending.length === 0) return [];
  const keys = await deps.keyring.forTenant(tenantId);
  return pending.map((invite) => ({
    inviteId: invite.inviteId,
    email: keys.open('invite', 'email', invite.inviteId, invite.email),
    role: invite.role,
    invitedBy: invite.invitedBy,
    createdAt: new Date(invite.createdAt).toISOString(),
    expiresAt: new Date(invite.expiresAt * 1000).toISOString(),
  }));
}

/** Withdraws a pending invitation; an unknown or settled one is left as it is. */
export async function revokeInvite(deps: Deps, actor: Actor, tenantId: string, inviteId: string): Promise<void> {
  const invite = await deps.store.entities.invite.get({ tenantId, inviteId }).go();
  if (invite.data?.status !== 'pending') return;
  await setRevoked(deps, tenantId, inviteId);
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.invite_revoked',
    actorId: actor.userId,
    target: { type: 'invite', id: inviteId },
    sourceAddress: actor.sourceAddress,
  });
}

/** The pending invitation a link points to, or {@link InvalidLinkError}. */
async function openInvite(deps: Deps, token: string) {
  const [tenantId, inviteId, secret, extra] = token.split('.');
  if (!tenantId || !inviteId || !secret || extra !== undefined) throw new InvalidLinkError();
  const invite = await deps.store.entities.invite.get({ tenantId, inviteId }).go();
  const data = invite.data;
  if (!data || !sameSecretHash(data.tokenHash, secretHash(secret))) throw new InvalidLinkError();
  if (data.status !== 'pending' || data.expiresAt <= Date.now() / 1000) throw new InvalidLinkError();
  const keys = await deps.keyring.forTenant(tenantId);
  const tenant = await deps.store.entities.tenant.get({ tenantId }).go();
  if (!tenant.data) throw new InvalidLinkError();
  return { invite: data, keys, email: keys.open('invite', 'email', inviteId, data.email), tenant: tenant.data };
}

/** Whether the account of `userId` holds the address the invitation was sent to (by blind index). */
async function isInvitedAccount(deps: Deps, keys: TenantKeys, invite: { emailIndex: string }, userId: string) {
  const user = await loadUser(deps, userId);
  if (!user) return false;
  const accountEmail = profileOf(await accountKeys(deps), user).email;
  return keys.blindIndex('email', normalizeEmail(accountEmail)) === invite.emailIndex;
}

/**
 * What the invitation page shows. With `viewerId` (someone is signed in) it also says whether
 * the invitation is theirs, so the page can offer to switch accounts before anyone clicks Accept.
 */
export async function describeInvite(deps: Deps, token: string, viewerId?: string) {
  const { invite, keys, email, tenant } = await openInvite(deps, token);
  return {
    businessName: businessName(keys, tenant),
    role: invite.role,
    email: maskEmail(email),
    accountExists: Boolean(await findUserByEmail(deps, email)),
    ...(viewerId === undefined ? {} : { forYou: await isInvitedAccount(deps, keys, invite, viewerId) }),
  };
}

export type Acceptance =
  | { kind: 'signed-in'; userId: string }
  | { kind: 'new-account'; account: z.output<typeof acceptInviteBody> };

/**
 * Joins the business. A signed-in person must hold the invited address; a newcomer gets an
 * account for it (the link proved they read it). Membership first, the invitation settled
 * last: a retry after a failure finishes the job.
 */
export async function acceptInvite(
  deps: AccountsDeps,
  token: string,
  acceptance: Acceptance,
  origin: { sourceAddress?: string | undefined },
): Promise<{ tenantId: string; role: Role }> {
  const { invite, keys, email } = await openInvite(deps, token);
  const { tenantId, inviteId } = invite;
  let userId: string;
  if (acceptance.kind === 'signed-in') {
    if (!(await loadUser(deps, acceptance.userId))) throw new NotFoundError('No such account');
    if (!(await isInvitedAccount(deps, keys, invite, acceptance.userId))) throw new WrongAccountError();
    userId = acceptance.userId;
  } else {
    const existing = await findUserByEmail(deps, email);
    // The id follows from the invitation, so a retried acceptance finds its own account.
    userId = `u${inviteId.slice(1)}`;
    if (existing && existing.userId !== userId) {
      throw new ConflictError('An account with this email address exists: sign in to accept');
    }
    await createAccount(deps, {
      userId,
      name: acceptance.account.name,
      email,
      passwordHash: await hashPassword(acceptance.account.password),
      termsVersion: CURRENT_TERMS_VERSION,
      termsAcceptedAt: Date.now(),
      language: acceptance.account.language,
    });
  }
  await deps.store.entities.membership.create({ tenantId, userId, role: invite.role }).go().catch(ignoreExisting);
  await deps.store.entities.invite
    .patch({ tenantId, inviteId })
    .set({ status: 'accepted', acceptedBy: userId })
    .go({ response: 'none' });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.invite_accepted',
    actorId: userId,
    target: { type: 'invite', id: inviteId },
    sourceAddress: origin.sourceAddress,
    detail: { role: invite.role },
  });
  const membership = await deps.store.entities.membership.get({ tenantId, userId }).go();
  return { tenantId, role: membership.data?.role ?? invite.role };
}
