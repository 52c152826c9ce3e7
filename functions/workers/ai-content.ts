import { ACCOUNT_RECORDS } from '@asistone/core/accounts/records';
import { CONTENT_RECORDS } from '@asistone/core/ai/content';
import { AI_CONTENT_QUEUE } from '@asistone/core/ai/content-queue';
import { writeContentDraft } from '@asistone/core/ai/content-writing';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { lazyModel } from '../lib/model.js';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `ai-content`: the AI writes one draft a person asked for (ai/content-writing.ts). */
const log = createLogger('ai-content');

/** Built on first message: the OpenAI key is read from SSM once per cold start, again after a failure. */
const deps = once(async () => {
  const { storeOf, keyring, blobs } = platform();
  const env = await withSecrets(process.env);
  // Built on the first model call: without a key or endpoint the call throws ConfigError and
  // the draft ends `failed` (model-misconfigured) instead of waiting for retries that cannot help.
  return {
    store: storeOf({ ...CONTENT_RECORDS, ...ACCOUNT_RECORDS, ...TENANCY_RECORDS, ...AUDIT_RECORDS }),
    keyring,
    storeOf,
    blobs,
    model: lazyModel(env),
    log,
  };
});

const worker = queueWorker(
  AI_CONTENT_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request, delivery) => {
    await writeContentDraft(await deps(), request, {
      lastDelivery: delivery.receiveCount >= AI_CONTENT_QUEUE.maxReceiveCount,
    });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
