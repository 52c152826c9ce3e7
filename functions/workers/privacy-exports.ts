import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { buildAccountExport } from '@asistone/core/privacy/account-export';
import { BUSINESS_DATA } from '@asistone/core/privacy/business-catalog';
import { CONTACT_DATA } from '@asistone/core/privacy/contact-catalog';
import { PRIVACY_EXPORTS_QUEUE } from '@asistone/core/privacy/export-queue';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `privacy-exports`: builds a business's full export archive and completes its request. */
const log = createLogger('privacy-exports');

const worker = queueWorker(
  PRIVACY_EXPORTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    const { storeOf, keyring, blobs } = platform();
    const built = await buildAccountExport(
      {
        store: storeOf({ ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS, ...PRIVACY_REQUEST_RECORDS }),
        keyring,
        blobs,
        storeOf,
        contactData: CONTACT_DATA,
        businessData: BUSINESS_DATA,
      },
      message,
    );
    // Ids and counts only.
    log.info('account export built', { tenantId: message.tenantId, requestId: message.requestId, ...built });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
