import * as z from 'zod';
import { emailSchema, languageSchema } from './accounts.js';
import { assignableRoleSchema, roleSchema } from './roles.js';

/** The team of a business: `/api/businesses/:tenantId/{members,transfer-ownership,invites}`. */

export const memberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  joinedAt: z.string(),
});
export const membersAnswer = z.object({ members: z.array(memberSchema) });

/** `PATCH …/members/:userId`: the owner's role never changes this way (transfer instead). */
export const roleChangeBody = z.object({ role: assignableRoleSchema });
export const roleChangeAnswer = z.object({ userId: z.string(), role: assignableRoleSchema });

/** `POST …/transfer-ownership` */
export const ownershipTransferBody = z.object({ userId: z.string().min(1).max(64) });
export const ownershipTransferAnswer = z.object({ ownerId: z.string() });

/** `GET …/invites`: the pending ones. */
export const pendingInviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: assignableRoleSchema,
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export const pendingInvitesAnswer = z.object({ invites: z.array(pendingInviteSchema) });

/**
 * `POST …/invites` → 201; a new invitation to the same address replaces the pending one.
 * `language`: the inviter's app's, which the invitation is written in.
 */
export const inviteBody = z.object({ email: emailSchema, role: assignableRoleSchema, language: languageSchema });
export const inviteAnswer = z.object({ id: z.string() });
