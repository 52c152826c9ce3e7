import { answerInbound } from '@asistone/core/ai/agent';
import { AI_REPLIES_QUEUE } from '@asistone/core/ai/queue';
import { agentDeps } from '@asistone/core/ai/wiring';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { lazyModel } from '../lib/model.js';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `ai-replies`: the AI agent answers one customer message, or hands it to a person (ai/agent.ts). */
const log = createLogger('ai-replies');

/** Built on first message: the OpenAI key is read from SSM once per cold start, again after a failure. */
const deps = once(async () => {
  const { storeOf, keyring, producer, blobs } = platform();
  const env = await withSecrets(process.env);
  // Built on the first model call: a deployment without a key still silences nothing; the
  // agent's call fails and it hands the conversation to a person (agent.ts), as for an outage.
  return agentDeps({ storeOf, keyring, producer, blobs, model: lazyModel(env), log });
});

const worker = queueWorker(
  AI_REPLIES_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request) => {
    await answerInbound(await deps(), request);
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
