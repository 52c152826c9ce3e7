import type { AssignableRole, Role } from '@asistone/contract/roles';
import { recordAuditEvent } from '../audit/audit-log.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { effectiveRole, ownerOf } from './businesses.js';
import type { AccountsDeps, Actor } from './deps.js';
import { accountKeys, loadUser, profileOf } from './people.js';

/**
 * The team of a business. There is always exactly one owner: the ownership record holds one
 * id, the owner can be neither demoted nor removed, and only a transfer moves it.
 */

type Deps = Pick<AccountsDeps, 'store' | 'keyring'>;

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export async function listMembers(deps: Deps, tenantId: string): Promise<Member[]> {
  const [memberships, ownerId] = await Promise.all([
    deps.store.entities.membership.query.byBusiness({ tenantId }).go({ pages: 'all' }),
    ownerOf(deps, tenantId),
  ]);
  if (memberships.data.length === 0) return [];
  // One read per member: teams are small, and single reads need no batch permission.
  const users = await Promise.all(memberships.data.map(({ userId }) => loadUser(deps, userId)));
  const keys = await accountKeys(deps);
  const byId = new Map(users.flatMap((user) => (user ? [[user.userId, profileOf(keys, user)] as const] : [])));
  return memberships.data.flatMap((membership) => {
    const profile = byId.get(membership.userId);
    if (!profile) return [];
    return [
      {
        userId: membership.userId,
        name: profile.name,
        email: profile.email,
        role: effectiveRole(membership.role, ownerId, membership.userId),
        joinedAt: new Date(membership.joinedAt).toISOString(),
      },
    ];
  });
}

/** A member other than the owner, or the reason why not. */
async function requireNonOwnerMember(deps: Deps, tenantId: string, userId: string) {
  const [membership, ownerId] = await Promise.all([
    deps.store.entities.membership.get({ tenantId, userId }).go(),
    ownerOf(deps, tenantId),
  ]);
  if (!membership.data) throw new NotFoundError('No such member');
  if (ownerId === userId) throw new ConflictError("The owner's role only changes by transferring ownership");
  return membership.data;
}

export async function changeRole(
  deps: Deps,
  actor: Actor,
  tenantId: string,
  userId: string,
  role: AssignableRole,
): Promise<void> {
  const membership = await requireNonOwnerMember(deps, tenantId, userId);
  await deps.store.entities.membership.patch({ tenantId, userId }).set({ role }).go({ response: 'none' });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.role_changed',
    actorId: actor.userId,
    target: { type: 'user', id: userId },
    sourceAddress: actor.sourceAddress,
    detail: { from: effectiveRole(membership.role, undefined, userId), to: role },
  });
}

export async function removeMember(deps: Deps, actor: Actor, tenantId: string, userId: string): Promise<void> {
  await requireNonOwnerMember(deps, tenantId, userId);
  await deps.store.entities.membership.delete({ tenantId, userId }).go();
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.member_removed',
    actorId: actor.userId,
    target: { type: 'user', id: userId },
    sourceAddress: actor.sourceAddress,
  });
}

/**
 * Hands the business to another member. The switch is one conditional write on the ownership
 * record; the shown roles are tidied afterwards, and if that tidying fails the roles still
 * resolve right (see `effectiveRole`). The former owner stays on as admin.
 */
export async function transferOwnership(deps: Deps, actor: Actor, tenantId: string, newOwnerId: string): Promise<void> {
  const ownerId = await ownerOf(deps, tenantId);
  if (ownerId !== actor.userId) throw new ForbiddenError('Only the owner can transfer ownership');
  if (newOwnerId === ownerId) throw new ConflictError('You already own this business');
  const target = await deps.store.entities.membership.get({ tenantId, userId: newOwnerId }).go();
  if (!target.data) throw new NotFoundError('No such member');
  try {
    await deps.store.entities.ownership
      .patch({ tenantId })
      .set({ ownerId: newOwnerId })
      .where((attributes, { eq }) => eq(attributes.ownerId, actor.userId))
      .go({ response: 'none' });
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError('Ownership changed meanwhile: reload and try again');
    throw error;
  }
  await deps.store.entities.membership.patch({ tenantId, userId: newOwnerId }).set({ role: 'owner' }).go();
  await deps.store.entities.membership.patch({ tenantId, userId: actor.userId }).set({ role: 'admin' }).go();
  await recordAuditEvent(deps.store, tenantId, {
    action: 'team.ownership_transferred',
    actorId: actor.userId,
    target: { type: 'user', id: newOwnerId },
    sourceAddress: actor.sourceAddress,
  });
}
