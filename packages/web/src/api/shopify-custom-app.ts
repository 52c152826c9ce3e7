import type { ShopifyConnection, ShopifyCustomAppBody } from '@asistone/contract/shopify';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request, seg } from './client';
import { storeKeys } from './store';

/**
 * Connects the store with the merchant's own custom app (client id and secret): the answer is
 * the connection, shown at once; the store's sync and import are read again.
 */
export function useConnectCustomApp(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ShopifyCustomAppBody) =>
      request<ShopifyConnection>(`/businesses/${seg(tenantId)}/shopify/custom-app`, { method: 'POST', body }),
    onSuccess: async (answer) => {
      client.setQueryData(storeKeys.connection(tenantId), answer);
      await client.invalidateQueries({ queryKey: storeKeys.all(tenantId) });
    },
  });
}
