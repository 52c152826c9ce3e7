import { Button, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ledgerLines, type StockLocation, shopifyDigits, useStockLedger } from '../../api/stock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { locationName, type StockedVariant, signed, useActorName } from './stockNames';

/**
 * A variant's ledger at one location, newest first: every move with the stock after it and who
 * made it, a page at a time ("older" reads on from the last line shown).
 */
export function LedgerPanel({
  variant,
  locations,
  initialLocationId,
}: {
  variant: StockedVariant;
  locations: readonly StockLocation[];
  initialLocationId: string;
}) {
  const { t } = useTranslation();
  const [locationId, setLocationId] = useState(initialLocationId);
  return (
    <Stack gap="sm" data-testid="stock-ledger">
      <NativeSelect
        label={t('stock.ledger.location')}
        value={locationId}
        onChange={(event) => setLocationId(event.currentTarget.value)}
        data={locations.map((location) => ({ value: location.locationId, label: location.name }))}
      />
      <LedgerLines
        key={locationId}
        inventoryItemId={shopifyDigits(variant.inventoryItemId)}
        locationId={locationId}
        location={locationName(locations, locationId)}
      />
    </Stack>
  );
}

function LedgerLines({
  inventoryItemId,
  locationId,
  location,
}: {
  inventoryItemId: string;
  locationId: string;
  location: string;
}) {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const ledger = useStockLedger(tenantId, inventoryItemId, locationId);
  const formatDate = useFormatDateTime();
  const actorName = useActorName();
  return (
    <QueryState query={ledger}>
      {(data) => {
        const entries = ledgerLines(data);
        if (entries.length === 0) {
          return (
            <Text size="sm" c="gray.7">
              {t('stock.ledger.empty')}
            </Text>
          );
        }
        return (
          <Stack gap="xs">
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing={4} fz="sm" striped>
                <Table.Caption>{t('stock.ledger.caption', { location })}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('stock.ledger.seq')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.date')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.reason')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.change')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.balance')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.who')}</Table.Th>
                    <Table.Th scope="col">{t('stock.ledger.note')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((entry) => (
                    <Table.Tr key={entry.seq} data-testid="stock-ledger-line" data-seq={entry.seq}>
                      <Table.Td>{entry.seq}</Table.Td>
                      <Table.Td>{formatDate(entry.at)}</Table.Td>
                      <Table.Td data-testid="stock-ledger-reason">{t(`stock.reasons.${entry.reason}`)}</Table.Td>
                      <Table.Td data-testid="stock-ledger-change">{signed(entry.delta)}</Table.Td>
                      <Table.Td data-testid="stock-ledger-balance">{entry.balanceAfter}</Table.Td>
                      <Table.Td>{actorName(entry.actorId)}</Table.Td>
                      <Table.Td>{entry.note ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {ledger.isFetchNextPageError && (
              <ErrorAlert error={ledger.error} onRetry={() => void ledger.fetchNextPage()} />
            )}
            {ledger.hasNextPage && (
              <Button
                variant="default"
                size="xs"
                w="fit-content"
                loading={ledger.isFetchingNextPage}
                onClick={() => void ledger.fetchNextPage()}
              >
                {t('stock.ledger.older')}
              </Button>
            )}
          </Stack>
        );
      }}
    </QueryState>
  );
}
