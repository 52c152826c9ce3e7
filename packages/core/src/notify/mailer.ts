/** Transactional mails the product sends to people (not to merchants' customers). */
export const MAIL_KINDS = [
  'verify-email',
  'sign-up-notice',
  'password-reset',
  'invite',
  'security-notice',
  /** A channel's token (Instagram Login) is about to lapse, or lapsed: to owners and admins. */
  'channel-expiry',
  /** A Meta ad account's token lapses within the week: to owners and admins. */
  'ads-expiry',
  /** A variant's stock fell to its low-stock threshold at a location: to owners and admins. */
  'low-stock',
  /** A renewal failed, grace reminders, read-only after grace: to owners and admins. */
  'billing-notice',
  /** A request about the business's data (e.g. the transfer agreements) was recorded: to the owner. */
  'privacy-request',
  /** A new version of the terms or the privacy policy was published: to every account holder. */
  'policy-changed',
] as const;

export type MailKind = (typeof MAIL_KINDS)[number];

export interface OutgoingMail {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Same key, same mail: a retried request never sends twice (`<event>/<entity-id>`). */
  idempotencyKey: string;
}

/** Sends mail: Resend in AWS, the dev outbox on the local stage. Answers the provider's id. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ id: string }>;
}
