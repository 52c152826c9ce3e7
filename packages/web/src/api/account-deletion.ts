import type {
  AccountDeletion,
  AccountDeletionBody,
  AccountExport,
  accountDeletionStateAnswer,
} from '@asistone/contract/account-deletion';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as z from 'zod';
import { request, seg } from './client';
import { privacyKeys } from './privacy';

/** The business account as a whole: its deletion (owner) and its full export (docs/api.md). */

export type { AccountDeletion, AccountExport };

type DeletionState = z.output<typeof accountDeletionStateAnswer>;

const privacy = (tenantId: string) => `/businesses/${seg(tenantId)}/privacy`;

export const accountApi = {
  deletion: (tenantId: string) => request<DeletionState>(`${privacy(tenantId)}/account-deletion`),
  requestDeletion: (tenantId: string, body: AccountDeletionBody) =>
    request<AccountDeletion>(`${privacy(tenantId)}/account-deletion`, { method: 'POST', body }),
  cancelDeletion: (tenantId: string) =>
    request<AccountDeletion>(`${privacy(tenantId)}/account-deletion`, { method: 'DELETE' }),
  requestExport: (tenantId: string) =>
    request<AccountExport>(`${privacy(tenantId)}/account-export`, { method: 'POST' }),
  exportStatus: (tenantId: string, requestId: string) =>
    request<AccountExport>(`${privacy(tenantId)}/account-export/${seg(requestId)}`),
};

const deletionKey = (tenantId: string) => ['privacy', tenantId, 'account-deletion'] as const;
const exportKey = (tenantId: string, requestId: string) => ['privacy', tenantId, 'account-export', requestId] as const;

/** The newest deletion request; asked only of the owner (others get 403). */
export function useAccountDeletion(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: deletionKey(tenantId),
    queryFn: async () => (await accountApi.deletion(tenantId)).deletion,
    enabled,
  });
}

function useDeletionChange<A>(tenantId: string, change: (input: A) => Promise<AccountDeletion>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (deletion) => {
      client.setQueryData(deletionKey(tenantId), deletion);
      void client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) });
    },
  });
}

export function useRequestDeletion(tenantId: string) {
  return useDeletionChange(tenantId, (body: AccountDeletionBody) => accountApi.requestDeletion(tenantId, body));
}

export function useCancelDeletion(tenantId: string) {
  return useDeletionChange(tenantId, (_: undefined) => accountApi.cancelDeletion(tenantId));
}

export function useRequestExport(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => accountApi.requestExport(tenantId),
    onSuccess: () => void client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) }),
  });
}

/** Polls an export every two seconds until it is done; the answer then carries a fresh link. */
export function useExportStatus(tenantId: string, requestId: string | undefined) {
  const client = useQueryClient();
  return useQuery({
    queryKey: exportKey(tenantId, requestId ?? ''),
    queryFn: async () => {
      const answer = await accountApi.exportStatus(tenantId, requestId as string);
      if (answer.status === 'done') void client.invalidateQueries({ queryKey: privacyKeys.requests(tenantId) });
      return answer;
    },
    enabled: requestId !== undefined,
    refetchInterval: (query) => (query.state.data?.status === 'open' ? 2000 : false),
    // The link lasts ten minutes: never show one from a stale cache.
    staleTime: 0,
  });
}
