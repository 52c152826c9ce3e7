import { defineArea } from '../platform/area.js';
import { CART_DETECTION_SCHEDULE, CART_RECOVERY_QUEUE } from './queue.js';
import { CART_RECOVERY_DATA_CLASSES, CART_RECOVERY_RECORDS } from './records.js';

/**
 * Abandoned-cart recovery: the business's sequence, one cart per abandoned checkout with what
 * each step did, the detection schedule that finds the carts due and the worker that sends each
 * step once. The channels are other areas' (mail, SMS, the inbox's WhatsApp templates), the
 * checkouts and orders the Shopify sync's, the message budget the campaigns'.
 */
export const cartRecoveryArea = defineArea({
  name: 'cartRecovery',
  records: CART_RECOVERY_RECORDS,
  dataClasses: CART_RECOVERY_DATA_CLASSES,
  queues: [CART_RECOVERY_QUEUE],
  schedules: [CART_DETECTION_SCHEDULE],
  // The routes read and save the settings, list carts and read the lift.
  api: { access: { table: ['GetItem', 'PutItem', 'Query'] } },
});
