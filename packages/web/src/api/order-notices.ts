import type {
  OrderNoticeSettings,
  OrderNoticeSettingsAnswer,
  OrderNoticeSettingsBody,
  OrderNoticesAnswer,
} from '@asistone/contract/order-notices';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import type { Template } from './inbox-types';

export type {
  NoticeChannel,
  NoticeEvent,
  OrderNoticeSettings,
  OrderNoticeSettingsAnswer,
  OrderNoticeView,
} from '@asistone/contract/order-notices';

/**
 * Order and shipping notifications (docs/order-notices.md): the business's settings (owners and
 * admins) and one order's notices with what became of each (everyone who reads orders).
 */

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;

export const orderNoticeKeys = {
  settings: (tenantId: string) => ['order-notices', tenantId, 'settings'] as const,
  order: (tenantId: string, orderId: string) => ['order-notices', tenantId, 'order', orderId] as const,
  templates: (tenantId: string) => ['order-notices', tenantId, 'templates'] as const,
};

export function useOrderNoticeSettings(tenantId: string) {
  return useQuery({
    queryKey: orderNoticeKeys.settings(tenantId),
    queryFn: () => request<OrderNoticeSettingsAnswer>(`${business(tenantId)}/order-notices/settings`),
  });
}

export function useSaveOrderNoticeSettings(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: OrderNoticeSettingsBody | OrderNoticeSettings) =>
      request<OrderNoticeSettingsAnswer>(`${business(tenantId)}/order-notices/settings`, { method: 'PUT', body }),
    onSuccess: (answer) => client.setQueryData(orderNoticeKeys.settings(tenantId), answer),
  });
}

/** Every synced WhatsApp template of the business, to pick the approved utility ones from. */
export function useNoticeTemplates(tenantId: string) {
  return useQuery({
    queryKey: orderNoticeKeys.templates(tenantId),
    queryFn: async () => (await request<{ templates: Template[] }>(`${business(tenantId)}/templates`)).templates,
  });
}

export function useOrderNotices(tenantId: string, orderId: string) {
  return useQuery({
    queryKey: orderNoticeKeys.order(tenantId, orderId),
    queryFn: () => request<OrderNoticesAnswer>(`${business(tenantId)}/store/orders/${seg(orderId)}/notices`),
  });
}
