import { defineArea } from '../platform/area.js';
import { INBOX_CONTACT_DATA } from './contact-data.js';
import { INBOX_DATA_CLASSES } from './data-classes.js';
import { OUTBOUND_QUEUE } from './outbound.js';
import { INBOX_RECORDS } from './records.js';

/** Contacts, conversations and messages from every channel, and the replies that leave through `outbound`. */
export const inboxArea = defineArea({
  name: 'inbox',
  records: INBOX_RECORDS,
  dataClasses: INBOX_DATA_CLASSES,
  contactData: INBOX_CONTACT_DATA,
  queues: [OUTBOUND_QUEUE],
  // The inbox routes read and change conversations, queue replies, and sync templates from Meta.
  api: {
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['Decrypt'],
      sends: ['outbound'],
      // Media links are presigned by the API: the link carries its role's right to read the
      // object, or (a reply's file, uploaded by the browser) to write it; HEAD checks the upload.
      blobs: ['GetObject', 'PutObject'],
    },
    settings: { metaGraph: true },
  },
});
