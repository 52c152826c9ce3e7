import { chooseMailer } from '@asistone/core/notify/choose-mailer';
import { type MailWorkerDeps, processMailMessage, WORKER_RESEND_LIMITS } from '@asistone/core/notify/mail-worker';
import { MAIL_QUEUE } from '@asistone/core/notify/queue';
import { MAIL_RECORDS } from '@asistone/core/notify/records';
import { isLocalStack, readMailConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `mail`: opens each finished mail and sends it once. */
const log = createLogger('mail');

/** Built on first message: the Resend key is read from SSM once per cold start, again after a failure. */
const mailDeps = once(async (): Promise<MailWorkerDeps> => {
  const { storeOf, keyring, config } = platform();
  const store = storeOf(MAIL_RECORDS);
  const settings = readMailConfig(await withSecrets(process.env));
  const mailer = chooseMailer({
    local: isLocalStack(config),
    // Set by the local stack only: its fake Resend, which keeps mails in the dev outbox.
    resendBaseUrl: process.env.RESEND_BASE_URL,
    resendApiKey: settings.RESEND_API_KEY,
    from: settings.MAIL_FROM,
    store,
    keyring,
    resend: WORKER_RESEND_LIMITS,
  });
  return { store, keyring, log, mailer };
});

const worker = queueWorker(
  MAIL_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => processMailMessage(await mailDeps(), message),
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
