import * as z from 'zod';
import {
  businessSummarySchema,
  consentSchema,
  emailSchema,
  linkTokenSchema,
  nameSchema,
  PASSWORD_MAX_LENGTH,
  passwordSchema,
  profileSchema,
  totpCodeSchema,
} from './accounts.js';

/** `/api/auth/*`: sign-up, sign-in, sessions, password reset and the second factor. */

/** A sentence to show; the same whatever the address, so it tells nothing about accounts. */
export const messageAnswer = z.object({ message: z.string() });

export const accessTokenAnswer = z.object({ accessToken: z.string(), expiresIn: z.number().int() });

/** `POST /api/auth/signup` → 202 {@link messageAnswer}. */
export const signUpBody = z
  .object({
    businessName: nameSchema,
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
  })
  .extend(consentSchema.shape);

/** `POST /api/auth/verify-email` */
export const verifyEmailBody = z.object({ token: linkTokenSchema });
export const verifyEmailAnswer = z.object({ verified: z.literal(true) });

/** `POST /api/auth/login`; sets the refresh cookie. */
export const signInBody = z.object({
  email: emailSchema,
  // Any password someone could have chosen; the length rules apply when choosing one.
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: totpCodeSchema.optional(),
});
export const signInAnswer = accessTokenAnswer.extend({
  user: profileSchema,
  businesses: z.array(businessSummarySchema),
});

/** `POST /api/auth/password-reset/request` → 202 {@link messageAnswer}. */
export const passwordResetRequestBody = z.object({ email: emailSchema });

/** `POST /api/auth/password-reset/confirm` → 200 {@link messageAnswer}. */
export const passwordResetConfirmBody = z.object({ token: linkTokenSchema, password: passwordSchema });

/** `GET /api/auth/sessions`: the caller's live sessions; `sourceAddress` comes masked. */
export const sessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  userAgent: z.string().nullable(),
  sourceAddress: z.string().nullable(),
  current: z.boolean(),
});
export const sessionsAnswer = z.object({ sessions: z.array(sessionSchema) });

/** `POST /api/auth/totp/setup` */
export const totpSetupAnswer = z.object({ secret: z.string(), otpauthUrl: z.string() });

/** `POST /api/auth/totp/enable` and `/disable` */
export const totpCodeBody = z.object({ code: totpCodeSchema });
export const totpEnableAnswer = z.object({ totpEnabled: z.literal(true) });
export const totpDisableAnswer = z.object({ totpEnabled: z.literal(false) });
