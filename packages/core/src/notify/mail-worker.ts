import type { AccountsMailDeps } from '../accounts/deps.js';
import { sendPasswordResetLink } from '../accounts/password-reset.js';
import { answerSignUpRequest } from '../accounts/sign-up.js';
import { PermanentError, SealedDataError } from '../platform/errors.js';
import type { QueueMessage } from '../platform/queue/messages.js';
import { deliverSealedMail } from './outbound.js';

/** What the mail worker needs: receipts and the mailer, plus the app's URL for links. */
export type MailWorkerDeps = AccountsMailDeps;

/**
 * How the mail worker calls Resend: waits inside a function stay short (one retry after at
 * most 2 s of `retry-after`, 5 s per request); past that the message goes back to the queue and
 * the visibility timeout is the back-off.
 */
export const WORKER_RESEND_LIMITS = { retries: 1, maxWaitSeconds: 2, timeoutMs: 5_000 } as const;

/** A sealed field that does not open never will: tampered, or sealed under another key. */
export class UnreadableMailError extends PermanentError {
  override name = 'UnreadableMailError';
}

/**
 * Handles one message of the `mail` queue: a rendered mail to deliver, or an accounts request
 * whose mail depends on whether an account exists. Every path is idempotent, so a redelivered
 * message sends nothing twice. A provider rate limit or outage throws a transient error (the
 * message comes back after the visibility timeout); a refusal is permanent (dead-letter queue).
 *
 * @example
 * export const handler = queueWorker('mail', workerDeps, (message) => processMailMessage(deps, message));
 */
export async function processMailMessage(deps: MailWorkerDeps, message: QueueMessage<'mail'>): Promise<void> {
  try {
    switch (message.kind) {
      case 'deliver':
        return await deliverSealedMail(deps, message);
      case 'password-reset-request':
        return await sendPasswordResetLink(deps, message);
      case 'sign-up-request':
        return await answerSignUpRequest(deps, message);
    }
  } catch (error) {
    if (error instanceof SealedDataError)
      throw new UnreadableMailError(`a sealed field does not open: ${error.message}`);
    throw error;
  }
}
