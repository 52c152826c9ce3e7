import { defineArea } from '../platform/area.js';
import { ACCOUNTS_DATA_CLASSES } from './data-classes.js';
import { ACCOUNT_REQUESTS_QUEUE } from './queue.js';
import { ACCOUNT_RECORDS } from './records.js';

/** People, sign-in, businesses and their teams. */
export const accountsArea = defineArea({
  name: 'accounts',
  records: ACCOUNT_RECORDS,
  dataClasses: ACCOUNTS_DATA_CLASSES,
  queues: [ACCOUNT_REQUESTS_QUEUE],
  api: {
    // Records read and written; a KMS key created per business and used for its data key;
    // invitations queue their mail, sign-up and password reset queue a request.
    access: {
      table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
      tenantKeys: ['create', 'GenerateDataKey', 'Decrypt'],
      sends: ['mail', 'account-requests'],
    },
    // Access tokens are signed with the token secret; invitation links point at the web app.
    settings: { secrets: ['AUTH_TOKEN_SECRET'], appUrl: true },
  },
});
