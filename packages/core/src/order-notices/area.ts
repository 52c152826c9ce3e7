import { defineArea } from '../platform/area.js';
import { ORDER_NOTICES_QUEUE } from './queue.js';
import { ORDER_NOTICE_DATA_CLASSES, ORDER_NOTICE_RECORDS } from './records.js';

/**
 * Order and shipping notifications to a business's Shopify customers: settings, the queue of
 * orders seen, and each notice sent once with its outcome. The channels are other areas' (mail,
 * sms, the inbox's WhatsApp templates).
 */
export const orderNoticesArea = defineArea({
  name: 'orderNotices',
  records: ORDER_NOTICE_RECORDS,
  dataClasses: ORDER_NOTICE_DATA_CLASSES,
  queues: [ORDER_NOTICES_QUEUE],
  // The settings routes read and save the settings; the order's notices read delivery states
  // (tracked mail, SMS jobs, WhatsApp messages).
  api: { access: { table: ['GetItem', 'PutItem', 'Query'] } },
});
