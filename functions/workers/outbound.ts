import { graphClient } from '@asistone/core/channels/meta/graph';
import { metaSender } from '@asistone/core/channels/meta/sender';
import { OUTBOUND_QUEUE, type OutboundDeps, processOutbound } from '@asistone/core/inbox/outbound';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { metaGraphSettings } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';

/** Consumes `outbound`: sends each queued reply once through Meta (or the sandbox), paced per number. */
const log = createLogger('outbound');

let deps: OutboundDeps | undefined;
function outboundDeps(): OutboundDeps {
  if (!deps) {
    const { storeOf, keyring, aws, blobs } = platform();
    deps = {
      blobs,
      store: storeOf({ ...INBOX_RECORDS, ...TENANCY_RECORDS }),
      keyring,
      log,
      // Graph calls get 4 s each: three attempts and the pacing fit in the 15 s function.
      sender: metaSender(graphClient({ ...metaGraphSettings(process.env), timeoutMs: 4_000 })),
      documents: DynamoDBDocumentClient.from(aws.dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    };
  }
  return deps;
}

const worker = queueWorker(
  OUTBOUND_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request, delivery) => {
    await processOutbound(outboundDeps(), request, delivery);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
