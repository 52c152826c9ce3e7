import { platform } from '@asistone/core/platform/context';
import { checkHealth, registeredHealthChecks, storageHealthChecks } from '@asistone/core/platform/health';
import { Hono } from 'hono';

/** `GET /api/health`: each component's state. Details (queue depths) only on the local stage. */
export const health = new Hono().get('/health', async (c) => {
  const { aws, config } = platform();
  const report = await checkHealth({
    ...storageHealthChecks({
      dynamo: aws.dynamo,
      s3: aws.s3,
      sqs: aws.sqs,
      table: config.TABLE_NAME,
      bucket: config.MEDIA_BUCKET,
      queueUrl: config.queueUrl,
    }),
    ...registeredHealthChecks(),
  });
  const showDetail = config.STAGE === 'local';
  const components = Object.fromEntries(
    Object.entries(report.components).map(([name, health]) => [name, showDetail ? health : { status: health.status }]),
  );
  c.header('cache-control', 'no-store');
  return c.json({ status: report.status, stage: config.STAGE, components }, report.status === 'ok' ? 200 : 503);
});
