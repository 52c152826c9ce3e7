import type {
  openTransferAgreementsRequestAnswer,
  privacyRequestsAnswer,
  subprocessorsAnswer,
  transferAgreementsRequestAnswer,
} from '@asistone/contract/privacy';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { request, seg } from './client';

/** The privacy page: sub-processors and the request for the transfer agreements (docs/api.md). */

export type Subprocessors = z.output<typeof subprocessorsAnswer>;
export type Subprocessor = Subprocessors['subprocessors'][number];
export type TransferAgreementsRequest = z.output<typeof transferAgreementsRequestAnswer>;
type OpenRequest = z.output<typeof openTransferAgreementsRequestAnswer>;
export type PrivacyRequests = z.output<typeof privacyRequestsAnswer>;
export type PrivacyRequest = PrivacyRequests['requests'][number];

const privacy = (tenantId: string) => `/businesses/${seg(tenantId)}/privacy`;

export const privacyApi = {
  subprocessors: (tenantId: string) => request<Subprocessors>(`${privacy(tenantId)}/subprocessors`),
  openAgreementsRequest: (tenantId: string) => request<OpenRequest>(`${privacy(tenantId)}/transfer-agreements-request`),
  requestAgreements: (tenantId: string) =>
    request<TransferAgreementsRequest>(`${privacy(tenantId)}/transfer-agreements-request`, { method: 'POST' }),
  requests: (tenantId: string) => request<PrivacyRequests>(`${privacy(tenantId)}/requests`),
};

export const privacyKeys = {
  subprocessors: (tenantId: string) => ['privacy', tenantId, 'subprocessors'] as const,
  agreementsRequest: (tenantId: string) => ['privacy', tenantId, 'transfer-agreements-request'] as const,
  requests: (tenantId: string) => ['privacy', tenantId, 'requests'] as const,
};

export function useSubprocessors(tenantId: string) {
  return useQuery({
    queryKey: privacyKeys.subprocessors(tenantId),
    queryFn: () => privacyApi.subprocessors(tenantId),
    // The declaration changes only with a release.
    staleTime: 10 * 60_000,
  });
}

/** Asked only of roles that may request the agreements (others get 403). */
export function useOpenAgreementsRequest(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: privacyKeys.agreementsRequest(tenantId),
    queryFn: async () => (await privacyApi.openAgreementsRequest(tenantId)).request,
    enabled,
  });
}

export function useRequestAgreements(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => privacyApi.requestAgreements(tenantId),
    onSuccess: (answer) => {
      client.setQueryData(privacyKeys.agreementsRequest(tenantId), answer);
      // The request is listed among the business's data requests too.
      void client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) });
    },
  });
}

/** Every data request of the business with its deadline and receipt; asked only of `data.export` holders. */
export function usePrivacyRequests(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: privacyKeys.requests(tenantId),
    queryFn: async () => (await privacyApi.requests(tenantId)).requests,
    enabled,
  });
}
