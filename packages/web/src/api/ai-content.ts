import type { ContentDraftView, ContentKind } from '@asistone/contract/ai-content';
import type { StoreProduct } from '@asistone/contract/store';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';

export type { ContentDraftView, ContentKind } from '@asistone/contract/ai-content';

/**
 * AI drafts of campaign messages and ad texts (docs/ai-agent.md, "Content on request"): asked
 * for and reviewed by owners and admins (`campaigns.send`). A draft asked for comes back
 * `writing`; the list is polled until the AI has written it (or it failed).
 */

const draftsPath = (tenantId: string) => `/businesses/${seg(tenantId)}/ai/content-drafts`;

export const aiContentKeys = {
  drafts: (tenantId: string) => ['ai-content', tenantId, 'drafts'] as const,
  products: (tenantId: string) => ['ai-content', tenantId, 'products'] as const,
};

/** How often the list is read again while a draft is being written (the AI takes seconds). */
export const WRITING_POLL_MS = 1_500;

/** The drafts, read again every {@link WRITING_POLL_MS} while one of them is `writing`, and not otherwise. */
export function useContentDrafts(tenantId: string) {
  return useQuery({
    queryKey: aiContentKeys.drafts(tenantId),
    queryFn: () => request<{ drafts: ContentDraftView[] }>(draftsPath(tenantId)),
    refetchInterval: (query) =>
      query.state.data?.drafts.some((draft) => draft.status === 'writing') ? WRITING_POLL_MS : false,
  });
}

/** The store's products to choose from: the first 100 of the local copy, searched in the picker. */
export function useDraftProducts(tenantId: string) {
  return useQuery({
    queryKey: aiContentKeys.products(tenantId),
    queryFn: () =>
      request<{ products: StoreProduct[] }>(`/businesses/${seg(tenantId)}/store/products?limit=100`).then(
        (page) => page.products,
      ),
  });
}

export interface DraftRequest {
  kind: ContentKind;
  language: 'tr' | 'en';
  brief: string;
  productIds: string[];
}

export function useContentDraftChanges(tenantId: string) {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: aiContentKeys.drafts(tenantId) });
  return {
    ask: useMutation({
      mutationFn: (body: DraftRequest) => request<ContentDraftView>(draftsPath(tenantId), { method: 'POST', body }),
      onSuccess: refresh,
    }),
    review: useMutation({
      mutationFn: ({ draftId, ...body }: { draftId: string; decision: 'approved' | 'discarded'; text?: string }) =>
        request<ContentDraftView>(`${draftsPath(tenantId)}/${seg(draftId)}/review`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
  };
}
