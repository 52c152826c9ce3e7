import type {
  CampaignAttribution,
  CampaignFailures,
  CampaignProgress,
  CampaignRecipients,
  CampaignTimelineBucket,
} from '@asistone/contract/campaign-results';
import { EXPORT_CURSOR_HEADER } from '@asistone/contract/campaign-results';
import type { RecipientState } from '@asistone/contract/campaigns';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, refreshAccessToken, request, seg, tokens } from './client';

export type {
  AttributionGroup,
  CampaignAttribution,
  CampaignProgress,
  CampaignRecipientView,
  CampaignTimelineBucket,
} from '@asistone/contract/campaign-results';
export { RECIPIENT_STATES, type RecipientState } from '@asistone/contract/campaigns';

/**
 * A campaign's results: progress (read every two seconds while it sends), the funnel over time,
 * failure reasons, recipients, the CSV export and the attribution; and the merchant's pause,
 * resume and cancel.
 */

const campaign = (tenantId: string, campaignId: string) => `/businesses/${seg(tenantId)}/campaigns/${seg(campaignId)}`;

export const campaignResultKeys = {
  all: (tenantId: string, campaignId: string) => ['campaign-results', tenantId, campaignId] as const,
  progress: (tenantId: string, campaignId: string) => ['campaign-results', tenantId, campaignId, 'progress'] as const,
  part: (tenantId: string, campaignId: string, part: string, extra?: string) =>
    ['campaign-results', tenantId, campaignId, part, extra ?? ''] as const,
};

const LIVE = new Set(['sending', 'scheduled']);

export function useCampaignProgress(tenantId: string, campaignId: string) {
  return useQuery({
    queryKey: campaignResultKeys.progress(tenantId, campaignId),
    queryFn: () => request<CampaignProgress>(`${campaign(tenantId, campaignId)}/progress`),
    refetchInterval: (query) => (LIVE.has(query.state.data?.state ?? '') ? 2000 : false),
  });
}

/** The other parts follow the progress: read again whenever it changes while sending. */
export function useCampaignTimeline(tenantId: string, campaignId: string, live: boolean) {
  return useQuery({
    queryKey: campaignResultKeys.part(tenantId, campaignId, 'timeline'),
    queryFn: async () =>
      (await request<{ buckets: CampaignTimelineBucket[] }>(`${campaign(tenantId, campaignId)}/timeline`)).buckets,
    refetchInterval: live ? 5000 : false,
  });
}

export function useCampaignFailures(tenantId: string, campaignId: string, live: boolean) {
  return useQuery({
    queryKey: campaignResultKeys.part(tenantId, campaignId, 'failures'),
    queryFn: async () => (await request<CampaignFailures>(`${campaign(tenantId, campaignId)}/failures`)).failures,
    refetchInterval: live ? 5000 : false,
  });
}

export function useCampaignRecipients(tenantId: string, campaignId: string, state: RecipientState | null) {
  return useInfiniteQuery({
    queryKey: campaignResultKeys.part(tenantId, campaignId, 'recipients', state ?? ''),
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams();
      if (state) params.set('state', state);
      if (pageParam) params.set('cursor', pageParam);
      const search = params.toString();
      return request<CampaignRecipients>(`${campaign(tenantId, campaignId)}/recipients${search ? `?${search}` : ''}`);
    },
    getNextPageParam: (page) => page.cursor ?? undefined,
  });
}

export function useCampaignAttribution(tenantId: string, campaignId: string) {
  return useQuery({
    queryKey: campaignResultKeys.part(tenantId, campaignId, 'attribution'),
    queryFn: () => request<CampaignAttribution>(`${campaign(tenantId, campaignId)}/attribution`),
  });
}

export type CampaignAction = 'pause' | 'resume' | 'cancel';

export function useCampaignAction(tenantId: string, campaignId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: CampaignAction) =>
      request<unknown>(`${campaign(tenantId, campaignId)}/${action}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: campaignResultKeys.all(tenantId, campaignId) }),
  });
}

/** One part of the CSV (the request helper reads JSON; this one reads text and the next cursor). */
async function exportPart(tenantId: string, campaignId: string, cursor: string | null) {
  const path = `/api${campaign(tenantId, campaignId)}/export${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
  const call = () =>
    fetch(path, {
      method: 'POST',
      headers: { accept: 'text/csv', ...(tokens.get() && { authorization: `Bearer ${tokens.get()}` }) },
      credentials: 'same-origin',
    });
  let response = await call();
  if (response.status === 401 && (await refreshAccessToken())) response = await call();
  if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  return { csv: await response.text(), next: response.headers.get(EXPORT_CURSOR_HEADER) };
}

/** The whole CSV, its parts joined, saved as one file. */
export function useExportCampaignResults(tenantId: string, campaignId: string) {
  return useMutation({
    mutationFn: async () => {
      const parts: string[] = [];
      let cursor: string | null = null;
      do {
        const part: { csv: string; next: string | null } = await exportPart(tenantId, campaignId, cursor);
        parts.push(part.csv);
        cursor = part.next;
      } while (cursor);
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${campaignId}-results.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return parts.length;
    },
  });
}
