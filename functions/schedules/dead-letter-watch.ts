import { countDeadLetters } from '@asistone/core/ops/dead-letters';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * Hourly: reports how many messages wait in each dead-letter queue. A non-zero count is
 * logged as a warning (`deadLetters > 0`), which a metric filter or alarm can watch.
 */
const log = createLogger('dead-letter-watch');

export const handler = middy(async () => {
  const { aws, config } = platform();
  const counts = await countDeadLetters({ sqs: aws.sqs, queueUrls: config.queueUrls() });
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (total > 0) log.warn('dead letters waiting', { deadLetters: total, byQueue: counts });
  else log.info('no dead letters', { deadLetters: 0 });
  return { deadLetters: total, byQueue: counts };
}).use(injectLambdaContext(log, { resetKeys: true }));
