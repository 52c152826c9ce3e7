import * as z from 'zod';
import {
  businessSummarySchema,
  consentSchema,
  emailSchema,
  languageSchema,
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
    /** The web app's language when the person signed up: their mails are written in it. */
    language: languageSchema,
  })
  .extend(consentSchema.shape);

/** `POST /api/auth/verify-email` */
export const verifyEmailBody = z.object({ token: linkTokenSchema });
export const verifyEmailAnswer = z.object({ verified: z.literal(true) });

/**
 * A one-time recovery code as shown to the person: 10 letters and digits, `abcde-fghij`.
 * Typed back with or without the hyphen (or with a space), in either case.
 */
// Both cases in the pattern as well: the OpenAPI document shows it without the lowercasing.
export const RECOVERY_CODE_PATTERN = /^[A-Za-z2-7]{5}[-\s]?[A-Za-z2-7]{5}$/;
export const recoveryCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(RECOVERY_CODE_PATTERN, 'A recovery code: 10 letters and digits');

/** `POST /api/auth/login`; sets the refresh cookie. */
export const signInBody = z.object({
  email: emailSchema,
  // Any password someone could have chosen; the length rules apply when choosing one.
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: totpCodeSchema.optional(),
  /** In place of `totp`, when the authenticator app is out of reach: each code works once. */
  recoveryCode: recoveryCodeSchema.optional(),
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
/** The recovery codes come once, in this answer: only their hashes are kept. */
export const totpEnableAnswer = z.object({
  totpEnabled: z.literal(true),
  recoveryCodes: z.array(z.string()),
});
export const totpDisableAnswer = z.object({ totpEnabled: z.literal(false) });

/** What proves the second factor when it is on: a code from the app, or a recovery code. */
export const secondFactorCodeSchema = z
  .string()
  .trim()
  .max(16)
  .refine(
    (code) => totpCodeSchema.safeParse(code).success || recoveryCodeSchema.safeParse(code).success,
    'A 6-digit code from the app, or a recovery code',
  );

/** The password again: any a person could have chosen (the length rules apply when choosing one). */
const currentPasswordSchema = z.string().min(1).max(PASSWORD_MAX_LENGTH);

/**
 * `POST /api/auth/totp/enable`: a signed-in session alone cannot turn the second factor on (it
 * would lock the owner out), so the password comes along with the first code from the app.
 */
export const totpEnableBody = z.object({ password: currentPasswordSchema, code: totpCodeSchema });

/**
 * `POST /api/auth/totp/disable` and `POST /api/auth/totp/recovery-codes`: the password and a
 * current code from the app or a recovery code.
 */
export const secondFactorProofBody = z.object({ password: currentPasswordSchema, code: secondFactorCodeSchema });

/** `POST /api/auth/totp/recovery-codes`: a new set, shown once; the previous codes stop working. */
export const recoveryCodesAnswer = z.object({ recoveryCodes: z.array(z.string()) });

/** `GET /api/auth/totp`: whether the second factor is on, and how many recovery codes are unused. */
export const secondFactorAnswer = z.object({
  totpEnabled: z.boolean(),
  recoveryCodesLeft: z.number().int().nonnegative(),
});
