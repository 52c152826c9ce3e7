import { adsInsights } from '@asistone/core/ads/insights';
import { ADS_RECOMMENDATIONS_QUEUE } from '@asistone/core/ads/queue';
import { recommend } from '@asistone/core/ads/recommendations';
import { adsViewDeps } from '@asistone/core/ads/view-deps';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { lazyModel } from '../lib/model.js';
import { withSecrets } from '../lib/secrets.js';

/** Consumes `ads-recommendations`: the AI reads one account's figures and proposes changes citing them (ads/recommendations.ts). */
const log = createLogger('ads-recommendations');

const deps = once(async () => {
  const env = await withSecrets(process.env);
  return { view: adsViewDeps(platform()), model: lazyModel(env) };
});

const worker = queueWorker(
  ADS_RECOMMENDATIONS_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (request) => {
    const { view, model } = await deps();
    const answer = await adsInsights(view, request.tenantId, {
      accountId: request.accountId,
      level: request.level,
      from: request.from,
      to: request.to,
    });
    const result = await recommend({ store: view.store, model }, request, answer);
    log.info('ads recommendations', {
      accountId: request.accountId,
      kept: result.recommendations.length,
      dropped: result.dropped,
    });
  },
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
