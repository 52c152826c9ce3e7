import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from '@asistone/contract/store';
import { Group, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORDER_CHANNEL_FILTERS, type OrdersViewAnswer, useOrdersView } from '../../api/sales';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { RouterAnchor } from '../../components/RouterAnchor';
import { useBusiness } from '../../shell/BusinessContext';
import { recentRange } from '../ads/figures';
import { OrderBadges, useFormatMoney, useStatusLabel } from '../store/format';
import { useChannelLabel } from './channels';
import { type DayRange, isValidRange, RangeInputs } from './RangeInputs';

type Financial = (typeof FINANCIAL_STATUSES)[number];
type Fulfillment = (typeof FULFILLMENT_STATUSES)[number];
type ChannelFilter = (typeof ORDER_CHANNEL_FILTERS)[number];

function OrdersTable({ answer }: { answer: OrdersViewAnswer }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const formatMoney = useFormatMoney();
  const formatDate = useFormatDateTime();
  const channelLabel = useChannelLabel();
  // The order's own page is the store's, which members who answer customers open.
  const linked = can('conversations.read');
  if (answer.orders.length === 0) return <Text size="sm">{t('backOffice.orders.empty')}</Text>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={800}>
        <Table
          striped
          data-testid="back-office-orders"
          aria-label={t('backOffice.orders.caption', { from: answer.from, to: answer.to })}
        >
          <Table.Thead>
            <Table.Tr>
              {(['name', 'date', 'customer', 'total', 'status', 'channel'] as const).map((column) => (
                <Table.Th key={column} scope="col">
                  {t(`backOffice.orders.${column}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {answer.orders.map((order) => (
              <Table.Tr key={order.orderId} data-testid="back-office-order">
                <Table.Th scope="row">
                  {linked ? (
                    <RouterAnchor to={`/b/${tenantId}/store/orders/${encodeURIComponent(order.orderId)}`}>
                      {order.name}
                    </RouterAnchor>
                  ) : (
                    order.name
                  )}
                </Table.Th>
                <Table.Td>{formatDate(order.createdAt)}</Table.Td>
                <Table.Td>{order.customerName ?? t('backOffice.orders.guest')}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoney(order.total)}</Table.Td>
                <Table.Td>
                  <OrderBadges order={order} />
                </Table.Td>
                <Table.Td>{channelLabel(order.salesChannel, order.conversationChannel)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {answer.matched > answer.orders.length && (
        <Text size="sm" c="gray.7">
          {t('backOffice.orders.shown', { shown: answer.orders.length, matched: answer.matched })}
        </Text>
      )}
    </Stack>
  );
}

/** The business's orders over a range of days, every channel, filtered by state and channel. */
export function OrdersView() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const label = useStatusLabel();
  const [range, setRange] = useState<DayRange>(() => recentRange(29));
  const [financialStatus, setFinancial] = useState<Financial | null>(null);
  const [fulfillmentStatus, setFulfillment] = useState<Fulfillment | null>(null);
  const [channel, setChannel] = useState<ChannelFilter | null>(null);
  const orders = useOrdersView(tenantId, {
    ...range,
    ...(financialStatus && { financialStatus }),
    ...(fulfillmentStatus && { fulfillmentStatus }),
    ...(channel && { channel }),
  });
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <RangeInputs range={range} onRange={setRange} testId="orders-range" />
        <Select
          label={t('backOffice.filters.financial')}
          placeholder={t('backOffice.filters.all')}
          clearable
          data={FINANCIAL_STATUSES.map((status) => ({ value: status, label: label('financial', status) }))}
          value={financialStatus}
          onChange={(value) => setFinancial(value as Financial | null)}
        />
        <Select
          label={t('backOffice.filters.fulfillment')}
          placeholder={t('backOffice.filters.all')}
          clearable
          data={FULFILLMENT_STATUSES.map((status) => ({ value: status, label: label('fulfillment', status) }))}
          value={fulfillmentStatus}
          onChange={(value) => setFulfillment(value as Fulfillment | null)}
        />
        <Select
          label={t('backOffice.filters.channel')}
          placeholder={t('backOffice.filters.all')}
          clearable
          data={ORDER_CHANNEL_FILTERS.map((value) => ({ value, label: t(`backOffice.channels.${value}`) }))}
          value={channel}
          onChange={(value) => setChannel(value as ChannelFilter | null)}
        />
      </Group>
      {isValidRange(range) ? (
        <QueryState query={orders}>{(answer) => <OrdersTable answer={answer} />}</QueryState>
      ) : (
        <Text size="sm" c="red.9" role="alert">
          {t('backOffice.invalidRange')}
        </Text>
      )}
    </Stack>
  );
}
