import { AUDIT_RECORDS } from '../audit/records.js';
import { INBOX_RECORDS } from '../inbox/records.js';
import { TENANCY_RECORDS } from '../tenancy/records.js';
import { CONTACT_DATA } from './contact-catalog.js';
import { CONTACT_EXPORT_RECORDS } from './contact-exports.js';
import type { ContactRightsDeps } from './contact-rights.js';
import { PRIVACY_REQUEST_RECORDS } from './privacy-requests.js';

/**
 * The contact rights' dependencies from a platform's parts, for the callers outside the API:
 * `npm run privacy` (local or an AWS stage) and the Meta data deletion worker. The same records
 * and the same areas' contact data as the app, so receipts and audit entries are the same.
 */
export function contactRightsDeps(parts: Pick<ContactRightsDeps, 'storeOf' | 'keyring' | 'blobs'>): ContactRightsDeps {
  return {
    store: parts.storeOf({
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...PRIVACY_REQUEST_RECORDS,
      ...CONTACT_EXPORT_RECORDS,
    }),
    keyring: parts.keyring,
    storeOf: parts.storeOf,
    blobs: parts.blobs,
    contactData: CONTACT_DATA,
  };
}
