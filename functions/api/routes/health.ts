import { healthAnswer } from '@asistone/contract/health';
import { isLocalStack } from '@asistone/core/platform/config';
import { platform } from '@asistone/core/platform/context';
import { checkHealth, type HealthCheck } from '@asistone/core/platform/health';
import { queueDepth } from '@asistone/core/platform/queue/depth';
import { runtimeHealthChecks } from '@asistone/core/platform/runtime-status';
import { PRODUCT } from '@asistone/core/product/areas';
import { defineRoute } from '../lib/route.js';

/**
 * Every check that applies where the API runs: the platform's (table, media, queues, keys),
 * each area's own, and on the local stack the runtime's (gateway, web build, pollers, scheduler).
 */
function healthChecks(): Record<string, HealthCheck> {
  const current = platform();
  const { config, aws } = current;
  const areaChecks = Object.fromEntries(Object.entries(PRODUCT.health).map(([name, check]) => [name, check(current)]));
  const runtimeChecks = config.LOCAL_RUNTIME_STATUS
    ? runtimeHealthChecks(config.LOCAL_RUNTIME_STATUS, (queue) => queueDepth(aws.sqs, config.queueUrl(queue)))
    : {};
  return { ...current.healthChecks(), ...areaChecks, ...runtimeChecks };
}

/** `GET /api/health`: each component's state. Details (queue depths) only on the local stage. */
export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/health',
    access: 'public',
    summary: "Each component's state",
    answers: {
      200: { description: 'Everything is up', schema: healthAnswer },
      503: { description: 'Something is down', schema: healthAnswer },
    },
    async handle({ c }) {
      const { config } = platform();
      const checked = await checkHealth(healthChecks());
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
