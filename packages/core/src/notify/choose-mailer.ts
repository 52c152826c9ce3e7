import type { TenantKeyring } from '../platform/crypto/keyring.js';
import { ConfigError } from '../platform/errors.js';
import type { Store } from '../platform/store/service.js';
import { devOutbox } from './dev-outbox.js';
import type { Mailer } from './mailer.js';
import { createResendClient } from './resend.js';

/**
 * The mailer for this stage: the dev outbox locally (nothing leaves the machine), Resend
 * everywhere else.
 */
export function chooseMailer(deps: {
  stage: string;
  resendApiKey: string | undefined;
  from: string;
  store: Store;
  keyring: TenantKeyring;
}): Mailer {
  if (deps.stage === 'local') return devOutbox(deps);
  if (!deps.resendApiKey) throw new ConfigError('invalid configuration: RESEND_API_KEY is required outside local');
  const resend = createResendClient({ apiKey: deps.resendApiKey });
  return {
    async send(mail) {
      await resend.sendEmail(
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
