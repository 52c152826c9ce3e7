import { Anchor, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { type StoreOrder, useStoreOrder } from '../../api/store';
import { useFormatDateTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { RouterAnchor } from '../../components/RouterAnchor';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { OrderBadges, useFormatMoney } from './format';
import { OrderPageNotices } from './OrderPageNotices';

/** One order: its lines, exact totals, discounts, where it goes and its parcels' tracking. */
export function OrderPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const { orderId = '' } = useParams();
  const order = useStoreOrder(tenantId, orderId);
  return (
    <Stack gap="md">
      <RouterAnchor to={`/b/${tenantId}/store`} size="sm">
        ← {t('store.order.back')}
      </RouterAnchor>
      <QueryState query={order}>
        {(loaded) => (
          <>
            <LoadedOrder order={loaded} />
            <OrderPageNotices tenantId={tenantId} orderId={loaded.orderId} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function LoadedOrder({ order }: { order: StoreOrder }) {
  const { t } = useTranslation();
  const formatMoney = useFormatMoney();
  const formatDate = useFormatDateTime();
  const shipmentLabel = useShipmentLabel();
  const address = order.shippingAddress;
  const totals: [string, string, string?][] = [
    [t('store.order.subtotal'), formatMoney(order.subtotal), 'subtotal'],
    ...order.discountCodes.map((discount): [string, string] => [
      t('store.order.discountCode', { code: discount.code }),
      `−${formatMoney(discount.amount)}`,
    ]),
    ...(order.discountCodes.length === 0 && order.totalDiscounts && order.totalDiscounts.amount !== '0.00'
      ? [[t('store.order.discounts'), `−${formatMoney(order.totalDiscounts)}`] as [string, string]]
      : []),
    ...order.shippingLines.map((line): [string, string] => [
      `${t('store.order.shipping')}: ${line.title}`,
      formatMoney(line.price),
    ]),
    [t('store.order.tax'), formatMoney(order.totalTax)],
  ];
  return (
    <Stack gap="md" data-testid="store-order-detail">
      <PageHeader
        title={t('store.order.title', { name: order.name })}
        description={order.createdAt ? t('store.order.placedAt', { date: formatDate(order.createdAt) }) : undefined}
      />
      <OrderBadges order={order} />
      {order.cancelReason && <Text size="sm">{t('store.order.cancelReason', { reason: order.cancelReason })}</Text>}
      <SectionCard title={t('store.order.items')} titleId="order-items">
        <Table.ScrollContainer minWidth={320}>
          <Table fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('store.order.items')}</Table.Th>
                <Table.Th ta="right">{t('store.order.quantity')}</Table.Th>
                <Table.Th ta="right">{t('store.order.unitPrice')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.lineItems.map((line) => (
                <Table.Tr key={line.id}>
                  <Table.Td>
                    {line.title}
                    {(line.variantTitle || line.sku) && (
                      <Text size="xs" c="gray.7">
                        {[line.variantTitle, line.sku && `${t('store.order.sku')}: ${line.sku}`]
                          .filter(Boolean)
                          .join(' · ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{line.quantity}</Table.Td>
                  <Table.Td ta="right">{formatMoney(line.unitPrice)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </SectionCard>
      <SectionCard title={t('store.order.totals')} titleId="order-totals" testId="store-order-totals">
        <Stack component="dl" gap={4} m={0}>
          {totals.map(([label, value]) => (
            <Group key={label} justify="space-between" gap="xs">
              <Text component="dt" size="sm">
                {label}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {value}
              </Text>
            </Group>
          ))}
          <Group justify="space-between" gap="xs">
            <Text component="dt" fw={700}>
              {t('store.order.total')}
            </Text>
            <Text component="dd" fw={700} m={0} data-testid="store-order-total">
              {formatMoney(order.total)}
            </Text>
          </Group>
        </Stack>
      </SectionCard>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <SectionCard title={t('store.order.customer')} titleId="order-customer">
          <Text size="sm">{order.customerName ?? t('store.guest')}</Text>
          <Text size="sm" c="gray.7">
            {[order.phone, order.email].filter(Boolean).join(' · ') || '—'}
          </Text>
          {address && (
            <>
              <Text size="sm" fw={600}>
                {t('store.order.shippingAddress')}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                {[
                  address.name,
                  address.address1,
                  address.address2,
                  [address.zip, address.city].filter(Boolean).join(' '),
                  address.province,
                  address.country,
                ]
                  .filter(Boolean)
                  .join('\n')}
              </Text>
            </>
          )}
        </SectionCard>
        <SectionCard title={t('store.order.shipments')} titleId="order-shipments" testId="store-order-shipments">
          {order.fulfillments.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('store.order.noShipments')}
            </Text>
          ) : (
            order.fulfillments.map((shipment) => (
              <Stack key={shipment.id} gap={2}>
                <Text size="sm" fw={600}>
                  {[shipment.company, shipment.shipmentStatus && shipmentLabel(shipment.shipmentStatus)]
                    .filter(Boolean)
                    .join(' · ')}
                </Text>
                {shipment.numbers.map((number) => (
                  <Text key={number} size="sm">
                    {t('store.order.trackingNumber', { number })}
                  </Text>
                ))}
                {shipment.urls.map((url) => (
                  <Anchor key={url} href={url} target="_blank" rel="noopener noreferrer" size="sm">
                    {t('store.track')}
                  </Anchor>
                ))}
              </Stack>
            ))
          )}
        </SectionCard>
      </SimpleGrid>
    </Stack>
  );
}

/** The carrier's news in the user's language, or Shopify's own word for one we do not name. */
function useShipmentLabel() {
  const { t, i18n } = useTranslation();
  return (status: string) => {
    const key = `store.order.shipment.${status}`;
    return i18n.exists(key) ? t(key as 'store.order.shipment.in_transit') : status;
  };
}
