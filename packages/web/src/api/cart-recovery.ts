import type {
  CartRecoverySettings,
  CartRecoverySettingsAnswer,
  CartReportAnswer,
  CartState,
  CartsAnswer,
} from '@asistone/contract/cart-recovery';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';

export type {
  CartChannel,
  CartRecoverySettings,
  CartReportAnswer,
  CartState,
  CartStep,
  CartView,
} from '@asistone/contract/cart-recovery';

/**
 * Abandoned-cart recovery (docs/cart-recovery.md): the sequence (owners and admins), the carts
 * with each step's outcome, and the report with the lift (owners, admins, analysts).
 */

const base = (tenantId: string) => `/businesses/${seg(tenantId)}/cart-recovery`;

export const cartKeys = {
  settings: (tenantId: string) => ['cart-recovery', tenantId, 'settings'] as const,
  carts: (tenantId: string, filter: CartsFilter) => ['cart-recovery', tenantId, 'carts', filter] as const,
  report: (tenantId: string, from: string, to: string) => ['cart-recovery', tenantId, 'report', from, to] as const,
};

export function useCartSettings(tenantId: string) {
  return useQuery({
    queryKey: cartKeys.settings(tenantId),
    queryFn: () => request<CartRecoverySettingsAnswer>(`${base(tenantId)}/settings`),
  });
}

export function useSaveCartSettings(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CartRecoverySettings) =>
      request<CartRecoverySettingsAnswer>(`${base(tenantId)}/settings`, { method: 'PUT', body }),
    onSuccess: (answer) => client.setQueryData(cartKeys.settings(tenantId), answer),
  });
}

/** Which carts the list shows: a state, and the days abandoned (ISO dates, both included); empty is any. */
export interface CartsFilter {
  state: CartState | null;
  from: string;
  to: string;
}

/** Newest abandoned first, a page at a time; kept fresh while the page is open (steps go out meanwhile). */
export function useCarts(tenantId: string, filter: CartsFilter) {
  return useInfiniteQuery({
    queryKey: cartKeys.carts(tenantId, filter),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams();
      if (filter.state) query.set('state', filter.state);
      if (filter.from) query.set('from', filter.from);
      if (filter.to) query.set('to', filter.to);
      if (pageParam) query.set('cursor', pageParam);
      const suffix = query.size > 0 ? `?${query}` : '';
      return request<CartsAnswer>(`${base(tenantId)}/carts${suffix}`);
    },
    getNextPageParam: (last) => last.cursor,
    refetchInterval: 5_000,
  });
}

export function useCartReport(tenantId: string, from: string, to: string) {
  return useQuery({
    queryKey: cartKeys.report(tenantId, from, to),
    queryFn: () => request<CartReportAnswer>(`${base(tenantId)}/report?from=${seg(from)}&to=${seg(to)}`),
    refetchInterval: 15_000,
  });
}
