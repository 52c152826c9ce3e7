import { defineArea } from '../platform/area.js';
import { BILLING_DATA_CLASSES } from './data-classes.js';
import { BILLING_RECORDS } from './deps.js';
import { BILLING_EVENTS_QUEUE, IYZICO_WEBHOOK } from './events-queue.js';
import { IYZICO_PROVIDER } from './iyzico-api.js';
import { BILLING_SWEEP_SCHEDULE } from './schedule.js';
import { USAGE_DATA_CLASSES, USAGE_RECORDS } from './usage-records.js';

/**
 * Billing: the business's subscription through iyzico (checkout, plan changes, cancellation at
 * the period's end, the card), what iyzico's notifications trigger (read back, then applied),
 * the hourly sweep (grace, read-only, cancellations), and Asistone's invoices, kept for the
 * legal period outside the business's partition.
 */
export const billingArea = defineArea({
  name: 'billing',
  providers: [IYZICO_PROVIDER],
  // With the monthly usage counters the plans' limits are enforced against (usage.ts).
  records: { ...BILLING_RECORDS, ...USAGE_RECORDS },
  dataClasses: [...BILLING_DATA_CLASSES, ...USAGE_DATA_CLASSES],
  schedules: [BILLING_SWEEP_SCHEDULE],
  // iyzico's notifications: verified by the webhook, applied by the worker (events.ts).
  queues: [BILLING_EVENTS_QUEUE],
  webhooks: [IYZICO_WEBHOOK],
  // The routes read the subscription, usage and invoices, start hosted forms and change the
  // subscription at iyzico (its keys), write the account, the checkout tokens, invoices and the
  // audit log; iyzico's callback completes a checkout (the invoice counter's UpdateItem).
  api: {
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], tenantKeys: ['Decrypt'] },
    settings: { secrets: ['IYZICO_API_KEY', 'IYZICO_SECRET_KEY'], iyzico: true },
  },
});
