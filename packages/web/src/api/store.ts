import type { ShopifyConnection, ShopifyInstallAnswer, ShopifyInstallBody } from '@asistone/contract/shopify';
import type {
  ContactOrders,
  StoreCustomer,
  StoreLocations,
  StoreOrder,
  StoreOrderSummary,
  StoreOrdersQuery,
  StoreProduct,
  StoreSync,
} from '@asistone/contract/store';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { query, request, seg } from './client';

export type { ShopifyConnection } from '@asistone/contract/shopify';
export type {
  ContactOrders,
  StoreCustomer,
  StoreMoney,
  StoreOrder,
  StoreOrderSummary,
  StoreProduct,
  StoreSync,
  StoreTracking,
} from '@asistone/contract/store';

/**
 * The store page and the inbox's Orders panel (docs/api.md, store): the Shopify connection
 * (owners and admins), and the local copy of the store read by the team.
 */

const business = (tenantId: string) => `/businesses/${seg(tenantId)}`;
const store = (tenantId: string) => `${business(tenantId)}/store`;

interface Page<K extends string, T> {
  cursor?: string;
  items: T[];
  key: K;
}

export const storeApi = {
  connection: (tenantId: string) => request<ShopifyConnection>(`${business(tenantId)}/shopify`),
  install: (tenantId: string, body: ShopifyInstallBody) =>
    request<ShopifyInstallAnswer>(`${business(tenantId)}/shopify/install`, { method: 'POST', body }),
  disconnect: (tenantId: string) => request<ShopifyConnection>(`${business(tenantId)}/shopify`, { method: 'DELETE' }),
  sync: (tenantId: string) => request<StoreSync>(`${store(tenantId)}/sync`),
  locations: (tenantId: string) => request<StoreLocations>(`${store(tenantId)}/locations`),
  orders: (tenantId: string, filter: StoreOrdersQuery) =>
    request<{ orders: StoreOrderSummary[]; cursor?: string }>(
      `${store(tenantId)}/orders${query({ financialStatus: filter.financialStatus, fulfillmentStatus: filter.fulfillmentStatus, cursor: filter.cursor })}`,
    ),
  order: (tenantId: string, orderId: string) => request<StoreOrder>(`${store(tenantId)}/orders/${seg(orderId)}`),
  customers: (tenantId: string, cursor?: string) =>
    request<{ customers: StoreCustomer[]; cursor?: string }>(`${store(tenantId)}/customers${query({ cursor })}`),
  products: (tenantId: string, cursor?: string) =>
    request<{ products: StoreProduct[]; cursor?: string }>(`${store(tenantId)}/products${query({ cursor })}`),
  contactOrders: (tenantId: string, contactId: string) =>
    request<ContactOrders>(`${business(tenantId)}/contacts/${seg(contactId)}/orders`),
};

export const storeKeys = {
  all: (tenantId: string) => ['store', tenantId] as const,
  connection: (tenantId: string) => ['store', tenantId, 'connection'] as const,
  sync: (tenantId: string) => ['store', tenantId, 'sync'] as const,
  orders: (tenantId: string, filter: StoreOrdersQuery) => ['store', tenantId, 'orders', filter] as const,
  order: (tenantId: string, orderId: string) => ['store', tenantId, 'order', orderId] as const,
  customers: (tenantId: string) => ['store', tenantId, 'customers'] as const,
  products: (tenantId: string) => ['store', tenantId, 'products'] as const,
  locations: (tenantId: string) => ['store', tenantId, 'locations'] as const,
  contactOrders: (tenantId: string, contactId: string) => ['store', tenantId, 'contact-orders', contactId] as const,
};

export function useShopConnection(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: storeKeys.connection(tenantId),
    queryFn: () => storeApi.connection(tenantId),
    enabled,
  });
}

export function useStoreSync(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: storeKeys.sync(tenantId),
    queryFn: () => storeApi.sync(tenantId),
    enabled,
    // While the first import runs, its counts move: asked again every few seconds until it ends.
    refetchInterval: (query) => {
      const status = query.state.data?.import?.status;
      return status === 'queued' || status === 'running' ? 3000 : false;
    },
  });
}

/** Starts the install; the page then leaves for Shopify's authorize page. */
export function useInstallShop(tenantId: string) {
  return useMutation({ mutationFn: (shop: string) => storeApi.install(tenantId, { shop }) });
}

export function useDisconnectShop(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => storeApi.disconnect(tenantId),
    onSuccess: (answer) => client.setQueryData(storeKeys.connection(tenantId), answer),
  });
}

/** Pages of a list, each asked with the cursor the page before gave. */
function usePaged<K extends string, T>(
  queryKey: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<Page<K, T>>,
  enabled: boolean,
) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    enabled,
  });
}

export function useStoreOrders(tenantId: string, filter: Omit<StoreOrdersQuery, 'cursor'>, enabled = true) {
  return usePaged(
    storeKeys.orders(tenantId, filter),
    async (cursor) => {
      const page = await storeApi.orders(tenantId, { ...filter, ...(cursor && { cursor }) });
      return { key: 'orders' as const, items: page.orders, ...(page.cursor && { cursor: page.cursor }) };
    },
    enabled,
  );
}

export function useStoreCustomers(tenantId: string, enabled = true) {
  return usePaged(
    storeKeys.customers(tenantId),
    async (cursor) => {
      const page = await storeApi.customers(tenantId, cursor);
      return { key: 'customers' as const, items: page.customers, ...(page.cursor && { cursor: page.cursor }) };
    },
    enabled,
  );
}

export function useStoreProducts(tenantId: string, enabled = true) {
  return usePaged(
    storeKeys.products(tenantId),
    async (cursor) => {
      const page = await storeApi.products(tenantId, cursor);
      return { key: 'products' as const, items: page.products, ...(page.cursor && { cursor: page.cursor }) };
    },
    enabled,
  );
}

/** The shop's locations by name (as the reconcile last listed them). */
export function useStoreLocations(tenantId: string) {
  return useQuery({ queryKey: storeKeys.locations(tenantId), queryFn: () => storeApi.locations(tenantId) });
}

export function useStoreOrder(tenantId: string, orderId: string) {
  return useQuery({ queryKey: storeKeys.order(tenantId, orderId), queryFn: () => storeApi.order(tenantId, orderId) });
}

export function useContactOrders(tenantId: string, contactId: string, enabled = true) {
  return useQuery({
    queryKey: storeKeys.contactOrders(tenantId, contactId),
    queryFn: () => storeApi.contactOrders(tenantId, contactId),
    enabled,
  });
}
