import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { eraseContact } from '@asistone/core/privacy/contact-rights';
import { contactRightsDeps } from '@asistone/core/privacy/contact-rights-deps';
import {
  applyDataDeletion,
  type DataDeletionWorkerDeps,
  META_DATA_DELETION_WORK_RECORDS,
} from '@asistone/core/privacy/meta-data-deletion';
import { META_DATA_DELETION_QUEUE } from '@asistone/core/privacy/meta-data-deletion-callback';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `meta-data-deletion`: removes the person of one Meta data deletion callback from every
 * business (their Instagram Login channel's token, their contacts), each business's request
 * completed with a receipt (privacy/meta-data-deletion.ts).
 */
const log = createLogger('meta-data-deletion-worker');

let deps: DataDeletionWorkerDeps | undefined;
function workerDeps(): DataDeletionWorkerDeps {
  if (!deps) {
    const { storeOf, keyring, blobs } = platform();
    const rights = contactRightsDeps({ storeOf, keyring, blobs });
    deps = {
      store: storeOf(META_DATA_DELETION_WORK_RECORDS),
      keyring,
      eraseContact: (requester, tenantId, contactId) => eraseContact(rights, requester, tenantId, contactId),
      log,
    };
  }
  return deps;
}

const worker = queueWorker(
  META_DATA_DELETION_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (work) => {
    const outcome = await applyDataDeletion(workerDeps(), work);
    log.info('meta data deletion processed', { code: work.code, ...outcome });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
