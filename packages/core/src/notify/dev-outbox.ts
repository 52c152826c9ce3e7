import type { TenantKeyring } from '../platform/crypto/keyring.js';
import type { Mailer, MailKind } from './mailer.js';
import type { MailStore } from './records.js';

/** The dev outbox's own reserved tenant: its mails are sealed under a key of their own. */
export const OUTBOX_TENANT = 'dev-outbox';
const FIELDS = ['to', 'subject', 'text', 'html'] as const;

export interface OutboxMail {
  id: string;
  kind: MailKind;
  sentAt: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * A mailer that keeps mails in the table instead of sending them, so a developer can follow
 * verification, reset and invitation links without a mail provider.
 */
export function devOutbox(deps: { store: MailStore; keyring: TenantKeyring }): Mailer {
  return {
    async send(mail) {
      await deps.keyring.provision(OUTBOX_TENANT);
      const keys = await deps.keyring.forTenant(OUTBOX_TENANT);
      const mailId = mail.idempotencyKey.replaceAll('/', '-');
      const sealed = Object.fromEntries(
        FIELDS.map((field) => [field, keys.seal('devMail', field, mailId, mail[field])]),
      ) as Record<(typeof FIELDS)[number], string>;
      await deps.store.entities.devMail
        .put({ tenantId: OUTBOX_TENANT, mailId, sentAt: Date.now(), kind: mail.kind, ...sealed })
        .go();
      return { id: mailId };
    },
  };
}

/** The newest mails first. */
export async function readOutbox(
  deps: { store: MailStore; keyring: TenantKeyring },
  limit = 50,
): Promise<OutboxMail[]> {
  const page = await deps.store.entities.devMail.query.byTime({ tenantId: OUTBOX_TENANT }).go({ order: 'desc', limit });
  if (page.data.length === 0) return [];
  const keys = await deps.keyring.forTenant(OUTBOX_TENANT);
  return page.data.map((item) => {
    const open = (field: (typeof FIELDS)[number]) => keys.open('devMail', field, item.mailId, item[field]);
    return {
      id: item.mailId,
      kind: item.kind as MailKind,
      sentAt: new Date(item.sentAt).toISOString(),
      to: open('to'),
      subject: open('subject'),
      text: open('text'),
      html: open('html'),
    };
  });
}
