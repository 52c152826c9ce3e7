import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { STOCK_RECORDS } from '@asistone/core/stock/records';
import { completeTransfer, STOCK_TRANSFERS_QUEUE, type TransferDeps } from '@asistone/core/stock/transfers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/** Consumes `stock-transfers`: records each transfer's leg out and leg in, each once (stock/transfers.ts). */
const log = createLogger('stock-transfers');

const deps = once(async (): Promise<TransferDeps> => {
  const { storeOf, producer } = platform();
  return { store: storeOf({ ...SHOPIFY_STORE_RECORDS, ...STOCK_RECORDS }), producer, log };
});

const worker = queueWorker(
  STOCK_TRANSFERS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (transfer) => {
    await completeTransfer(await deps(), transfer);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
