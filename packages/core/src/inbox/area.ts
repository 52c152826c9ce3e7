import { defineArea } from '../platform/area.js';
import { INBOX_RECORDS } from './records.js';

/** Contacts, conversations and messages from every channel. */
export const inboxArea = defineArea({ name: 'inbox', records: INBOX_RECORDS });
