import { ACCOUNT_REQUESTS_QUEUE } from '@asistone/core/accounts/queue';
import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { answerAccountRequest } from '@asistone/core/accounts/requests';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { mailQueue } from '@asistone/core/notify/outbound';
import { readLinksConfig } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `account-requests`: looks each sign-up or reset request's account up and queues its mail. */
const log = createLogger('account-requests');

/** The web app's URL, read from SSM once per cold start (again after a failure). */
const linksTo = once(async () => readLinksConfig(await withSecrets(process.env)).APP_URL);

const worker = queueWorker(
  ACCOUNT_REQUESTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request) => {
    const { storeOf, keyring, producer } = platform();
    const store = storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS });
    await answerAccountRequest({ store, keyring, log, mails: mailQueue(producer), appUrl: await linksTo() }, request);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
