import type { AccountsDeps, Actor } from '../accounts/deps.js';
import { type Invitation, inviteMember } from '../accounts/invites.js';
import { normalizeEmail } from '../accounts/people.js';
import { ensureRoom, seatsInUse, type UsageStore } from './usage.js';

/**
 * Inviting someone takes a seat of the plan as soon as the invitation is sent (a pending
 * invitation is a seat held), so a team full for its plan invites no one: refused before the
 * invitation is stored or its mail queued. A new invitation to an address already invited
 * replaces that one and takes no other seat.
 */
export async function inviteWithinPlan(
  deps: AccountsDeps & { store: UsageStore },
  actor: Actor,
  tenantId: string,
  input: Invitation,
  now = Date.now(),
): Promise<{ inviteId: string }> {
  const keys = await deps.keyring.forTenant(tenantId);
  const emailIndex = keys.blindIndex('email', normalizeEmail(input.email));
  await ensureRoom(deps, tenantId, 'seats', await seatsInUse(deps.store, tenantId, now, emailIndex), 1);
  return inviteMember(deps, actor, tenantId, input);
}
