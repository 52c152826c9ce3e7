import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConfigError } from '../platform/errors.js';
import { devOutbox } from './dev-outbox.js';
import type { Mailer } from './mailer.js';
import type { MailStore } from './records.js';
import { createResendClient, type ResendOptions } from './resend.js';

/**
 * The mailer: the dev outbox on the local stack (nothing leaves the machine), Resend
 * everywhere else. `resend` tunes the client (the mail worker keeps its waits short).
 */
export function chooseMailer(deps: {
  /** On the embedded local stack: mails go to the dev outbox. */
  local: boolean;
  resendApiKey: string | undefined;
  from: string;
  store: MailStore;
  keyring: TenantKeyring;
  resend?: Omit<ResendOptions, 'apiKey'>;
}): Mailer {
  if (deps.local) return devOutbox(deps);
  if (!deps.resendApiKey) throw new ConfigError('invalid configuration: RESEND_API_KEY is required outside local');
  const resend = createResendClient({ ...deps.resend, apiKey: deps.resendApiKey });
  return {
    async send(mail) {
      return resend.sendEmail(
        {
          from: deps.from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          tags: [{ name: 'kind', value: mail.kind }],
        },
        mail.idempotencyKey,
      );
    },
  };
}
