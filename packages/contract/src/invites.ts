import * as z from 'zod';
import { consentSchema, nameSchema, passwordSchema } from './accounts.js';
import { roleSchema } from './roles.js';

/** The invitation pages anyone with a link can open: `/api/invites/:token`. */

/** `GET /api/invites/:token`; `email` comes masked. */
export const inviteDescriptionAnswer = z.object({
  businessName: z.string(),
  role: roleSchema,
  email: z.string(),
  accountExists: z.boolean(),
});

/**
 * `POST /api/invites/:token/accept` for a newcomer: the same consent as at sign-up. A signed-in
 * person sends no body (a Bearer token instead).
 */
export const acceptInviteBody = z.object({ name: nameSchema, password: passwordSchema }).extend(consentSchema.shape);
export const acceptInviteAnswer = z.object({ tenantId: z.string(), role: roleSchema });
