import type {
  CampaignListBody,
  CampaignListMember,
  CampaignListView,
  CampaignSelectionBody,
} from '@asistone/contract/campaign-lists';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import { uploadFile } from './inbox';

export type { CampaignListMember, CampaignListView, ListRejectReason } from '@asistone/contract/campaign-lists';
export { LIST_REJECT_REASONS, MAX_LIST_FILE_BYTES } from '@asistone/contract/campaign-lists';

/**
 * Campaign recipient lists (owners and admins): upload a customer CSV and make a list of it,
 * or snapshot the inbox's WhatsApp customers; follow the import; read members and the report of
 * rejected rows; delete a list.
 */

const lists = (tenantId: string) => `/businesses/${seg(tenantId)}/campaign-lists`;
const list = (tenantId: string, listId: string) => `${lists(tenantId)}/${seg(listId)}`;

export const campaignListKeys = {
  all: (tenantId: string) => ['campaign-lists', tenantId] as const,
  one: (tenantId: string, listId: string) => ['campaign-lists', tenantId, listId] as const,
  members: (tenantId: string, listId: string) => ['campaign-lists', tenantId, listId, 'members'] as const,
};

export function useCampaignLists(tenantId: string) {
  return useQuery({
    queryKey: campaignListKeys.all(tenantId),
    queryFn: async () => (await request<{ lists: CampaignListView[] }>(lists(tenantId))).lists,
    // A list still importing moves on its own: read again until none is.
    refetchInterval: (query) => (query.state.data?.some((l) => l.state === 'importing') ? 1500 : false),
  });
}

/** One list; read every second while it imports, so the page shows the progress. */
export function useCampaignList(tenantId: string, listId: string) {
  return useQuery({
    queryKey: campaignListKeys.one(tenantId, listId),
    queryFn: () => request<CampaignListView>(list(tenantId, listId)),
    refetchInterval: (query) => (query.state.data?.state === 'importing' ? 1000 : false),
  });
}

export function useCampaignListMembers(tenantId: string, listId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: campaignListKeys.members(tenantId, listId),
    enabled,
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      request<{ members: CampaignListMember[]; cursor: string | null }>(
        `${list(tenantId, listId)}/members${pageParam ? `?cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (page) => page.cursor ?? undefined,
  });
}

/**
 * A file made into a list: announced (type and size), put straight to storage through the
 * presigned link with its progress, then named and mapped; the import starts on the server.
 */
export function useUploadCampaignList(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: {
      file: File;
      list: Omit<CampaignListBody, 'uploadId'>;
      onProgress(share: number): void;
    }) => {
      const announced = await request<{
        uploadId: string;
        upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
      }>(`/businesses/${seg(tenantId)}/campaign-uploads`, {
        method: 'POST',
        body: { fileName: input.file.name || 'list.csv', contentType: 'text/csv', contentLength: input.file.size },
      });
      await uploadFile(announced.upload, input.file, input.onProgress);
      return request<CampaignListView>(lists(tenantId), {
        method: 'POST',
        body: { ...input.list, uploadId: announced.uploadId },
      });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: campaignListKeys.all(tenantId) }),
  });
}

export function useSelectCampaignList(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignSelectionBody) =>
      request<CampaignListView>(`${lists(tenantId)}/selection`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignListKeys.all(tenantId) }),
  });
}

/** A 10-minute link to the report of rejected rows. */
export function useCampaignListReport(tenantId: string, listId: string) {
  return useMutation({
    mutationFn: () => request<{ url: string; expiresAt: string }>(`${list(tenantId, listId)}/report`),
  });
}

export function useDeleteCampaignList(tenantId: string, listId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>(list(tenantId, listId), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: campaignListKeys.all(tenantId) }),
  });
}
