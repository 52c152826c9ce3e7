import { languageSchema } from '@asistone/contract/accounts';
import * as z from 'zod';
import { sealedText } from '../notify/mail-messages.js';
import { ACCOUNTS_TENANT } from './records.js';

/**
 * Requests the API puts on the `mail` queue when whether a mail goes out, and which one,
 * depends on whether an account exists. The API does the same work for every address (checks,
 * limits, one message); the mail worker looks the account up and decides. Nothing personal
 * travels in clear: fields are sealed under the accounts key, bound to the request's id.
 */

/** `r` + 20 of the id alphabet (see `newId`). */
const requestId = z.string().regex(/^r[a-z2-7]{20}$/, 'a request id');
/** A blind index: base64url of an HMAC-SHA-256. */
const blindIndexValue = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a blind index');

/** Sealing context of a request's fields; the item is the request id. */
export const SEALED_RESET_REQUEST = 'passwordResetRequest';
export const SEALED_SIGN_UP_REQUEST = 'signUpRequest';

/**
 * "Mail a reset link if this address has an account." The address travels only as its blind
 * index (the account's own address is what gets the mail); the link's secret is chosen by the
 * request, so a redelivered message makes the same link and the same mail.
 */
export const PasswordResetRequest = z.object({
  kind: z.literal('password-reset-request'),
  tenantId: z.literal(ACCOUNTS_TENANT),
  requestId,
  emailIndex: blindIndexValue,
  token: sealedText,
});

export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

/**
 * "Start a sign-up, or tell the address it already has an account." Everything the pending
 * sign-up needs, sealed; the password only as its scrypt hash, computed by the API on every
 * path.
 */
export const SignUpRequest = z.object({
  kind: z.literal('sign-up-request'),
  tenantId: z.literal(ACCOUNTS_TENANT),
  requestId,
  /** When the person asked (and accepted the terms): epoch milliseconds. */
  requestedAt: z.number().int().positive(),
  termsVersion: z.string().min(1).max(40),
  /** The app's language at sign-up (not personal: it travels in clear); Turkish when missing. */
  language: languageSchema,
  sealed: z.object({
    email: sealedText,
    name: sealedText,
    businessName: sealedText,
    passwordHash: sealedText,
    token: sealedText,
  }),
});

export type SignUpRequest = z.infer<typeof SignUpRequest>;
