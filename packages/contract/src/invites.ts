import * as z from 'zod';
import { consentSchema, languageSchema, nameSchema, passwordSchema } from './accounts.js';
import { roleSchema } from './roles.js';

/** The invitation pages anyone with a link can open: `/api/invites/:token`. */

/**
 * `GET /api/invites/:token`; `email` comes masked. `forYou` is there only when the request
 * carries an access token: whether the signed-in person holds the invited address, so the page
 * can offer to switch accounts instead of an Accept button that can only fail.
 */
export const inviteDescriptionAnswer = z.object({
  businessName: z.string(),
  role: roleSchema,
  email: z.string(),
  accountExists: z.boolean(),
  forYou: z.boolean().optional(),
});

/**
 * `POST /api/invites/:token/accept` for a newcomer: the same consent as at sign-up. A signed-in
 * person sends no body (a Bearer token instead).
 */
export const acceptInviteBody = z
  .object({
    name: nameSchema,
    password: passwordSchema,
    /** The web app's language: the new account's mails are written in it. */
    language: languageSchema,
  })
  .extend(consentSchema.shape);
export const acceptInviteAnswer = z.object({ tenantId: z.string(), role: roleSchema });
