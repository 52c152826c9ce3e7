import type { StockAdjustment, StockAdjustmentBody, StockView } from '@asistone/contract/stock';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import { storeKeys } from './store';

export type { StockAdjustment, StockAdjustmentBody, StockView } from '@asistone/contract/stock';

/**
 * Stock per location and the adjustments made here (docs/shopify-stock.md): read by the team,
 * adjusted by owners and admins; each adjustment is applied here at once and pushed to Shopify
 * in the background, so its state is asked again until the push settles.
 */

const stockPath = (tenantId: string) => `/businesses/${seg(tenantId)}/stock`;

export const stockApi = {
  view: (tenantId: string) => request<StockView>(stockPath(tenantId)),
  adjust: (tenantId: string, body: StockAdjustmentBody) =>
    request<{ adjustment: StockAdjustment }>(`${stockPath(tenantId)}/adjustments`, { method: 'POST', body }),
};

export const stockKeys = {
  view: (tenantId: string) => ['store', tenantId, 'stock'] as const,
};

export function useStockView(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: stockKeys.view(tenantId),
    queryFn: () => stockApi.view(tenantId),
    enabled,
    // A push takes a moment (the worker, then Shopify): asked again while one is pending.
    refetchInterval: (query) =>
      query.state.data?.adjustments.some((adjustment) => adjustment.status === 'pending') ? 2000 : false,
  });
}

export function useAdjustStock(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: StockAdjustmentBody) => stockApi.adjust(tenantId, body),
    // The level moved here at once: the products' numbers and the history are read again.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: stockKeys.view(tenantId) }),
        client.invalidateQueries({ queryKey: storeKeys.products(tenantId) }),
      ]),
  });
}
