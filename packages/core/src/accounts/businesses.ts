import type { Role } from '@asistone/contract/roles';
import { recordAuditEvent } from '../audit/audit-log.js';
import { createTenant } from '../tenancy/tenants.js';
import type { AccountsDeps, Actor } from './deps.js';
import { ignoreExisting } from './people.js';
import { newId } from './secrets.js';
import { type ThrottlePolicy, takeAttempt } from './throttle.js';

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

/**
 * The caller's role in a business, or undefined when they are not a member, or when the
 * business is being deleted (privacy/account-deletion.ts): from then on it answers its members
 * as a business that does not exist, as it soon will not.
 */
export async function roleIn(deps: Pick<AccountsDeps, 'store'>, tenantId: string, userId: string) {
  const [membership, ownership, tenant] = await Promise.all([
    deps.store.entities.membership.get({ tenantId, userId }).go(),
    deps.store.entities.ownership.get({ tenantId }).go(),
    deps.store.entities.tenant.get({ tenantId }).go({ attributes: ['status'] }),
  ]);
  if (!membership.data || tenant.data?.status === 'deleting') return undefined;
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

/**
 * How many businesses one person may start: each costs a key of its own (a KMS key in AWS), so
 * a stolen session or a script cannot mint them by the hundred; a merchant opening a second
 * shop, or a few, never meets it.
 */
export const NEW_BUSINESS_POLICY = {
  name: 'new-business-account',
  limit: 5,
  windowSeconds: 24 * 3600,
  message: 'You started several businesses today. Try again tomorrow.',
} as const satisfies ThrottlePolicy;

/**
 * A signed-in person starts a business of their own (their first after joining by invitation,
 * or another one): they become its owner, and its audit log opens with the creation.
 *
 * @example
 * const business = await startBusiness(deps, { userId, sourceAddress }, 'Nar Kozmetik');
 */
export async function startBusiness(
  deps: Pick<AccountsDeps, 'store' | 'keyring' | 'log'>,
  actor: Actor,
  name: string,
): Promise<BusinessSummary> {
  // Counted by account (an id, not personal data) before any key is made.
  await takeAttempt(deps.store, NEW_BUSINESS_POLICY, actor.userId);
  const tenantId = newId('b');
  await createBusiness(deps, { tenantId, name, ownerId: actor.userId });
  await recordAuditEvent(deps.store, tenantId, {
    action: 'business.created',
    actorId: actor.userId,
    target: { type: 'business', id: tenantId },
    sourceAddress: actor.sourceAddress,
  });
  deps.log.info('business started', { userId: actor.userId, tenantId });
  return { tenantId, name, role: 'owner' };
}

/** Channels real customers write to (the sandbox is the merchant playing one). */
const CUSTOMER_CHANNELS = new Set(['whatsapp', 'instagram', 'messenger']);

/**
 * Which first steps of a business are done, for its home page: a channel connected, someone
 * besides the owner in the team or invited. The store and the AI agent are not built yet, so
 * they are never done.
 *
 * "Connect a channel" means a channel real customers can write to: WhatsApp, Instagram or
 * Messenger, not disconnected (an Instagram token about to lapse still counts; its expiry is
 * shown on the channel). The sandbox is where a merchant tries the inbox by playing their own
 * customer: a good first try, but no customer reaches them through it, so the step stays open
 * until a real one is connected, and disconnecting the last real one opens it again.
 */
export async function gettingStarted(
  deps: Pick<AccountsDeps, 'store'>,
  tenantId: string,
  /** Whether a Shopify store is connected: the shopify area's to say (accounts knows no store). */
  storeConnected: () => Promise<boolean>,
) {
  const nowSeconds = Date.now() / 1000;
  const [channels, members, invites, store] = await Promise.all([
    // A business has a handful of channels: all of them, to look at each one's kind and status.
    deps.store.entities.channel.query.byTenant({ tenantId }).go({ pages: 'all' }),
    deps.store.entities.membership.query.byBusiness({ tenantId }).go({ limit: 2 }),
    deps.store.entities.invite.query.byBusiness({ tenantId }).go({ pages: 'all' }),
    storeConnected(),
  ]);
  const invited = invites.data.some((invite) => invite.status === 'pending' && invite.expiresAt > nowSeconds);
  return {
    steps: {
      channel: {
        done: channels.data.some((channel) => CUSTOMER_CHANNELS.has(channel.kind) && channel.status !== 'disconnected'),
      },
      team: { done: members.data.length > 1 || invited },
      store: { done: store },
      ai: { done: false },
    },
  };
}
