import { defineArea } from '../platform/area.js';
import { MAIL_DATA_CLASSES } from './data-classes.js';
import { MAIL_QUEUE } from './queue.js';
import { MAIL_RECORDS } from './records.js';

/** Mail to people: a queue of finished, sealed mails, sent once each (the dev outbox locally). */
export const mailArea = defineArea({
  name: 'mail',
  records: MAIL_RECORDS,
  dataClasses: MAIL_DATA_CLASSES,
  queues: [MAIL_QUEUE],
  // The dev outbox page (local stack only) reads kept mails and opens them.
  api: { access: { table: ['Query'], tenantKeys: ['Decrypt'] } },
});
