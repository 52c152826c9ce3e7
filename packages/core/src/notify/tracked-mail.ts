import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConfigError, PermanentError, ValidationError } from '../platform/errors.js';
import { isConditionFailure } from '../platform/store/service.js';
import { headerText } from './headers.js';
import { createResendClient, type ResendEmail, type ResendOptions } from './resend.js';
import type { MailState, TrackedMailStore } from './tracked-mail-records.js';

/**
 * Mail to a business's customers (order and shipping notices), sent through Resend once per
 * (business, ref) and followed by Resend's delivery webhooks (mail-events.ts). Unlike the
 * product's own mails it is not queued here: the caller is already a queue worker with its own
 * retries, and needs Resend's email id to record against its notice.
 */

export interface CustomerMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Display name, e.g. the shop's; the address is the product's sending address. */
  from?: string;
  replyTo?: string;
  /** e.g. `order-notice/<orderId>/confirmed`: one mail per ref and business, ever. */
  ref: string;
}

/** Resend's `POST /emails`, as `createResendClient` gives it (a stand-in in tests). */
export interface CustomerMailer {
  sendEmail(email: ResendEmail, idempotencyKey: string): Promise<{ id: string }>;
}

export interface TrackedMailDeps {
  store: TrackedMailStore;
  keyring: TenantKeyring;
  resend: CustomerMailer;
  /** The product's sending address, `MAIL_FROM` (`Asistone <no-reply@asistone.ai>`): its address part is used. */
  from: string;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface MailDeliveryView {
  state: MailState;
  reason?: string;
  at: number;
}

/** The address hard-bounced or complained at this business before: sending again would hurt every business's sending. */
export class CustomerMailSuppressedError extends PermanentError {
  override name = 'CustomerMailSuppressedError';
  constructor(readonly reason: 'bounced' | 'complained') {
    super(`the recipient's address is suppressed (${reason})`);
  }
}

/** How long a tracked mail answers `mailDeliveryOf` (DynamoDB's TTL removes it after). */
const TRACKED_DAYS = 90;
/** Resend's late events (a bounce can come days later) still find their mail within this. */
const POINTER_DAYS = 30;
const REF = /^[\x21-\x7e]{1,200}$/;
/** A plain address: one `@`, no spaces, brackets or line breaks (those would be headers of their own). */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** The same address however it was typed: what the blind index is made of. */
const normalAddress = (address: string) => address.trim().toLowerCase();

/** The recipient's blind index under the business's key (its own kind: not linkable to other indexes). */
function recipientIndexOf(keys: { blindIndex(kind: string, value: string): string }, address: string): string {
  return keys.blindIndex('mail-recipient', normalAddress(address));
}

/** `"Lale Butik" <no-reply@asistone.ai>` from a display name and `MAIL_FROM`. */
function fromHeader(mailFrom: string, displayName: string | undefined): string {
  const address = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  if (!ADDRESS.test(address)) throw new ConfigError('invalid configuration: MAIL_FROM has no address');
  if (!displayName) return mailFrom;
  // Quotes and backslashes would end the quoted name early; line breaks would end the header.
  const name = headerText(displayName)
    .replace(/["\\<>]/g, '')
    .slice(0, 80)
    .trim();
  return name ? `"${name}" <${address}>` : `<${address}>`;
}

/**
 * Sends once per (tenant, ref) (Idempotency-Key = tenant + ref) and records a tracked delivery
 * so Resend's webhooks can find it by email id. A second call with the same ref sends nothing
 * and answers the first mail's id; a retry after a lost answer is Resend's idempotent replay.
 *
 * @example
 * const { emailId } = await sendCustomerMail(deps, tenantId, { to, subject, text, html, from: shopName, ref: `order-notice/${orderId}/shipped` });
 */
export async function sendCustomerMail(
  deps: TrackedMailDeps,
  tenantId: string,
  mail: CustomerMail,
): Promise<{ emailId: string }> {
  if (!REF.test(mail.ref)) throw new ValidationError('a mail ref has 1 to 200 printable characters and no spaces');
  if (!ADDRESS.test(mail.to.trim())) throw new ValidationError('the recipient is not an email address');
  if (mail.replyTo !== undefined && !ADDRESS.test(mail.replyTo.trim())) {
    throw new ValidationError('the reply-to is not an email address');
  }
  const { ref } = mail;
  const sent = await deps.store.entities.customerMail.get({ tenantId, ref }).go();
  if (sent.data) {
    deps.log.info('customer mail already sent', { tenantId, ref, emailId: sent.data.emailId });
    return { emailId: sent.data.emailId };
  }
  const keys = await deps.keyring.forTenant(tenantId);
  const recipientIndex = recipientIndexOf(keys, mail.to);
  const suppressed = await deps.store.entities.mailSuppression.get({ tenantId, recipientIndex }).go();
  if (suppressed.data) throw new CustomerMailSuppressedError(suppressed.data.reason);

  const { id: emailId } = await deps.resend.sendEmail(
    {
      from: fromHeader(deps.from, mail.from),
      to: [mail.to.trim()],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      ...(mail.replyTo !== undefined && { reply_to: mail.replyTo.trim() }),
      tags: [{ name: 'kind', value: 'customer' }],
    },
    // Resend keeps the key 24 hours: a retry in that time returns the same email id, unsent.
    `${tenantId}/${ref}`,
  );
  const sentAt = Date.now();
  const seconds = Math.floor(sentAt / 1000);
  // The pointer first: Resend's first event can arrive within moments of its answer.
  await deps.store.entities.resendEmailPointer
    .put({ emailId, tenantId, ref, expiresAt: seconds + POINTER_DAYS * 86_400 })
    .go({ response: 'none' });
  await deps.store.entities.customerMail
    .create({
      tenantId,
      ref,
      emailId,
      recipientIndex,
      sentAt,
      state: 'sent',
      at: sentAt,
      expiresAt: seconds + TRACKED_DAYS * 86_400,
    })
    .go({ response: 'none' })
    .catch((error: unknown) => {
      // A concurrent call with the same ref got the same id from Resend and wrote it first.
      if (!isConditionFailure(error)) throw error;
    });
  deps.log.info('customer mail sent', { tenantId, ref, emailId });
  return { emailId };
}

/** The delivery state of the mail sent under `ref`, or undefined when none was (or it is past 90 days). */
export async function mailDeliveryOf(
  store: TrackedMailStore,
  tenantId: string,
  ref: string,
): Promise<MailDeliveryView | undefined> {
  if (!REF.test(ref)) return undefined;
  const { data } = await store.entities.customerMail.get({ tenantId, ref }).go();
  if (!data) return undefined;
  return { state: data.state, ...(data.reason !== undefined && { reason: data.reason }), at: data.at };
}

/** Hard bounce or complaint recorded for this address at this business: a reason to skip, else undefined. */
export async function mailSuppressionOf(
  store: TrackedMailStore,
  keyring: TenantKeyring,
  tenantId: string,
  address: string,
): Promise<'bounced' | 'complained' | undefined> {
  const keys = await keyring.forTenant(tenantId);
  const recipientIndex = recipientIndexOf(keys, address);
  const { data } = await store.entities.mailSuppression.get({ tenantId, recipientIndex }).go();
  return data?.reason;
}

/**
 * Resend as the function's settings give it: its key (SSM in AWS) and, on the local stack only,
 * the fake Resend's URL (`RESEND_BASE_URL`). Waits stay short inside a queue worker.
 *
 * @example
 * const resend = customerMailer(await withSecrets(process.env), isLocalStack(config));
 */
export function customerMailer(
  env: Record<string, string | undefined>,
  local: boolean,
  options: Omit<ResendOptions, 'apiKey' | 'baseUrl'> = { retries: 1, maxWaitSeconds: 2, timeoutMs: 5_000 },
): CustomerMailer {
  const apiKey = env.RESEND_API_KEY;
  if (!apiKey) throw new ConfigError('invalid configuration: RESEND_API_KEY is required to mail customers');
  const baseUrl = local ? env.RESEND_BASE_URL : undefined;
  return createResendClient({ ...options, apiKey, ...(baseUrl && { baseUrl }) });
}
