import * as z from 'zod';
import { currentTermsVersion } from './policies.js';
import { roleSchema } from './roles.js';

/**
 * The rules a person's details follow, and the shapes of a person and their businesses as the
 * API answers them. The API validates with these schemas; the web app checks its forms with
 * the same ones and words the broken rule in the reader's language.
 */

/** What a person may choose: long enough to resist guessing, short enough to hash quickly. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** The API's message for each password rule (the `issues` of its 400), by rule. */
export const PASSWORD_MESSAGES = {
  tooShort: `Use at least ${PASSWORD_MIN_LENGTH} characters`,
  tooLong: `Use at most ${PASSWORD_MAX_LENGTH} characters`,
} as const;
export type PasswordRule = keyof typeof PASSWORD_MESSAGES;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, PASSWORD_MESSAGES.tooShort)
  .max(PASSWORD_MAX_LENGTH, PASSWORD_MESSAGES.tooLong);

/**
 * The first password rule `password` breaks, or null when the API will take it. Forms use it
 * to show the rule in their own language.
 *
 * @example
 * brokenPasswordRule('short') // 'tooShort'
 * brokenPasswordRule('correct horse battery') // null
 */
export function brokenPasswordRule(password: string): PasswordRule | null {
  const result = passwordSchema.safeParse(password);
  if (result.success) return null;
  return result.error.issues[0]?.code === 'too_big' ? 'tooLong' : 'tooShort';
}

/**
 * Characters no name may hold: C0 and C1 controls and DEL (`\p{Cc}`: CR, LF, TAB, NUL, ESC…)
 * and the Unicode line and paragraph separators. A name goes into mail subjects, where a line
 * break adds headers (`\r\nBcc:`), and into lists and logs, where it forges lines or cuts text.
 */
const CONTROL_SET = '\\p{Cc}\\u2028\\u2029';
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL_SET}]`, 'u');
/**
 * Invisible characters that change the order text is shown in: embeddings and overrides
 * (U+202A–U+202E), isolates (U+2066–U+2069) and the marks (LRM, RLM, ALM). In a name they make
 * it read as something else (`gpj.exe` shown as `exe.jpg`), while a name reads right without
 * them: its letters carry their own direction. Joiners (ZWJ, ZWNJ) stay: emoji
 * and Persian names need them.
 */
const DIRECTION_SET = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
export const DIRECTION_CHARACTER = new RegExp(`[${DIRECTION_SET}]`, 'u');

/** A person's or a business's name: trimmed, not empty, at most 120 characters. */
export const NAME_MAX_LENGTH = 120;

/** The API's message for each character rule of a name (the `issues` of its 400). */
export const NAME_MESSAGES = {
  controlCharacter: 'Use no line breaks, tabs or other control characters',
  directionCharacter: 'Use no invisible text-direction characters',
} as const;
export type NameRule = 'required' | 'tooLong' | keyof typeof NAME_MESSAGES;

const withoutControl = new RegExp(`^[^${CONTROL_SET}]*$`, 'u');
const withoutDirection = new RegExp(`^[^${DIRECTION_SET}]*$`, 'u');

// The character rules come before trimming, so a line break at either end is refused too,
// not quietly cut off: what is stored is what was checked.
export const nameSchema = z
  .string()
  .regex(withoutControl, NAME_MESSAGES.controlCharacter)
  .regex(withoutDirection, NAME_MESSAGES.directionCharacter)
  .trim()
  .min(1)
  .max(NAME_MAX_LENGTH);

/**
 * The first rule `name` breaks, or null when the API will take it. Forms use it to word the
 * rule in their own language.
 *
 * @example
 * brokenNameRule('Lale\nButik') // 'controlCharacter'
 * brokenNameRule('Lale Butik') // null
 */
export function brokenNameRule(name: string): NameRule | null {
  const issue = nameSchema.safeParse(name).error?.issues[0];
  if (!issue) return null;
  if (issue.message === NAME_MESSAGES.controlCharacter) return 'controlCharacter';
  if (issue.message === NAME_MESSAGES.directionCharacter) return 'directionCharacter';
  return issue.code === 'too_big' ? 'tooLong' : 'required';
}

/** The languages the product speaks to people, in the web app and in its mails. */
export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'tr';

/**
 * The language a person's mails are written in: the web app sends the one on screen; without
 * one, Turkish.
 */
export const languageSchema = z.enum(LANGUAGES, 'Turkish (tr) or English (en)').default(DEFAULT_LANGUAGE);

export const EMAIL_MAX_LENGTH = 254;
export const emailSchema = z.email().max(EMAIL_MAX_LENGTH);

/** The secret of a mailed link (email verification, password reset). */
export const linkTokenSchema = z.string().min(20).max(200);

/** A code from an authenticator app: 6 digits, 30-second steps. */
export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'A 6-digit code');

/**
 * The version of the terms and privacy policy a person accepts today: the newest "last
 * updated" date of the two, derived from their declaration (`policies.ts`), where a new
 * version is published. Sign-ups naming an older version are refused, so the recorded version
 * is always one the person was shown.
 */
export const CURRENT_TERMS_VERSION: string = currentTermsVersion();

/** Fields every new account sends: proof of age and the accepted terms. */
export const consentSchema = z.object({
  ageConfirmed: z.literal(true, 'Confirm that you are at least 18'),
  acceptTerms: z.literal(true, 'Accept the terms and the privacy policy'),
  termsVersion: z.literal(CURRENT_TERMS_VERSION, 'The terms have changed: reload the page and accept them again'),
});

/** The signed-in person, as `/api/me` and sign-in answer it. */
export const profileSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  totpEnabled: z.boolean(),
});
export type Profile = z.output<typeof profileSchema>;

/** A business the person belongs to, with their role in it. */
export const businessSummarySchema = z.object({ tenantId: z.string(), name: z.string(), role: roleSchema });
export type BusinessSummary = z.output<typeof businessSummarySchema>;
