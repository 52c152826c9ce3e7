import type { Logger } from '@aws-lambda-powertools/logger';
import type { TenantKeyring, TenantKeys } from '../platform/crypto/keyring.js';
import type { Producer } from '../platform/queue/producer.js';
import { isConditionFailure } from '../platform/store/service.js';
import { withSafeHeaders } from './headers.js';
import { type DeliverMailMessage, SEALED_MAIL, type SEALED_MAIL_FIELDS } from './mail-messages.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import { MAIL_QUEUE } from './queue.js';
import type { MailStore } from './records.js';

/**
 * Mail leaves through the `mail` queue, never from inside a request: the request only
 * enqueues, and the mail worker sends, so the provider's latency, rate limits and outages
 * never reach the person waiting for an answer, and a failed send waits in the queue (then the
 * dead-letter queue) instead of being lost.
 */

/** Where producers put finished mails: the `mail` queue (or a recording stand-in in tests). */
export interface MailQueue {
  enqueue(message: DeliverMailMessage): Promise<void>;
}

/**
 * @example
 * const mails = mailQueue(platform().producer);
 * await mails.enqueue(sealMail(keys, passwordResetMail(to, url, id, 'tr')));
 */
export function mailQueue(producer: Pick<Producer, 'send'>): MailQueue {
  return { enqueue: (message) => producer.send(MAIL_QUEUE, message) };
}

/** The "deliver" message for a rendered mail, sealed under `keys`' tenant. */
export function sealMail(keys: TenantKeys, mail: OutgoingMail): DeliverMailMessage {
  const seal = (field: (typeof SEALED_MAIL_FIELDS)[number]) =>
    keys.seal(SEALED_MAIL, field, mail.idempotencyKey, mail[field]);
  return {
    kind: 'deliver',
    tenantId: keys.tenantId,
    mail: {
      kind: mail.kind,
      idempotencyKey: mail.idempotencyKey,
      to: seal('to'),
      subject: seal('subject'),
      text: seal('text'),
      html: seal('html'),
    },
  };
}

/** The rendered mail back from its message; throws `SealedDataError` if a field does not open. */
export function openMail(keys: TenantKeys, message: DeliverMailMessage): OutgoingMail {
  const { mail } = message;
  const open = (field: (typeof SEALED_MAIL_FIELDS)[number]) =>
    keys.open(SEALED_MAIL, field, mail.idempotencyKey, mail[field]);
  return {
    kind: mail.kind,
    idempotencyKey: mail.idempotencyKey,
    to: open('to'),
    subject: open('subject'),
    text: open('text'),
    html: open('html'),
  };
}

/** What sending needs: where receipts are kept, and the stage's mailer. */
export interface DeliveryDeps {
  store: MailStore;
  keyring: TenantKeyring;
  mailer: Mailer;
  log: Logger;
}

/** Receipts outlive the queue (4 days) and the dead-letter queue (14 days), replays included. */
const RECEIPT_SECONDS = 30 * 24 * 3600;

/**
 * Sends a mail once per idempotency key: a receipt is written after the provider accepts it,
 * and a redelivered message that finds the receipt sends nothing. Between the send and the
 * receipt, Resend's own Idempotency-Key (24 hours) covers a crash.
 *
 * @example
 * await deliverOnce(deps, ACCOUNTS_TENANT, verifyEmailMail(to, name, url, tokenHash, 'en'));
 */
export async function deliverOnce(
  deps: DeliveryDeps,
  tenantId: string,
  mail: OutgoingMail,
): Promise<'sent' | 'already-sent'> {
  const mailKey = mail.idempotencyKey;
  const receipt = await deps.store.entities.mailReceipt.get({ tenantId, mailKey }).go();
  if (receipt.data) {
    deps.log.info('mail already sent; redelivery ignored', { kind: mail.kind, mailKey });
    return 'already-sent';
  }
  // Whichever mailer sends it (Resend, the dev outbox), no header is built from unchecked text.
  const { id } = await deps.mailer.send(withSafeHeaders(mail));
  const sentAt = Date.now();
  await deps.store.entities.mailReceipt
    .create({
      tenantId,
      mailKey,
      kind: mail.kind,
      providerId: id,
      sentAt,
      expiresAt: Math.floor(sentAt / 1000) + RECEIPT_SECONDS,
    })
    .go({ response: 'none' })
    .catch((error: unknown) => {
      // A concurrent delivery of the same message wrote it first: the same mail, once.
      if (!isConditionFailure(error)) throw error;
    });
  deps.log.info('mail sent', { kind: mail.kind, mailKey, providerId: id });
  return 'sent';
}

/** Opens a "deliver" message under its tenant's key and sends it once. */
export async function deliverSealedMail(deps: DeliveryDeps, message: DeliverMailMessage): Promise<void> {
  const keys = await deps.keyring.forTenant(message.tenantId);
  await deliverOnce(deps, message.tenantId, openMail(keys, message));
}
