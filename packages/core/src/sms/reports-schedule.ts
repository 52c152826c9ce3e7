import type { Access } from '../platform/access.js';
import type { ScheduleDeclaration } from '../platform/area.js';

/**
 * Every 5 minutes: asks NetGSM for the delivery reports of each business's pending SMS
 * (sms/reports.ts). Its own function: it finds businesses on the business list and their
 * pending jobs by Query, opens each business's NetGSM password, and settles jobs. No queues,
 * no objects, no Scan; the NetGSM credentials are the businesses' own, so no deployment secret.
 */
export const SMS_REPORTS_SCHEDULE = {
  name: 'sms-reports',
  description: "Polls NetGSM for the delivery reports of each business's pending SMS",
  handler: 'functions/schedules/sms-reports.handler',
  // Every 5 minutes, a minute off the hour's fives that other jobs favour. A list of minutes,
  // because both EventBridge and the local scheduler read it.
  cron: '1,6,11,16,21,26,31,36,41,46,51,56 * * * *',
  timeoutSeconds: 300,
  access: {
    table: ['GetItem', 'UpdateItem', 'DeleteItem', 'Query'],
    tenantKeys: ['Decrypt'],
  } satisfies Access,
} as const satisfies ScheduleDeclaration;
