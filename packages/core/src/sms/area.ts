import { defineArea } from '../platform/area.js';
import { SMS_API } from './api.js';
import { SMS_DATA_CLASSES } from './data-classes.js';
import { NETGSM_PROVIDER } from './netgsm.js';
import { SMS_RECORDS } from './records.js';
import { SMS_REPORTS_SCHEDULE } from './reports-schedule.js';

/**
 * SMS through each business's own NetGSM account: the account (settings), sending once per ref
 * (send.ts, used by order notices), and the delivery reports polled every 5 minutes.
 */
export const smsArea = defineArea({
  name: 'sms',
  providers: [NETGSM_PROVIDER],
  records: SMS_RECORDS,
  dataClasses: SMS_DATA_CLASSES,
  api: SMS_API,
  schedules: [SMS_REPORTS_SCHEDULE],
});
