import { detectDueCarts } from '@asistone/core/cart-recovery/detection';
import { CART_RECOVERY_RECORDS } from '@asistone/core/cart-recovery/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runTime } from '../lib/run-time.js';

/** Every five minutes: queues the abandoned carts with a step or an expiry due (cart-recovery/detection.ts). */
const log = createLogger('cart-detection');

export const handler = middy(async (event: unknown) => {
  const { storeOf, producer } = platform();
  const run = await detectDueCarts({ store: storeOf(CART_RECOVERY_RECORDS), producer }, runTime(event));
  log.info('cart detection', { ...run });
  return run;
}).use(injectLambdaContext(log, { resetKeys: true }));
