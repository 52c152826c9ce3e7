import { DEFAULT_LANGUAGE, type Language } from '@asistone/contract/accounts';
import type { AssignableRole } from '@asistone/contract/roles';
import type { OutgoingMail } from '../notify/mailer.js';
import { ROLE_WORDS, renderAccountMail, type SecurityChange } from './mail-templates.js';

/**
 * The mails people get from the accounts area, each in the recipient's language: the strings
 * are in `mail-templates.ts`, one set for all of them; these name what each mail needs.
 */

export type { SecurityChange } from './mail-templates.js';

export function verifyEmailMail(to: string, name: string, url: string, id: string, language: Language): OutgoingMail {
  return renderAccountMail('verify-email', language, {
    to,
    idempotencyKey: `verify-email/${id}`,
    url,
    values: { name },
  });
}

/** Sent when someone signs up with an address that already has an account. */
export function signUpNoticeMail(to: string, appUrl: string, id: string, language: Language): OutgoingMail {
  return renderAccountMail('sign-up-notice', language, {
    to,
    idempotencyKey: `sign-up-notice/${id}`,
    url: `${appUrl}/login`,
  });
}

export function passwordResetMail(to: string, url: string, id: string, language: Language): OutgoingMail {
  return renderAccountMail('password-reset', language, { to, idempotencyKey: `password-reset/${id}`, url });
}

export function inviteMail(
  to: string,
  businessName: string,
  role: AssignableRole,
  url: string,
  id: string,
  language: Language,
): OutgoingMail {
  return renderAccountMail('invite', language, {
    to,
    idempotencyKey: `invite/${id}`,
    url,
    values: { business: businessName, role: ROLE_WORDS[language][role] },
  });
}

export interface SecurityNoticeFacts {
  at: Date;
  /** Already masked to its network part (`85.105.x.x`). */
  network?: string | undefined;
  /** Recovery codes still unused, when the change concerns them. */
  codesLeft?: number | undefined;
}

/**
 * Tells the account's owner that its sign-in security changed, when and from which network,
 * and what to do if it was not them.
 */
export function securityNoticeMail(
  to: string,
  change: SecurityChange,
  facts: SecurityNoticeFacts,
  appUrl: string,
  id: string,
  language: Language = DEFAULT_LANGUAGE,
): OutgoingMail {
  return renderAccountMail(`security-notice/${change}`, language, {
    to,
    idempotencyKey: `security-notice/${id}`,
    url: `${appUrl}/forgot-password`,
    values: {
      // Minutes in UTC, the same in every language: the reader's time zone is not known.
      when: `${facts.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      network: facts.network,
      codesLeft: facts.codesLeft === undefined ? undefined : String(facts.codesLeft),
    },
  });
}
