import type {
  AdAccountsAnswer,
  AdAccountView,
  AdLevel,
  AdsInsightsAnswer,
  AdsRecommendationsAnswer,
} from '@asistone/contract/ads';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import { downloadCsv } from './download';

export type {
  AdAccountView,
  AdDay,
  AdFigures,
  AdLevel,
  AdRecommendation,
  AdRow,
  AdsInsightsAnswer,
  AdsRecommendationsAnswer,
} from '@asistone/contract/ads';
export { AD_LEVELS, AD_RECOMMENDATION_KINDS } from '@asistone/contract/ads';

/**
 * Meta ads: the connected ad accounts (owners and admins connect them, read-only), each account's
 * figures per level and day, the same table as CSV, and the AI's recommendations on a range.
 */

const base = (tenantId: string) => `/businesses/${seg(tenantId)}/ads`;

/** One account's view: a level over a range of days (ISO dates, both included). */
export interface AdsView {
  accountId: string;
  level: AdLevel;
  from: string;
  to: string;
}

export const adsKeys = {
  all: (tenantId: string) => ['ads', tenantId] as const,
  setup: (tenantId: string) => ['ads', tenantId, 'setup'] as const,
  accounts: (tenantId: string) => ['ads', tenantId, 'accounts'] as const,
  insights: (tenantId: string, view: AdsView) => ['ads', tenantId, 'insights', view] as const,
  recommendations: (tenantId: string, accountId: string) => ['ads', tenantId, 'recommendations', accountId] as const,
};

/** Whether an account's history is still coming in from Meta. */
export const isBackfilling = (account: AdAccountView) =>
  account.backfill.state === 'waiting' || account.backfill.state === 'running';

/** How often the page looks again while a history comes in (the sync re-queues itself every few seconds). */
const BACKFILL_POLL_MS = 3_000;

export interface AdsSetup {
  appId: string | null;
  graphVersion: string;
  /** The fake Meta's sign-in page on the local stack; null where Meta's own dialog is used. */
  localDialog: string | null;
}

export function useAdsSetup(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: adsKeys.setup(tenantId),
    queryFn: () => request<AdsSetup>(`${base(tenantId)}/setup`),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The accounts, read again every few seconds while any history is still coming in. */
export function useAdAccounts(tenantId: string) {
  return useQuery({
    queryKey: adsKeys.accounts(tenantId),
    queryFn: async () => (await request<AdAccountsAnswer>(`${base(tenantId)}/accounts`)).accounts,
    refetchInterval: (query) => (query.state.data?.some(isBackfilling) ? BACKFILL_POLL_MS : false),
  });
}

export function useConnectAdAccounts(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { code: string; redirectUri?: string }) =>
      request<AdAccountsAnswer>(`${base(tenantId)}/connect`, { method: 'POST', body }),
    onSuccess: (answer) => client.setQueryData(adsKeys.accounts(tenantId), answer.accounts),
  });
}

export function useDisconnectAdAccount(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (accountId: string) =>
      request<AdAccountView>(`${base(tenantId)}/accounts/${seg(accountId)}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: adsKeys.accounts(tenantId) }),
  });
}

const viewQuery = (view: AdsView) => new URLSearchParams({ ...view }).toString();

/** The figures; read again while the account's history is still coming in (`live`). */
export function useAdsInsights(tenantId: string, view: AdsView, live: boolean) {
  return useQuery({
    queryKey: adsKeys.insights(tenantId, view),
    queryFn: () => request<AdsInsightsAnswer>(`${base(tenantId)}/insights?${viewQuery(view)}`),
    enabled: view.from !== '' && view.to !== '' && view.from <= view.to,
    refetchInterval: live ? BACKFILL_POLL_MS * 2 : false,
    placeholderData: (previous) => previous,
  });
}

/** The table as CSV, saved as a file. */
export function useExportAdsCsv(tenantId: string) {
  return useMutation({
    mutationFn: (view: AdsView) =>
      downloadCsv(
        `${base(tenantId)}/insights.csv?${viewQuery(view)}`,
        `ads-${view.accountId}-${view.level}-${view.from}-${view.to}.csv`,
      ),
  });
}

/** How often the page looks for the recommendations it asked for (the AI answers within seconds). */
const RECOMMENDATIONS_POLL_MS = 2_000;

/** The asked-for recommendations have arrived when the newest is at least as new as the request. */
export const hasArrived = (answer: AdsRecommendationsAnswer | null | undefined, askedAt: string | null) =>
  askedAt === null || (answer != null && Date.parse(answer.createdAt) >= Date.parse(askedAt));

/** The newest recommendations on an account (null before any); polled until the ones asked for arrive. */
export function useAdsRecommendations(tenantId: string, accountId: string, askedAt: string | null) {
  return useQuery({
    queryKey: adsKeys.recommendations(tenantId, accountId),
    queryFn: () =>
      request<AdsRecommendationsAnswer | null>(`${base(tenantId)}/recommendations?accountId=${seg(accountId)}`),
    refetchInterval: (query) => (hasArrived(query.state.data, askedAt) ? false : RECOMMENDATIONS_POLL_MS),
  });
}

export function useAskForRecommendations(tenantId: string) {
  return useMutation({
    mutationFn: (body: { accountId: string; from: string; to: string }) =>
      request<{ createdAt: string }>(`${base(tenantId)}/recommendations`, { method: 'POST', body }),
  });
}
