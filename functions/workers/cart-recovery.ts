import { CAMPAIGN_SETTINGS_RECORDS } from '@asistone/core/campaigns/settings-records';
import { handleCartMessage } from '@asistone/core/cart-recovery/handle';
import { CART_RECOVERY_QUEUE } from '@asistone/core/cart-recovery/queue';
import { CART_RECOVERY_RECORDS } from '@asistone/core/cart-recovery/records';
import type { CartStepDeps } from '@asistone/core/cart-recovery/steps';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { createLogger } from '@asistone/core/platform/log';
import { once } from '@asistone/core/platform/once';
import { queueWorker } from '@asistone/core/platform/queue/worker';
import { SHOPIFY_STORE_RECORDS } from '@asistone/core/shopify/store-records';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { customerChannels } from '../lib/customer-channels.js';

/** Consumes `cart-recovery`: keeps each abandoned cart and sends its due steps once (cart-recovery/handle.ts). */
const log = createLogger('cart-recovery');

/** Built on first message: the Resend key is read from SSM once per cold start, again after a failure. */
const cartDeps = once(async (): Promise<CartStepDeps> => {
  const { storeOf, keyring, producer } = platform();
  return {
    store: storeOf({
      ...CART_RECOVERY_RECORDS,
      ...SHOPIFY_STORE_RECORDS,
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...CAMPAIGN_SETTINGS_RECORDS,
    }),
    keyring,
    producer,
    log,
    channels: await customerChannels(log, 'commercial'),
  };
});

const worker = queueWorker(
  CART_RECOVERY_QUEUE,
  () => {
    const { blobs, deadLetters, settlements } = platform();
    return { blobs, deadLetters, settlements, log };
  },
  async (message) => handleCartMessage(await cartDeps(), message),
);

export const handler = middy(worker).use(injectLambdaContext(log, { resetKeys: true }));
