import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { checkHealth, registeredHealthChecks, storageHealthChecks } from '@asistone/core/platform/health';
import * as z from 'zod';
import { defineRoute } from '../lib/route.js';

const report = z.object({
  status: z.enum(['ok', 'degraded']),
  stage: z.string(),
  components: z.record(z.string(), z.object({ status: z.enum(['ok', 'down']) }).loose()),
});

/** `GET /api/health`: each component's state. Details (queue depths) only on the local stage. */
export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    access: 'public',
    summary: "Each component's state",
    answers: {
      200: { description: 'Everything is up', schema: report },
      503: { description: 'Something is down', schema: report },
    },
    async handle({ c }) {
      const { aws, config } = platform();
      const checked = await checkHealth({
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
      const showDetail = isLocalStack(config);
      const components = Object.fromEntries(
        Object.entries(checked.components).map(([name, health]) => [
          name,
          showDetail ? health : { status: health.status },
        ]),
      );
      c.header('cache-control', 'no-store');
      return c.json({ status: checked.status, stage: config.STAGE, components }, checked.status === 'ok' ? 200 : 503);
    },
  }),
];
