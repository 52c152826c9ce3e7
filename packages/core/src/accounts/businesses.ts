import type { Role } from '@asistone/contract/roles';
import { createTenant } from '../tenancy/tenants.js';
import type { AccountsDeps } from './deps.js';
import { ignoreExisting } from './people.js';

type StoreDeps = Pick<AccountsDeps, 'store' | 'keyring'>;

/**
 * The role that counts: the ownership record names the one owner; a stored `owner` role that
 * the record contradicts (a transfer that stopped half-way) counts as admin.
 */
export function effectiveRole(storedRole: Role, ownerId: string | undefined, userId: string): Role {
  if (ownerId === userId) return 'owner';
  return storedRole === 'owner' ? 'admin' : storedRole;
}

/**
 * Creates a business with its owner: its own data key and record (`createTenant`), the
 * ownership record, the owner's membership. Every step keeps what a previous try wrote, so a
 * retry after a failure completes it.
 */
export async function createBusiness(
  deps: StoreDeps,
  business: { tenantId: string; name: string; ownerId: string },
): Promise<void> {
  await createTenant(deps, business.tenantId, business.name);
  await deps.store.entities.ownership
    .create({ tenantId: business.tenantId, ownerId: business.ownerId })
    .go()
    .catch(ignoreExisting);
  await deps.store.entities.membership
    .create({ tenantId: business.tenantId, userId: business.ownerId, role: 'owner' })
    .go()
    .catch(ignoreExisting);
}

/** The caller's role in a business, or undefined when they are not a member. */
export async function roleIn(deps: Pick<AccountsDeps, 'store'>, tenantId: string, userId: string) {
  const [membership, ownership] = await Promise.all([
    deps.store.entities.membership.get({ tenantId, userId }).go(),
    deps.store.entities.ownership.get({ tenantId }).go(),
  ]);
  if (!membership.data) return undefined;
  return effectiveRole(membership.data.role, ownership.data?.ownerId, userId);
}

export async function ownerOf(deps: Pick<AccountsDeps, 'store'>, tenantId: string): Promise<string | undefined> {
  const ownership = await deps.store.entities.ownership.get({ tenantId }).go();
  return ownership.data?.ownerId;
}

/** The ids of the businesses a person belongs to. */
export async function businessIdsOf(deps: Pick<AccountsDeps, 'store'>, userId: string): Promise<string[]> {
  const memberships = await deps.store.entities.membership.query.byPerson({ userId }).go({ pages: 'all' });
  return memberships.data.map((membership) => membership.tenantId);
}

export interface BusinessSummary {
  tenantId: string;
  name: string;
  role: Role;
}

/** The businesses a person belongs to, with names and the person's role in each. */
export async function businessesOf(deps: StoreDeps, userId: string): Promise<BusinessSummary[]> {
  const memberships = await deps.store.entities.membership.query.byPerson({ userId }).go({ pages: 'all' });
  const summaries = await Promise.all(
    memberships.data.map(async (membership): Promise<BusinessSummary | undefined> => {
      const { tenantId } = membership;
      const [tenant, ownerId] = await Promise.all([
        deps.store.entities.tenant.get({ tenantId }).go(),
        ownerOf(deps, tenantId),
      ]);
      if (tenant.data?.status !== 'active') return undefined;
      const keys = await deps.keyring.forTenant(tenantId);
      return {
        tenantId,
        name: keys.open('tenant', 'name', tenantId, tenant.data.name),
        role: effectiveRole(membership.role, ownerId, userId),
      };
    }),
  );
  return summaries.filter((summary) => summary !== undefined);
}
