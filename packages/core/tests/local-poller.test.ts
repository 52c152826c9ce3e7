import { Logger } from '@aws-lambda-powertools/logger';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Poller, startPoller } from '../../local/src/pollers.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';
import { finished, releaseSlow, SLOW_QUEUE } from './support/slow-consumer.js';

/**
 * The local poller plays Lambda's SQS event source: it gives the consumer a context whose
 * clock runs out at the consumer's timeout, deletes what the consumer finished, and leaves the
 * rest to come back after the visibility timeout.
 */
const log = new Logger({ logLevel: 'SILENT' });
let test: TestPlatform;
let poller: Poller | undefined;

beforeAll(async () => {
  test = await startTestPlatform();
  // The consumer builds its platform from the environment, as a Lambda does.
  Object.assign(process.env, test.env);
});
afterAll(async () => {
  poller?.stop();
  releaseSlow();
  await test?.stop();
});

async function depth(queueUrl: string) {
  const out = await test.platform.aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    waiting: Number(out.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

describe('the local queue poller', () => {
  it('acknowledges the finished messages of a batch that outruns its consumer, and only those', async () => {
    const { aws, config } = test.platform;
    const queueUrl = config.queueUrl(SLOW_QUEUE.name);
    await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [1, 2, 3].map((n) => ({ Id: String(n), MessageBody: JSON.stringify({ tenantId: 't_poll', n }) })),
      }),
    );

    poller = startPoller(aws.sqs, SLOW_QUEUE, queueUrl, log);
    await expect.poll(() => finished.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => poller?.status().busySince, { timeout: 10_000 }).toBeUndefined();

    // 1 and 3 were finished and deleted; 2, still running at the timeout, waits to come back.
    // (Had the consumer outrun its timeout, all three would be waiting to come back.)
    expect(finished.sort()).toEqual([1, 3]);
    await expect.poll(() => depth(queueUrl), { timeout: 5_000 }).toEqual({ waiting: 0, inFlight: 1 });
  });
});
