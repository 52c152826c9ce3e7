import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConfigError } from '../platform/errors.js';
import { devOutbox } from './dev-outbox.js';
import type { Mailer } from './mailer.js';
import type { MailStore } from './records.js';
import { createResendClient, type ResendOptions } from './resend.js';

/**
 * The mailer: Resend, over HTTP. On the local stack that is the fake Resend (`resendBaseUrl`),
 * which keeps each mail in the dev outbox (nothing leaves the machine) and posts Resend's
 * delivery webhooks, so local mail takes the same path as in AWS; a local run with no fake (a
 * CLI command without `npm start`) writes the dev outbox directly. `resend` tunes the client
 * (the mail worker keeps its waits short).
 */
export function chooseMailer(deps: {
  /** On the embedded local stack: mails go to the fake Resend, or straight to the dev outbox. */
  local: boolean;
  /** The fake Resend's URL (`RESEND_BASE_URL`), honoured on the local stack only. */
  resendBaseUrl?: string | undefined;
  resendApiKey: string | undefined;
  from: string;
  store: MailStore;
  keyring: TenantKeyring;
  resend?: Omit<ResendOptions, 'apiKey'>;
}): Mailer {
  if (deps.local && !deps.resendBaseUrl) return devOutbox(deps);
  if (!deps.resendApiKey) throw new ConfigError('invalid configuration: RESEND_API_KEY is required outside local');
  const baseUrl = deps.local ? deps.resendBaseUrl : undefined;
  const resend = createResendClient({ ...deps.resend, apiKey: deps.resendApiKey, ...(baseUrl && { baseUrl }) });
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
