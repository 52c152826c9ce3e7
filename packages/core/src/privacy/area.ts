import { defineArea } from '../platform/area.js';
import { ACCOUNT_DELETIONS_SCHEDULE } from './account-deletion-schedule.js';
import { CONTACT_EXPORT_DATA_CLASSES, CONTACT_EXPORT_RECORDS } from './contact-exports.js';
import { META_DATA_DELETION_DATA_CLASSES, PRIVACY_DATA_CLASSES } from './data-classes.js';
import { PRIVACY_DEADLINES_SCHEDULE } from './deadline-schedule.js';
import { PRIVACY_EXPORTS_QUEUE } from './export-queue.js';
import { META_DATA_DELETION_RECORDS } from './meta-data-deletion.js';
import { META_DATA_DELETION_QUEUE, META_DATA_DELETION_WEBHOOK } from './meta-data-deletion-callback.js';
import { PRIVACY_REQUEST_DATA_CLASSES, PRIVACY_REQUEST_RECORDS } from './privacy-requests.js';
import { PRIVACY_RECORDS } from './records.js';
import { TRANSFER_AGREEMENT_DATA_CLASSES, TRANSFER_AGREEMENT_RECORDS } from './requests.js';
import { RETENTION_PURGE_SCHEDULE } from './schedule.js';

/** The privacy engine: retention per data class, the purges and their receipts. */
export const privacyArea = defineArea({
  name: 'privacy',
  records: {
    ...PRIVACY_RECORDS,
    ...TRANSFER_AGREEMENT_RECORDS,
    ...PRIVACY_REQUEST_RECORDS,
    ...META_DATA_DELETION_RECORDS,
    ...CONTACT_EXPORT_RECORDS,
  },
  // Meta's data deletion callback (meta-data-deletion.ts): its webhook and the worker that applies it.
  webhooks: [META_DATA_DELETION_WEBHOOK],
  queues: [META_DATA_DELETION_QUEUE, PRIVACY_EXPORTS_QUEUE],
  // The account export route queues the archive's build (account-export.ts).
  // A contact's export and erasure run in the API (contact-rights.ts): they read and remove the
  // contact's items, write the tagged archive and remove the contact's files and old archives.
  api: {
    access: {
      sends: ['privacy-exports'],
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      blobs: ['GetObject', 'PutObject', 'PutObjectTagging', 'DeleteObject'],
    },
  },
  schedules: [RETENTION_PURGE_SCHEDULE, PRIVACY_DEADLINES_SCHEDULE, ACCOUNT_DELETIONS_SCHEDULE],
  dataClasses: [
    ...PRIVACY_DATA_CLASSES,
    ...TRANSFER_AGREEMENT_DATA_CLASSES,
    ...PRIVACY_REQUEST_DATA_CLASSES,
    ...CONTACT_EXPORT_DATA_CLASSES,
    ...META_DATA_DELETION_DATA_CLASSES,
  ],
});
