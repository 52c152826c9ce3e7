import { PermanentError, SealedDataError } from '../platform/errors.js';
import type { DeliverMailMessage } from './mail-messages.js';
import { type DeliveryDeps, deliverSealedMail } from './outbound.js';

/** What the mail worker needs: receipts, the keyring and the mailer. */
export type MailWorkerDeps = DeliveryDeps;

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
 * Handles one message of the `mail` queue: opens the finished mail and sends it once. A
 * redelivered message finds its receipt and sends nothing. A provider rate limit or outage
 * throws a transient error (the message comes back after the visibility timeout); a refusal is
 * permanent (dead-letter queue).
 *
 * @example
 * export const handler = queueWorker(MAIL_QUEUE, workerDeps, (message) => processMailMessage(deps, message));
 */
export async function processMailMessage(deps: MailWorkerDeps, message: DeliverMailMessage): Promise<void> {
  try {
    await deliverSealedMail(deps, message);
  } catch (error) {
    if (error instanceof SealedDataError)
      throw new UnreadableMailError(`a sealed field does not open: ${error.message}`);
    throw error;
  }
}
