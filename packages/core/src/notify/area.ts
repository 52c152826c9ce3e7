import { defineArea } from '../platform/area.js';
import { MAIL_DATA_CLASSES } from './data-classes.js';
import { MAIL_EVENTS_QUEUE, RESEND_WEBHOOK } from './mail-events-queue.js';
import { MAIL_QUEUE } from './queue.js';
import { MAIL_RECORDS } from './records.js';
import { RESEND_PROVIDER } from './resend.js';
import { TRACKED_MAIL_RECORDS } from './tracked-mail-records.js';

/**
 * Mail to people: a queue of finished, sealed mails, sent once each (the dev outbox locally);
 * and mail to businesses' customers, tracked through Resend's delivery webhooks.
 */
export const mailArea = defineArea({
  name: 'mail',
  providers: [RESEND_PROVIDER],
  records: { ...MAIL_RECORDS, ...TRACKED_MAIL_RECORDS },
  dataClasses: MAIL_DATA_CLASSES,
  queues: [MAIL_QUEUE, MAIL_EVENTS_QUEUE],
  webhooks: [RESEND_WEBHOOK],
  // The dev outbox page (local stack only) reads kept mails and opens them.
  api: { access: { table: ['Query'], tenantKeys: ['Decrypt'] } },
});
