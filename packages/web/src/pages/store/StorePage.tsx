import { Stack, Tabs } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { storeKeys, useStoreSync } from '../../api/store';
import { NoAccess } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { useBusiness } from '../../shell/BusinessContext';
import { ConnectionPanel } from './ConnectionPanel';
import { CustomersList } from './CustomersList';
import { OrdersList } from './OrdersList';
import { ProductsList } from './ProductsList';

const TABS = ['orders', 'customers', 'products'] as const;
type Tab = (typeof TABS)[number];

/**
 * The store page: the Shopify connection, then the local copy of the store (orders, customers,
 * products with stock). The tab is in the address, so a link and the back button keep it.
 */
export function StorePage() {
  const { t } = useTranslation();
  const { can, tenantId } = useBusiness();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((candidate) => candidate === params.get('tab')) ?? 'orders';
  const reader = can('conversations.read');
  useListsAfterImport(tenantId, reader);
  return (
    <Stack gap="md">
      <PageHeader title={t('store.title')} description={t('store.description')} />
      <ConnectionPanel justConnected={params.get('shopify') === 'connected'} />
      {reader ? (
        <Tabs
          value={tab}
          onChange={(value) => setParams(value && value !== 'orders' ? { tab: value } : {}, { replace: true })}
          keepMounted={false}
        >
          <Tabs.List aria-label={t('store.tabs.label')}>
            {TABS.map((value) => (
              <Tabs.Tab key={value} value={value}>
                {t(`store.tabs.${value}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="orders" pt="sm">
            <OrdersList />
          </Tabs.Panel>
          <Tabs.Panel value="customers" pt="sm">
            <CustomersList />
          </Tabs.Panel>
          <Tabs.Panel value="products" pt="sm">
            <ProductsList />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <NoAccess />
      )}
    </Stack>
  );
}

/**
 * The lists were read while the store's first import ran (often empty): once the page sees it
 * finish, they are read again, so the history shows without a reload.
 */
function useListsAfterImport(tenantId: string, enabled: boolean) {
  const client = useQueryClient();
  const status = useStoreSync(tenantId, enabled).data?.import?.status;
  const before = useRef(status);
  useEffect(() => {
    const was = before.current;
    before.current = status;
    if (status !== 'done' || (was !== 'queued' && was !== 'running')) return;
    for (const list of ['orders', 'customers', 'products'] as const) {
      void client.invalidateQueries({ queryKey: [...storeKeys.all(tenantId), list] });
    }
  }, [client, status, tenantId]);
}
