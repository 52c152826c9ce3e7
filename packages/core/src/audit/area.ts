import { defineArea } from '../platform/area.js';
import { AUDIT_DATA_CLASSES } from './data-classes.js';
import { AUDIT_RECORDS } from './records.js';

/** The append-only audit log of each business. */
export const auditArea = defineArea({
  name: 'audit',
  records: AUDIT_RECORDS,
  dataClasses: AUDIT_DATA_CLASSES,
  // Owners and admins read the log (Query); routes of every area append to it.
  api: { access: { table: ['Query', 'PutItem'] } },
});
