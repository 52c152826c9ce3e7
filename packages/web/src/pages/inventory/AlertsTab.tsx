import { Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type StockAlert, type StockLocation, useStockAlerts } from '../../api/stock';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { useBusiness } from '../../shell/BusinessContext';
import { locationName, useViewLocations, variantName } from './stockNames';

/**
 * Low-stock alerts: those still open (stock at or below the threshold), newest first, then those
 * cleared when stock rose above it again. Read again every few seconds, as a sale in Shopify can
 * raise one too.
 */
export function AlertsTab() {
  const { tenantId } = useBusiness();
  const alerts = useStockAlerts(tenantId);
  const known = useViewLocations();
  return (
    <QueryState query={alerts}>
      {(list) => {
        const newest = [...list].sort((a, b) => b.at - a.at);
        return (
          <Stack gap="lg">
            <AlertList kind="open" alerts={newest.filter((alert) => alert.clearedAt === undefined)} locations={known} />
            <AlertList
              kind="cleared"
              alerts={newest.filter((alert) => alert.clearedAt !== undefined)}
              locations={known}
            />
          </Stack>
        );
      }}
    </QueryState>
  );
}

function AlertList({
  kind,
  alerts,
  locations,
}: {
  kind: 'open' | 'cleared';
  alerts: readonly StockAlert[];
  locations: readonly StockLocation[];
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const titleId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId} data-testid={`stock-alerts-${kind}`}>
      <Title order={2} size="h5" id={titleId}>
        {t(kind === 'open' ? 'stock.alerts.open' : 'stock.alerts.cleared')}
      </Title>
      {kind === 'open' && (
        <Text size="sm" c="gray.7">
          {t('stock.alerts.hint')}
        </Text>
      )}
      {alerts.length === 0 ? (
        <Text size="sm">{t(kind === 'open' ? 'stock.alerts.noOpen' : 'stock.alerts.noCleared')}</Text>
      ) : (
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {alerts.map((alert) => (
            <Paper
              component="li"
              key={alert.alertId}
              withBorder
              radius="sm"
              p={6}
              data-testid="stock-alert"
              data-item={alert.inventoryItemId}
              style={kind === 'open' ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
            >
              <Text size="sm" fw={600}>
                {variantName(alert, alert.sku ?? alert.inventoryItemId)}
                {alert.sku && (
                  <Text span size="xs" c="gray.7" fw={400}>
                    {' '}
                    · {alert.sku}
                  </Text>
                )}
              </Text>
              <Text size="sm">
                {t('stock.alerts.line', {
                  location: locationName(locations, alert.locationId),
                  available: alert.available,
                  threshold: alert.threshold,
                })}
              </Text>
              <Text size="xs" c="gray.7">
                {t('stock.alerts.at', { date: formatDate(alert.at) })}
                {alert.clearedAt !== undefined &&
                  ` · ${t('stock.alerts.clearedAt', { date: formatDate(alert.clearedAt) })}`}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
