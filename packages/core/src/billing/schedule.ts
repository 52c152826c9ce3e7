import type { FunctionSettings } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';

/**
 * The hourly billing sweep (sweep.ts): grace retries and reminders, read-only when grace runs
 * out, cancellations at the period's end, renewals whose notification never came.
 */
export const BILLING_SWEEP_SCHEDULE = {
  name: 'billing-sweep',
  description:
    'Hourly: retries unpaid renewals in grace, mails grace reminders, turns grace past its end read-only and cancels subscriptions at their period end',
  handler: 'functions/schedules/billing-sweep.handler',
  cron: '41 * * * *',
  timeoutSeconds: 120,
  // Reads the due index and the accounts, writes them, the invoices (a renewal read back), the
  // invoice counter and the audit log; reads owners and admins to mail (sealed with the
  // business's key), and queues their mails.
  access: {
    table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'],
    tenantKeys: ['Decrypt'],
    sends: ['mail'],
  },
  settings: { appUrl: true, iyzico: true, secrets: ['IYZICO_API_KEY', 'IYZICO_SECRET_KEY'] } satisfies FunctionSettings,
} as const satisfies ScheduleDeclaration;
