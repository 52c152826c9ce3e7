import { defineArea } from '../platform/area.js';
import { CAMPAIGN_BUSINESS_DATA, CAMPAIGN_CONTACT_DATA, CAMPAIGN_DATA_CLASSES } from './campaign-data.js';
import { CAMPAIGN_RECORDS } from './campaign-records.js';
import { CAMPAIGN_LIST_BUSINESS_DATA, CAMPAIGN_LIST_CONTACT_DATA } from './contact-data.js';
import { CAMPAIGN_LIST_DATA_CLASSES } from './data-classes.js';
import { CAMPAIGN_IMPORTS_QUEUE } from './import-queue.js';
import { CAMPAIGN_LIST_RECORDS } from './list-records.js';
import { CAMPAIGN_PACE_DATA_CLASSES, CAMPAIGN_PACE_RECORDS } from './pace.js';
import { CAMPAIGN_FANOUT_QUEUE, CAMPAIGN_SCHEDULER_SCHEDULE, CAMPAIGN_SEND_QUEUE } from './send-queues.js';
import {
  CAMPAIGN_SETTINGS_DATA_CLASSES,
  CAMPAIGN_SETTINGS_RECORDS,
  CAMPAIGN_TOUCH_CONTACT_DATA,
} from './settings-records.js';

/**
 * WhatsApp campaigns: recipient lists (an uploaded CSV or a selection of the inbox's customers),
 * and who of them may receive a campaign. Recipients are the inbox's contacts, so the consent
 * ledger, opt-out keywords, restriction, export and erasure apply to them unchanged.
 */
export const campaignsArea = defineArea({
  name: 'campaigns',
  records: { ...CAMPAIGN_LIST_RECORDS, ...CAMPAIGN_SETTINGS_RECORDS, ...CAMPAIGN_RECORDS, ...CAMPAIGN_PACE_RECORDS },
  dataClasses: [
    ...CAMPAIGN_LIST_DATA_CLASSES,
    ...CAMPAIGN_SETTINGS_DATA_CLASSES,
    ...CAMPAIGN_DATA_CLASSES,
    ...CAMPAIGN_PACE_DATA_CLASSES,
  ],
  contactData: [...CAMPAIGN_LIST_CONTACT_DATA, ...CAMPAIGN_TOUCH_CONTACT_DATA, ...CAMPAIGN_CONTACT_DATA],
  businessData: [...CAMPAIGN_LIST_BUSINESS_DATA, ...CAMPAIGN_BUSINESS_DATA],
  queues: [CAMPAIGN_IMPORTS_QUEUE, CAMPAIGN_FANOUT_QUEUE, CAMPAIGN_SEND_QUEUE],
  schedules: [CAMPAIGN_SCHEDULER_SCHEDULE],
  // The list routes announce uploads (presigned PUT, HEAD of the file), create, read, page and
  // delete lists and members, queue the import, open member names and numbers, link the report,
  // and audit deletions. The audience check reads contacts, consent and touches in batches.
  // The campaign routes keep drafts, move campaigns between states and queue the fan-out.
  api: {
    access: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      blobs: ['GetObject', 'PutObject', 'DeleteObject'],
      sends: ['campaign-imports', 'campaign-fanout'],
    },
  },
});
