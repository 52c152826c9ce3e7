import { processMailEvent } from '@asistone/core/notify/mail-events';
import { MAIL_EVENTS_QUEUE } from '@asistone/core/notify/mail-events-queue';
import { TRACKED_MAIL_RECORDS } from '@asistone/core/notify/tracked-mail-records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `mail-events`: records each Resend delivery event on its tracked mail once. */
const log = createLogger('mail-events');

const worker = queueWorker(
  MAIL_EVENTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (event) => {
    await processMailEvent({ store: platform().storeOf(TRACKED_MAIL_RECORDS), log }, event);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
