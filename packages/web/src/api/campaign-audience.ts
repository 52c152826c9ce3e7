import type {
  AudiencePreviewAnswer,
  AudiencePreviewBody,
  CampaignSettingsAnswer,
  CampaignSettingsBody,
} from '@asistone/contract/campaign-audience';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';

export type {
  AudienceCost,
  AudiencePreviewAnswer,
  CampaignSettings,
  CampaignSettingsAnswer,
  SkipReason,
} from '@asistone/contract/campaign-audience';
export { SKIP_REASONS } from '@asistone/contract/campaign-audience';

/**
 * Campaign settings and the audience check (owners and admins): who a campaign would reach,
 * why the others would not, and what it would cost.
 */

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;

export const campaignAudienceKeys = {
  settings: (tenantId: string) => ['campaign-audience', tenantId, 'settings'] as const,
  lists: (tenantId: string) => ['campaign-audience', tenantId, 'lists'] as const,
};

export function useCampaignSettings(tenantId: string) {
  return useQuery({
    queryKey: campaignAudienceKeys.settings(tenantId),
    queryFn: () => request<CampaignSettingsAnswer>(`${business(tenantId)}/campaign-settings`),
  });
}

export function useSaveCampaignSettings(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CampaignSettingsBody) =>
      request<CampaignSettingsAnswer>(`${business(tenantId)}/campaign-settings`, { method: 'PUT', body }),
    onSuccess: (answer) => client.setQueryData(campaignAudienceKeys.settings(tenantId), answer),
  });
}

/** The lists an audience can be made of: those whose import finished. */
export interface AudienceList {
  listId: string;
  name: string;
  state: string;
  counts: { accepted: number };
}

export function useAudienceLists(tenantId: string) {
  return useQuery({
    queryKey: campaignAudienceKeys.lists(tenantId),
    queryFn: async () =>
      (await request<{ lists: AudienceList[] }>(`${business(tenantId)}/campaign-lists`)).lists.filter(
        (list) => list.state === 'ready',
      ),
  });
}

export function useAudiencePreview(tenantId: string) {
  return useMutation({
    mutationFn: (body: AudiencePreviewBody) =>
      request<AudiencePreviewAnswer>(`${business(tenantId)}/campaign-audience/preview`, { method: 'POST', body }),
  });
}
