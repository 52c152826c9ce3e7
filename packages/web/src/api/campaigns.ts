import type {
  CampaignCreateBody,
  CampaignPreviewAnswer,
  CampaignsAnswer,
  CampaignTemplatesAnswer,
  CampaignUpdateBody,
  CampaignView,
} from '@asistone/contract/campaigns';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { query, request, seg } from './client';

export type {
  CampaignPreviewAnswer,
  CampaignState,
  CampaignSummary,
  CampaignTemplate,
  CampaignTemplateOption,
  CampaignView,
  VariableSource,
} from '@asistone/contract/campaigns';
export { MAX_SCHEDULE_DAYS } from '@asistone/contract/campaigns';

/**
 * Campaigns (owners and admins): the list, a draft composed and changed, the templates a number
 * may send, a preview of what the first recipients read, and send now or schedule.
 */

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;
const campaignPath = (tenantId: string, campaignId: string) => `${business(tenantId)}/campaigns/${seg(campaignId)}`;

export const campaignKeys = {
  list: (tenantId: string) => ['campaigns', tenantId, 'list'] as const,
  one: (tenantId: string, campaignId: string) => ['campaigns', tenantId, 'one', campaignId] as const,
  templates: (tenantId: string, channelId: string) => ['campaigns', tenantId, 'templates', channelId] as const,
};

export function useCampaigns(tenantId: string) {
  return useQuery({
    queryKey: campaignKeys.list(tenantId),
    queryFn: async () => (await request<CampaignsAnswer>(`${business(tenantId)}/campaigns`)).campaigns,
  });
}

export function useCampaign(tenantId: string, campaignId: string | undefined) {
  return useQuery({
    queryKey: campaignKeys.one(tenantId, campaignId ?? ''),
    queryFn: () => request<CampaignView>(campaignPath(tenantId, campaignId ?? '')),
    enabled: Boolean(campaignId),
  });
}

/** The approved MARKETING templates of the number's WhatsApp account. */
export function useCampaignTemplates(tenantId: string, channelId: string | null) {
  return useQuery({
    queryKey: campaignKeys.templates(tenantId, channelId ?? ''),
    queryFn: () => request<CampaignTemplatesAnswer>(`${business(tenantId)}/campaign-templates${query({ channelId })}`),
    enabled: Boolean(channelId),
  });
}

export function useCampaignChanges(tenantId: string) {
  const client = useQueryClient();
  const settle = (campaign: CampaignView) => {
    client.setQueryData(campaignKeys.one(tenantId, campaign.campaignId), campaign);
    void client.invalidateQueries({ queryKey: campaignKeys.list(tenantId) });
  };
  return {
    create: useMutation({
      mutationFn: (body: CampaignCreateBody) =>
        request<CampaignView>(`${business(tenantId)}/campaigns`, { method: 'POST', body }),
      onSuccess: settle,
    }),
    update: useMutation({
      mutationFn: ({ campaignId, ...body }: CampaignUpdateBody & { campaignId: string }) =>
        request<CampaignView>(campaignPath(tenantId, campaignId), { method: 'PATCH', body }),
      onSuccess: settle,
    }),
    send: useMutation({
      mutationFn: ({ campaignId, at }: { campaignId: string; at: string | null }) =>
        request<CampaignView>(`${campaignPath(tenantId, campaignId)}/send`, { method: 'POST', body: { at } }),
      onSuccess: settle,
    }),
    preview: useMutation({
      mutationFn: ({ campaignId, count }: { campaignId: string; count: number }) =>
        request<CampaignPreviewAnswer>(`${campaignPath(tenantId, campaignId)}/preview`, {
          method: 'POST',
          body: { count },
        }),
    }),
  };
}
