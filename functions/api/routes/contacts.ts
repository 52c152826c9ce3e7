import {
  contactAnswer,
  contactExportAnswer,
  contactPatchBody,
  erasureAnswer,
  erasureBody,
  restrictionBody,
} from '@asistone/contract/contacts';
import type { AccessClaims } from '@asistone/core/accounts/access-tokens';
import type { RequestOrigin } from '@asistone/core/accounts/deps';
import { AUDIT_RECORDS } from '@asistone/core/audit/records';
import { getContact } from '@asistone/core/inbox/contacts';
import { INBOX_RECORDS } from '@asistone/core/inbox/records';
import { platform } from '@asistone/core/platform/context';
import { once } from '@asistone/core/platform/once';
import { CONTACT_DATA } from '@asistone/core/privacy/contact-catalog';
import { CONTACT_EXPORT_RECORDS } from '@asistone/core/privacy/contact-exports';
import {
  type ContactRightsDeps,
  correctContact,
  eraseContact,
  exportContact,
  type Requester,
  restrictContact,
} from '@asistone/core/privacy/contact-rights';
import { PRIVACY_REQUEST_RECORDS } from '@asistone/core/privacy/privacy-requests';
import { TENANCY_RECORDS } from '@asistone/core/tenancy/records';
import { defineRoute } from '../lib/route.js';

/**
 * A customer's page: the profile for the team, and the rights owners and admins exercise for
 * the customer (correction, restriction, export, erasure), each recorded as a privacy request
 * and audited. The router answers 404 for a contact id of any other shape than the product's
 * (lib/params.ts), as for one of another business.
 */

const CONTACT = '/businesses/:tenantId/contacts/:contactId';

const deps = once(async (): Promise<ContactRightsDeps> => {
  const { storeOf, keyring, blobs } = platform();
  return {
    store: storeOf({
      ...INBOX_RECORDS,
      ...TENANCY_RECORDS,
      ...AUDIT_RECORDS,
      ...PRIVACY_REQUEST_RECORDS,
      ...CONTACT_EXPORT_RECORDS,
    }),
    keyring,
    storeOf,
    blobs,
    contactData: CONTACT_DATA,
  };
});

const requester = (caller: AccessClaims, origin: RequestOrigin): Requester => ({
  by: `member:${caller.userId}`,
  source: 'app',
  userId: caller.userId,
  ...(origin.sourceAddress && { sourceAddress: origin.sourceAddress }),
});

export const contactRoutes = [
  defineRoute({
    method: 'get',
    path: CONTACT,
    access: 'conversations.read',
    summary: 'A customer: name, number, handle, email, restriction, and their conversations',
    answers: { 200: { description: 'The contact', schema: contactAnswer } },
    async handle({ c, business, params }) {
      return c.json(await getContact(await deps(), business.tenantId, params.contactId ?? ''));
    },
  }),
  defineRoute({
    method: 'patch',
    path: CONTACT,
    access: 'contacts.manage',
    summary: "Correct a customer's name or email (audited by the fields' names, never their values)",
    body: contactPatchBody,
    answers: { 200: { description: 'The contact as corrected', schema: contactAnswer } },
    async handle({ c, business, caller, body, params, origin }) {
      const contactId = params.contactId ?? '';
      return c.json(await correctContact(await deps(), requester(caller, origin), business.tenantId, contactId, body));
    },
  }),
  defineRoute({
    method: 'put',
    path: `${CONTACT}/restriction`,
    access: 'contacts.manage',
    summary: 'Restrict processing of a customer (kept, but left out of AI replies, campaigns, recovery), or lift it',
    body: restrictionBody,
    answers: { 200: { description: 'The contact', schema: contactAnswer } },
    async handle({ c, business, caller, body, params, origin }) {
      const contactId = params.contactId ?? '';
      return c.json(
        await restrictContact(await deps(), requester(caller, origin), business.tenantId, contactId, body.restricted),
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONTACT}/export`,
    access: 'contacts.manage',
    summary: 'Everything held about a customer, as one ZIP (JSON and CSV) behind a 10-minute link',
    answers: { 201: { description: 'The archive’s link', schema: contactExportAnswer } },
    async handle({ c, business, caller, params, origin }) {
      const contactId = params.contactId ?? '';
      return c.json(await exportContact(await deps(), requester(caller, origin), business.tenantId, contactId), 201);
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONTACT}/erase`,
    access: 'contacts.manage',
    summary: 'Erase a customer’s data everywhere; answers the receipt (no personal data in it)',
    body: erasureBody,
    answers: { 200: { description: 'The erasure’s receipt', schema: erasureAnswer } },
    async handle({ c, business, caller, params, origin }) {
      const contactId = params.contactId ?? '';
      return c.json(await eraseContact(await deps(), requester(caller, origin), business.tenantId, contactId));
    },
  }),
];
