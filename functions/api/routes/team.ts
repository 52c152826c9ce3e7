import { inviteMember, inviteSchema, listInvites, revokeInvite } from '@asistone/core/accounts/invites';
import { ASSIGNABLE_ROLES } from '@asistone/core/accounts/permissions';
import {
  changeRole,
  listMembers,
  ownershipTransferSchema,
  removeMember,
  roleChangeSchema,
  transferOwnership,
} from '@asistone/core/accounts/team';
import * as z from 'zod';
import { accounts } from '../lib/deps.js';
import { defineRoute } from '../lib/route.js';
import { role } from './schemas.js';

/** The team of a business: members, roles, ownership, invitations. */
export const teamRoutes = [
  defineRoute({
    method: 'get',
    path: '/businesses/:tenantId/members',
    access: 'team.read',
    summary: 'The members of the business',
    answers: {
      200: {
        description: 'Members',
        schema: z.object({
          members: z.array(
            z.object({ userId: z.string(), name: z.string(), email: z.string(), role, joinedAt: z.string() }),
          ),
        }),
      },
    },
    async handle({ c, business }) {
      return c.json({ members: await listMembers(await accounts(), business.tenantId) });
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/businesses/:tenantId/members/:userId',
    access: 'team.manage',
    summary: "Change a member's role (not the owner's: transfer ownership instead)",
    body: roleChangeSchema,
    answers: {
      200: { description: 'Changed', schema: z.object({ userId: z.string(), role: z.enum(ASSIGNABLE_ROLES) }) },
    },
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
    body: ownershipTransferSchema,
    answers: { 200: { description: 'Transferred', schema: z.object({ ownerId: z.string() }) } },
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
    answers: {
      200: {
        description: 'Invitations',
        schema: z.object({
          invites: z.array(
            z.object({
              id: z.string(),
              email: z.string(),
              role: z.enum(ASSIGNABLE_ROLES),
              invitedBy: z.string(),
              createdAt: z.string(),
              expiresAt: z.string(),
            }),
          ),
        }),
      },
    },
    async handle({ c, business }) {
      const invites = await listInvites(await accounts(), business.tenantId);
      return c.json({ invites: invites.map(({ inviteId, ...invite }) => ({ id: inviteId, ...invite })) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/businesses/:tenantId/invites',
    access: 'team.manage',
    summary: 'Invite someone by email; a new invitation to the same address replaces the pending one',
    body: inviteSchema,
    answers: { 201: { description: 'Invited', schema: z.object({ id: z.string() }) } },
    async handle({ c, business, caller, body, origin }) {
      const { inviteId } = await inviteMember(
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
