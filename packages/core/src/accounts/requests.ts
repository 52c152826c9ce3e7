import { PermanentError, SealedDataError } from '../platform/errors.js';
import type { MessageOf } from '../platform/queue/declarations.js';
import type { Producer } from '../platform/queue/producer.js';
import type { AccountRequestDeps } from './deps.js';
import { sendPasswordResetLink } from './password-reset.js';
import { ACCOUNT_REQUESTS_QUEUE } from './queue.js';
import { answerSignUpRequest } from './sign-up.js';

export type AccountRequest = MessageOf<typeof ACCOUNT_REQUESTS_QUEUE>;

/** Where the API puts account requests (or a recording stand-in in tests). */
export interface AccountRequestQueue {
  enqueue(request: AccountRequest): Promise<void>;
}

export function accountRequestQueue(producer: Pick<Producer, 'send'>): AccountRequestQueue {
  return { enqueue: (request) => producer.send(ACCOUNT_REQUESTS_QUEUE, request) };
}

/** A sealed field that does not open never will: tampered, or sealed under another key. */
export class UnreadableRequestError extends PermanentError {
  override name = 'UnreadableRequestError';
}

/**
 * Answers one request: looks the account up and queues the mail it calls for. Every path is
 * idempotent (the mail's key comes from the request), so a redelivered request sends nothing
 * twice.
 *
 * @example
 * export const handler = queueWorker(ACCOUNT_REQUESTS_QUEUE, workerDeps, (request) => answerAccountRequest(deps, request));
 */
export async function answerAccountRequest(deps: AccountRequestDeps, request: AccountRequest): Promise<void> {
  try {
    switch (request.kind) {
      case 'password-reset-request':
        return await sendPasswordResetLink(deps, request);
      case 'sign-up-request':
        return await answerSignUpRequest(deps, request);
    }
  } catch (error) {
    if (error instanceof SealedDataError) {
      throw new UnreadableRequestError(`a sealed field does not open: ${error.message}`);
    }
    throw error;
  }
}
