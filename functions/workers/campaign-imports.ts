import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { CAMPAIGN_IMPORTS_QUEUE, IMPORT_WORK_SECONDS } from '@asistone/core/campaigns/import-queue';
import { importUploadedList, type ListImportDeps } from '@asistone/core/campaigns/imports';
import { CAMPAIGN_LIST_RECORDS } from '@asistone/core/campaigns/list-records';
import { deleteMembers, fillSelection, removeList } from '@asistone/core/campaigns/lists';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Consumes `campaign-imports`: imports an uploaded list file, snapshots an inbox selection, or
 * finishes deleting a list too big to delete within its request; the list's state says which.
 */
const log = createLogger('campaign-imports');

const deps = once(async (): Promise<ListImportDeps> => {
  const { storeOf, keyring, blobs, producer } = platform();
  return {
    store: storeOf({ ...CAMPAIGN_LIST_RECORDS, ...INBOX_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    blobs,
    producer,
    log,
  };
});

const worker = queueWorker(
  CAMPAIGN_IMPORTS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => {
    const d = await deps();
    const { tenantId, listId } = message;
    const { data: list } = await d.store.entities.campaignList.get({ tenantId, listId }).go({ consistent: true });
    if (!list) return;
    if (list.state === 'deleting') {
      const remaining = await deleteMembers(d.store, tenantId, listId, Date.now() + IMPORT_WORK_SECONDS * 1000);
      if (remaining) await d.producer.send(CAMPAIGN_IMPORTS_QUEUE, message);
      else await removeList(d, tenantId, listId);
      return;
    }
    if (list.source === 'selection') await fillSelection(d, message);
    else await importUploadedList(d, message);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
