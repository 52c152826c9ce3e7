import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type StockLevel, type StockLocation, useStockView } from '../../api/stock';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { AdjustStockForm } from './AdjustStockForm';
import { LedgerPanel } from './LedgerPanel';
import { LocationsPanel } from './LocationsPanel';
import { RecentPushes } from './RecentPushes';
import { type StockedVariant, stockedVariants, variantName, viewLocations } from './stockNames';
import { ThresholdForm } from './ThresholdForm';

type Action = 'adjust' | 'threshold' | 'ledger';

/**
 * The back office's stock: each variant a row, each location a column, a low level said in
 * words beside its colour. Owners and admins move stock and set thresholds from a row; everyone
 * opens a row's ledger. Below it, the latest pushes to Shopify and the locations.
 */
export function StockTab() {
  const { tenantId } = useBusiness();
  const view = useStockView(tenantId);
  return (
    <QueryState query={view}>
      {(data) => {
        const locations = viewLocations(data);
        return (
          <Stack gap="lg">
            <StockLevels variants={stockedVariants(data.levels)} locations={locations} />
            <RecentPushes adjustments={data.adjustments} levels={data.levels} locations={locations} />
            <LocationsPanel locations={locations} />
          </Stack>
        );
      }}
    </QueryState>
  );
}

function StockLevels({ variants, locations }: { variants: StockedVariant[]; locations: StockLocation[] }) {
  const { t } = useTranslation();
  const { can } = useBusiness();
  const [open, setOpen] = useState<{ action: Action; variant: StockedVariant } | null>(null);
  const manager = can('stock.manage');
  if (variants.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        {t('stock.levels.empty')}
      </Text>
    );
  }
  const nameOf = (variant: StockedVariant) => variantName(variant, variant.sku ?? variant.inventoryItemId);
  // A form opens at the first location the variant is stocked at.
  const firstLocation = (variant: StockedVariant) =>
    locations.find((location) => variant.levels.has(location.locationId))?.locationId ?? locations[0]?.locationId ?? '';
  // Each dialog is named after its variant, as is the button that opens it.
  const titles: Record<Action, 'stock.levels.adjustFor' | 'stock.levels.thresholdTitle' | 'stock.levels.ledgerTitle'> =
    {
      adjust: 'stock.levels.adjustFor',
      threshold: 'stock.levels.thresholdTitle',
      ledger: 'stock.levels.ledgerTitle',
    };
  const close = () => setOpen(null);
  return (
    <>
      <Table.ScrollContainer minWidth={320 + locations.length * 140}>
        <Table verticalSpacing="xs" striped data-testid="stock-levels">
          <Table.Caption>{t('stock.levels.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('stock.levels.product')}</Table.Th>
              {locations.map((location) => (
                <Table.Th scope="col" key={location.locationId} data-location={location.locationId}>
                  {location.name}
                </Table.Th>
              ))}
              <Table.Th scope="col">{t('stock.levels.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {variants.map((variant) => (
              <Table.Tr key={variant.inventoryItemId} data-testid="stock-row" data-item={variant.inventoryItemId}>
                <Table.Th scope="row" fw={500}>
                  {nameOf(variant)}
                  {variant.sku && (
                    <Text size="xs" c="gray.7">
                      {variant.sku}
                    </Text>
                  )}
                </Table.Th>
                {locations.map((location) => (
                  <Table.Td key={location.locationId}>
                    <LevelCell level={variant.levels.get(location.locationId)} locationId={location.locationId} />
                  </Table.Td>
                ))}
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    {manager && (
                      <>
                        <Button
                          size="xs"
                          aria-label={t('stock.levels.adjustFor', { variant: nameOf(variant) })}
                          onClick={() => setOpen({ action: 'adjust', variant })}
                        >
                          {t('stock.levels.adjust')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={t('stock.levels.thresholdFor', { variant: nameOf(variant) })}
                          onClick={() => setOpen({ action: 'threshold', variant })}
                        >
                          {t('stock.levels.thresholdButton')}
                        </Button>
                      </>
                    )}
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('stock.levels.ledgerFor', { variant: nameOf(variant) })}
                      onClick={() => setOpen({ action: 'ledger', variant })}
                    >
                      {t('stock.levels.ledger')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={open !== null}
        onClose={close}
        title={open ? t(titles[open.action], { variant: nameOf(open.variant) }) : ''}
        size={open?.action === 'ledger' ? 'xl' : 'md'}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {open?.action === 'adjust' && (
          <AdjustStockForm
            variant={open.variant}
            locations={locations}
            initialLocationId={firstLocation(open.variant)}
            onDone={close}
          />
        )}
        {open?.action === 'threshold' && (
          <ThresholdForm
            variant={open.variant}
            locations={locations}
            initialLocationId={firstLocation(open.variant)}
            onDone={close}
          />
        )}
        {open?.action === 'ledger' && (
          <LedgerPanel variant={open.variant} locations={locations} initialLocationId={firstLocation(open.variant)} />
        )}
      </Modal>
    </>
  );
}

/** A variant's stock at one location: the number, "Low stock" in words when low, its threshold. */
function LevelCell({ level, locationId }: { level: StockLevel | undefined; locationId: string }) {
  const { t } = useTranslation();
  if (!level) {
    return (
      <Text size="xs" c="gray.7" data-testid="stock-level" data-location={locationId}>
        {t('stock.levels.none')}
      </Text>
    );
  }
  return (
    <Stack gap={2} data-testid="stock-level" data-location={locationId} data-low={level.low}>
      <Text fw={600} data-testid="stock-available">
        {level.available}
      </Text>
      {level.low && (
        <Badge color="red" variant="light" c="red.9" w="fit-content">
          {t('stock.levels.low')}
        </Badge>
      )}
      {level.threshold !== undefined && (
        <Text size="xs" c="gray.7">
          {t('stock.levels.threshold', { threshold: level.threshold })}
        </Text>
      )}
    </Stack>
  );
}
