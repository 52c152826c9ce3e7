import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from '@asistone/contract/store';
import { Anchor, Group, Paper, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type StoreOrderSummary, useStoreOrders } from '../../api/store';
import { useFormatDateTime } from '../../components/format';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { OrderBadges, useFormatMoney, useStatusLabel } from './format';
import { PagedList } from './PagedList';

/** One order as a card: name and customer, states, total, tracking, a link to the detail. */
export function OrderCard({ order }: { order: StoreOrderSummary }) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const formatMoney = useFormatMoney();
  const formatDate = useFormatDateTime();
  return (
    <Paper component="li" withBorder radius="md" p="sm" data-testid="store-order" data-order-id={order.orderId}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <RouterAnchor to={`/b/${tenantId}/store/orders/${encodeURIComponent(order.orderId)}`} fw={600}>
            {order.name}
          </RouterAnchor>
          <Text fw={600}>{formatMoney(order.total)}</Text>
        </Group>
        <Text size="sm" c="gray.7">
          {[
            order.customerName ?? t('store.guest'),
            t('store.items', { count: order.itemCount }),
            formatDate(order.createdAt),
          ].join(' · ')}
        </Text>
        <OrderBadges order={order} />
        {order.trackingUrls.map((url) => (
          <Anchor
            key={url}
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
            aria-label={t('store.trackOrder', { order: order.name })}
          >
            {t('store.track')}
          </Anchor>
        ))}
      </Stack>
    </Paper>
  );
}

export function OrdersList() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const label = useStatusLabel();
  const [financialStatus, setFinancial] = useState<string | null>(null);
  const [fulfillmentStatus, setFulfillment] = useState<string | null>(null);
  const orders = useStoreOrders(tenantId, {
    ...(financialStatus && { financialStatus: financialStatus as (typeof FINANCIAL_STATUSES)[number] }),
    ...(fulfillmentStatus && { fulfillmentStatus: fulfillmentStatus as (typeof FULFILLMENT_STATUSES)[number] }),
  });
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="wrap">
        <Select
          label={t('store.filters.financial')}
          placeholder={t('store.filters.all')}
          clearable
          data={FINANCIAL_STATUSES.map((status) => ({ value: status, label: label('financial', status) }))}
          value={financialStatus}
          onChange={setFinancial}
        />
        <Select
          label={t('store.filters.fulfillment')}
          placeholder={t('store.filters.all')}
          clearable
          data={FULFILLMENT_STATUSES.map((status) => ({ value: status, label: label('fulfillment', status) }))}
          value={fulfillmentStatus}
          onChange={setFulfillment}
        />
      </Group>
      <PagedList query={orders} label={t('store.tabs.orders')} empty={t('store.noOrders')}>
        {(order) => <OrderCard key={order.orderId} order={order} />}
      </PagedList>
    </Stack>
  );
}
