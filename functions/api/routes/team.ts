import {
  inviteAnswer,
  inviteBody,
  membersAnswer,
  ownershipTransferAnswer,
  ownershipTransferBody,
  pendingInvitesAnswer,
  roleChangeAnswer,
  roleChangeBody,
} from '@asistone/contract/team';
import { listInvites, revokeInvite } from '@asistone/core/accounts/invites';
import { changeRole, listMembers, removeMember, transferOwnership } from '@asistone/core/accounts/team';
import { inviteWithinPlan } from '@asistone/core/billing/seats';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';

/** The team of a business: members, roles, ownership, invitations. */
export const teamRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/members',
    access: 'team.read',
    summary: 'The members of the business',
    answers: { 200: { description: 'Members', schema: membersAnswer } },
    async handle({ c, business }) {
      return c.json({ members: await listMembers(await accounts(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/businesses/:tenantId/members/:userId',
    access: 'team.manage',
    summary: "Change a member's role (not the owner's: transfer ownership instead)",
    body: roleChangeBody,
    answers: { 200: { description: 'Changed', schema: roleChangeAnswer } },
    async handle({ c, business, caller, body, params, origin }) {
      const userId = params.userId ?? '';
      await changeRole(await accounts(), { ...origin, userId: caller.userId }, business.tenantId, userId, body.role);
      return c.json({ userId, role: body.role });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/businesses/:tenantId/members/:userId',
    access: 'team.manage',
    summary: 'Remove a member (not the owner)',
    answers: { 204: { description: 'Removed' } },
    async handle({ c, business, caller, params, origin }) {
      await removeMember(
        await accounts(),
        { ...origin, userId: caller.userId },
        business.tenantId,
        params.userId ?? '',
      );
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/transfer-ownership',
    access: 'billing.manage',
    summary: 'Hand the business to another member; the former owner stays as admin',
    body: ownershipTransferBody,
    answers: { 200: { description: 'Transferred', schema: ownershipTransferAnswer } },
    async handle({ c, business, caller, body, origin }) {
      await transferOwnership(await accounts(), { ...origin, userId: caller.userId }, business.tenantId, body.userId);
      return c.json({ ownerId: body.userId });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/invites',
    access: 'team.manage',
    summary: 'Pending invitations',
    answers: { 200: { description: 'Invitations', schema: pendingInvitesAnswer } },
    async handle({ c, business }) {
      const invites = await listInvites(await accounts(), business.tenantId);
      return c.json({ invites: invites.map(({ inviteId, ...invite }) => ({ id: inviteId, ...invite })) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/invites',
    access: 'team.manage',
    summary:
      'Invite someone by email; a new invitation to the same address replaces the pending one. A team as large as the plan allows (members and pending invitations) answers 402 `plan_limit`',
    body: inviteBody,
    answers: { 201: { description: 'Invited', schema: inviteAnswer } },
    async handle({ c, business, caller, body, origin }) {
      const { inviteId } = await inviteWithinPlan(
        await accounts(),
        { ...origin, userId: caller.userId },
        business.tenantId,
        body,
      );
      return c.json({ id: inviteId }, 201);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/businesses/:tenantId/invites/:inviteId',
    access: 'team.manage',
    summary: 'Withdraw a pending invitation',
    answers: { 204: { description: 'Withdrawn (or already settled)' } },
    async handle({ c, business, caller, params, origin }) {
      await revokeInvite(
        await accounts(),
        { ...origin, userId: caller.userId },
        business.tenantId,
        params.inviteId ?? '',
      );
      return c.body(null, 204);
    },
  }),
];
