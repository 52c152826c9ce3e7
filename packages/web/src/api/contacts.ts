import type {
  Contact,
  ContactExport,
  contactPatchBody,
  ErasureReceipt,
  erasureBody,
  restrictionBody,
} from '@asistone/contract/contacts';
import type { consentsAnswer } from '@asistone/contract/inbox';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type * as z from 'zod';
import { request, seg } from './client';
import { inboxKeys } from './inbox';
import { privacyKeys } from './privacy';

export type { Contact, ContactExport, ErasureReceipt } from '@asistone/contract/contacts';

/**
 * A merchant's customer (a contact) and their rights (docs/api.md, contacts): the profile, its
 * correction and restriction, the consent ledger, the export archive and the erasure.
 */

export type ContactPatch = z.input<typeof contactPatchBody>;
export type Consents = z.output<typeof consentsAnswer>;
export type ConsentEntry = Consents['history'][number];
export type ConsentState = Consents['current'][number];

const contact = (tenantId: string, contactId: string) => `/businesses/${seg(tenantId)}/contacts/${seg(contactId)}`;

export const contactsApi = {
  get: (tenantId: string, contactId: string) => request<Contact>(contact(tenantId, contactId)),
  correct: (tenantId: string, contactId: string, patch: ContactPatch) =>
    request<Contact>(contact(tenantId, contactId), { method: 'PATCH', body: patch }),
  restrict: (tenantId: string, contactId: string, restricted: boolean) =>
    request<Contact>(`${contact(tenantId, contactId)}/restriction`, {
      method: 'PUT',
      body: { restricted } satisfies z.input<typeof restrictionBody>,
    }),
  consents: (tenantId: string, contactId: string) => request<Consents>(`${contact(tenantId, contactId)}/consents`),
  exportData: (tenantId: string, contactId: string) =>
    request<ContactExport>(`${contact(tenantId, contactId)}/export`, { method: 'POST' }),
  erase: (tenantId: string, contactId: string) =>
    request<ErasureReceipt>(`${contact(tenantId, contactId)}/erase`, {
      method: 'POST',
      body: { confirm: 'ERASE' } satisfies z.input<typeof erasureBody>,
    }),
};

export const contactKeys = {
  all: (tenantId: string, contactId: string) => ['contact', tenantId, contactId] as const,
  profile: (tenantId: string, contactId: string) => ['contact', tenantId, contactId, 'profile'] as const,
  consents: (tenantId: string, contactId: string) => ['contact', tenantId, contactId, 'consents'] as const,
};

export function useContact(tenantId: string, contactId: string, enabled = true) {
  return useQuery({
    queryKey: contactKeys.profile(tenantId, contactId),
    queryFn: () => contactsApi.get(tenantId, contactId),
    enabled,
  });
}

export function useConsents(tenantId: string, contactId: string, enabled = true) {
  return useQuery({
    queryKey: contactKeys.consents(tenantId, contactId),
    queryFn: () => contactsApi.consents(tenantId, contactId),
    enabled,
  });
}

export function useCorrectContact(tenantId: string, contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: ContactPatch) => contactsApi.correct(tenantId, contactId, patch),
    onSuccess: async (answer) => {
      client.setQueryData(contactKeys.profile(tenantId, contactId), answer);
      // The inbox shows the contact's name on every conversation.
      await client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) });
    },
  });
}

export function useRestrictContact(tenantId: string, contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (restricted: boolean) => contactsApi.restrict(tenantId, contactId, restricted),
    onSuccess: (answer) => client.setQueryData(contactKeys.profile(tenantId, contactId), answer),
  });
}

/** Each export is a request of its own (listed on the privacy page). */
export function useExportContact(tenantId: string, contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => contactsApi.exportData(tenantId, contactId),
    onSuccess: () => client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) }),
  });
}

/**
 * Erases the contact. The page then stops asking for the profile and drops it from the cache
 * (`forgetContact`): nothing of theirs may linger on screen. The inbox is asked again.
 */
export function useEraseContact(tenantId: string, contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => contactsApi.erase(tenantId, contactId),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: inboxKeys.all(tenantId) }),
        client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) }),
      ]),
  });
}

/** Drops an erased contact's profile and ledger from the cache, once no query asks for them. */
export function useForgetContact(tenantId: string, contactId: string) {
  const client = useQueryClient();
  return useCallback(
    () => client.removeQueries({ queryKey: contactKeys.all(tenantId, contactId) }),
    [client, tenantId, contactId],
  );
}
