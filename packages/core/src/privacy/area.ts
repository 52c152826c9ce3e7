import { defineArea } from '../platform/area.js';
import { PRIVACY_DATA_CLASSES } from './data-classes.js';
import { PRIVACY_RECORDS } from './records.js';
import { TRANSFER_AGREEMENT_DATA_CLASSES, TRANSFER_AGREEMENT_RECORDS } from './requests.js';
import { RETENTION_PURGE_SCHEDULE } from './schedule.js';

/** The privacy engine: retention per data class, the purges and their receipts. */
export const privacyArea = defineArea({
  name: 'privacy',
  records: { ...PRIVACY_RECORDS, ...TRANSFER_AGREEMENT_RECORDS },
  schedules: [RETENTION_PURGE_SCHEDULE],
  dataClasses: [...PRIVACY_DATA_CLASSES, ...TRANSFER_AGREEMENT_DATA_CLASSES],
});
