import type { OrdersViewAnswer, OrdersViewQuery, SalesReportAnswer, SalesReportQuery } from '@asistone/contract/sales';
import { useMutation, useQuery } from '@tanstack/react-query';
import { request, seg } from './client';
import { downloadCsv } from './download';

export type {
  ConversationChannel,
  OrdersViewAnswer,
  OrdersViewRow,
  SalesChannel,
  SalesCurrencyReport,
  SalesFigures,
  SalesReportAnswer,
} from '@asistone/contract/sales';
export { CONVERSATION_CHANNELS, ORDER_CHANNEL_FILTERS, SALES_CHANNELS } from '@asistone/contract/sales';

/**
 * The back office's orders view and sales report (`insights.read`): read-only reports on the
 * Shopify copy over a range of Istanbul days, and the report as CSV.
 */

const base = (tenantId: string) => `/businesses/${seg(tenantId)}/sales`;

export const salesKeys = {
  all: (tenantId: string) => ['sales', tenantId] as const,
  orders: (tenantId: string, query: OrdersViewQuery) => ['sales', tenantId, 'orders', query] as const,
  report: (tenantId: string, query: SalesReportQuery) => ['sales', tenantId, 'report', query] as const,
};

/** The query string of the set fields only. */
const queryOf = (query: Record<string, unknown>) =>
  new URLSearchParams(
    Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
  ).toString();

const validRange = (query: { from: string; to: string }) =>
  query.from !== '' && query.to !== '' && query.from <= query.to;

export function useOrdersView(tenantId: string, query: OrdersViewQuery) {
  return useQuery({
    queryKey: salesKeys.orders(tenantId, query),
    queryFn: () => request<OrdersViewAnswer>(`${base(tenantId)}/orders?${queryOf({ ...query })}`),
    enabled: validRange(query),
    placeholderData: (previous) => previous,
  });
}

export function useSalesReport(tenantId: string, query: SalesReportQuery) {
  return useQuery({
    queryKey: salesKeys.report(tenantId, query),
    queryFn: () => request<SalesReportAnswer>(`${base(tenantId)}/report?${queryOf({ ...query })}`),
    enabled: validRange(query),
    placeholderData: (previous) => previous,
  });
}

export function useExportSalesCsv(tenantId: string) {
  return useMutation({
    mutationFn: (query: SalesReportQuery) =>
      downloadCsv(`${base(tenantId)}/report.csv?${queryOf({ ...query })}`, `sales-${query.from}-${query.to}.csv`),
  });
}
