import type { ContactExport, ErasureReceipt } from '@asistone/contract/contacts';
import type { Platform } from '@asistone/core/platform/context';
import { eraseContact, exportContact, type Requester } from '@asistone/core/privacy/contact-rights';
import { contactRightsDeps } from '@asistone/core/privacy/contact-rights-deps';

/** What the privacy command needs of a platform: the local one, or one built for an AWS stage. */
export type PlatformParts = Pick<Platform, 'storeOf' | 'keyring' | 'blobs' | 'config'>;

/** The app's export and erasure (privacy/contact-rights.ts), as an operator. */
export function contactRights(parts: PlatformParts) {
  const deps = contactRightsDeps(parts);
  return {
    exportContact: (requester: Requester, tenantId: string, contactId: string): Promise<ContactExport> =>
      exportContact(deps, requester, tenantId, contactId),
    eraseContact: (requester: Requester, tenantId: string, contactId: string): Promise<ErasureReceipt> =>
      eraseContact(deps, requester, tenantId, contactId),
  };
}
