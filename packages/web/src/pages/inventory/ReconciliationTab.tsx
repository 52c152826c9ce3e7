import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Reconciliation,
  type ReconciliationRow,
  type RepairDirection,
  type StockLocation,
  useReconcile,
  useRepairDifference,
} from '../../api/stock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { useBusiness } from '../../shell/BusinessContext';
import { locationName, signed, useViewLocations, variantName } from './stockNames';

const rowKey = (row: ReconciliationRow) => `${row.inventoryItemId}|${row.locationId}`;

/**
 * The reconciliation with Shopify, run on demand: every variant at every Shopify location where
 * the two numbers differ, with both ways to repair it (owners and admins): take Shopify's number
 * here, or send ours to Shopify.
 */
export function ReconciliationTab() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const reconcile = useReconcile(tenantId);
  const locations = useViewLocations();
  const formatDate = useFormatDateTime();
  const result = reconcile.data;
  return (
    <Stack gap="md">
      <Text size="sm">{t('stock.reconciliation.intro')}</Text>
      <Button w="fit-content" loading={reconcile.isPending} onClick={() => reconcile.mutate()}>
        {t('stock.reconciliation.run')}
      </Button>
      {reconcile.isError && <ErrorAlert error={reconcile.error} onRetry={() => reconcile.mutate()} />}
      {result && !reconcile.isPending && (
        <Stack gap="sm" data-testid="stock-reconciliation" aria-live="polite">
          <Text size="sm" c="gray.7">
            {t('stock.reconciliation.checked', { date: formatDate(result.checkedAt), compared: result.compared })}
          </Text>
          {result.differences.length === 0 ? (
            <Alert color="green" variant="light" data-testid="stock-reconciliation-none">
              {t('stock.reconciliation.none')}
            </Alert>
          ) : (
            <Differences key={result.checkedAt} result={result} locations={locations} />
          )}
        </Stack>
      )}
    </Stack>
  );
}

function Differences({ result, locations }: { result: Reconciliation; locations: readonly StockLocation[] }) {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const repair = useRepairDifference(tenantId);
  const [repaired, setRepaired] = useState<Record<string, number>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const manager = can('stock.manage');
  const missing = t('stock.reconciliation.missing');
  const fix = (row: ReconciliationRow, direction: RepairDirection) => {
    setFailure(null);
    repair.mutate(
      { row, direction },
      {
        onSuccess: (answer) => setRepaired((now) => ({ ...now, [rowKey(row)]: answer.available })),
        onError: setFailure,
      },
    );
  };
  return (
    <Stack gap="xs">
      {failure !== null && <ErrorAlert error={failure} />}
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" striped data-testid="stock-differences">
          <Table.Caption>{t('stock.reconciliation.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('stock.levels.product')}</Table.Th>
              <Table.Th scope="col">{t('stock.reconciliation.location')}</Table.Th>
              <Table.Th scope="col">{t('stock.reconciliation.asistone')}</Table.Th>
              <Table.Th scope="col">{t('stock.reconciliation.shopify')}</Table.Th>
              <Table.Th scope="col">{t('stock.reconciliation.difference')}</Table.Th>
              {manager && <Table.Th scope="col">{t('stock.levels.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.differences.map((row) => {
              const variant = variantName(row, row.sku ?? row.inventoryItemId);
              const location = locationName(locations, row.locationId);
              const done = repaired[rowKey(row)];
              return (
                <Table.Tr key={rowKey(row)} data-testid="stock-difference" data-item={row.inventoryItemId}>
                  <Table.Th scope="row" fw={500}>
                    {variant}
                    {row.sku && (
                      <Text size="xs" c="gray.7">
                        {row.sku}
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>{location}</Table.Td>
                  <Table.Td>{row.asistone ?? missing}</Table.Td>
                  <Table.Td>{row.shopify ?? missing}</Table.Td>
                  <Table.Td>
                    {row.difference === 0 ? '0' : signed(row.difference)}
                    {row.pushPending && (
                      <Text size="xs" c="gray.7">
                        {t('stock.reconciliation.pending')}
                      </Text>
                    )}
                  </Table.Td>
                  {manager && (
                    <Table.Td>
                      {done !== undefined ? (
                        <Text size="sm" role="status">
                          {t('stock.reconciliation.repaired', { available: done })}
                        </Text>
                      ) : (
                        <Group gap={6} wrap="wrap">
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={t('stock.reconciliation.fromShopifyFor', { variant, location })}
                            disabled={row.shopify === undefined || repair.isPending}
                            onClick={() => fix(row, 'from-shopify')}
                          >
                            {t('stock.reconciliation.fromShopify')}
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={t('stock.reconciliation.toShopifyFor', { variant, location })}
                            disabled={row.asistone === undefined || repair.isPending}
                            onClick={() => fix(row, 'to-shopify')}
                          >
                            {t('stock.reconciliation.toShopify')}
                          </Button>
                        </Group>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
