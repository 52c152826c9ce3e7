import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type StockLocation, type StockTransfer, useStockTransfers, useStockView } from '../../api/stock';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { locationName, type StockedVariant, stockedVariants, variantName, viewLocations } from './stockNames';
import { TransferForm } from './TransferForm';

/**
 * Transfers between locations: a form for owners and admins, and the list, newest first, each
 * with its state; the list is asked again while one is still pending (done within seconds).
 */
export function TransfersTab() {
  const { tenantId, can } = useBusiness();
  const view = useStockView(tenantId);
  return (
    <QueryState query={view}>
      {(data) => {
        const variants = stockedVariants(data.levels);
        const locations = viewLocations(data);
        return (
          <Stack gap="lg">
            {can('stock.manage') && <TransferForm variants={variants} locations={locations} />}
            <TransfersList variants={variants} locations={locations} />
          </Stack>
        );
      }}
    </QueryState>
  );
}

function TransfersList({
  variants,
  locations,
}: {
  variants: readonly StockedVariant[];
  locations: readonly StockLocation[];
}) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const transfers = useStockTransfers(tenantId);
  const formatDate = useFormatDateTime();
  const titleId = useId();
  const nameOf = (transfer: StockTransfer) => {
    const variant = variants.find((candidate) => candidate.inventoryItemId === transfer.inventoryItemId);
    return variantName(variant ?? transfer, variant?.sku ?? transfer.inventoryItemId);
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId}>
      <Title order={2} size="h5" id={titleId}>
        {t('stock.transfers.listTitle')}
      </Title>
      <QueryState query={transfers}>
        {(list) =>
          list.length === 0 ? (
            <Text size="sm" c="gray.7">
              {t('stock.transfers.empty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" striped data-testid="stock-transfers">
                <Table.Caption>{t('stock.transfers.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('stock.transfers.date')}</Table.Th>
                    <Table.Th scope="col">{t('stock.transfers.variant')}</Table.Th>
                    <Table.Th scope="col">{t('stock.transfers.route')}</Table.Th>
                    <Table.Th scope="col">{t('stock.transfers.quantity')}</Table.Th>
                    <Table.Th scope="col">{t('stock.transfers.state.label')}</Table.Th>
                    <Table.Th scope="col">{t('stock.transfers.noteColumn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...list]
                    .sort((a, b) => b.createdAt - a.createdAt)
                    .map((transfer) => (
                      <Table.Tr
                        key={transfer.transferId}
                        data-testid="stock-transfer"
                        data-state={transfer.state}
                        data-item={transfer.inventoryItemId}
                      >
                        <Table.Td>{formatDate(transfer.createdAt)}</Table.Td>
                        <Table.Td>{nameOf(transfer)}</Table.Td>
                        <Table.Td>
                          {locationName(locations, transfer.fromLocationId)} →{' '}
                          {locationName(locations, transfer.toLocationId)}
                        </Table.Td>
                        <Table.Td>{transfer.quantity}</Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={transfer.state === 'done' ? 'green' : 'yellow'} c="gray.9">
                            {t(`stock.transfers.state.${transfer.state}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{transfer.note ?? ''}</Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Stack>
  );
}
