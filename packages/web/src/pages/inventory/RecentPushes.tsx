import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockAdjustment, StockLevel, StockLocation } from '../../api/stock';
import { useFormatDateTime } from '../../components/format';
import { locationName, signed, variantName } from './stockNames';

const STATE_COLOURS: Record<StockAdjustment['status'], string> = {
  pending: 'yellow',
  pushed: 'green',
  'resolved-stale': 'blue',
  failed: 'red',
};

/** How many of the latest pushes the stock tab lists. */
const SHOWN = 10;

/**
 * The latest moves made here at Shopify's locations and how their push to Shopify went (asked
 * again while one is on its way): what Shopify holds now, or why it did not take it.
 */
export function RecentPushes({
  adjustments,
  levels,
  locations,
}: {
  adjustments: readonly StockAdjustment[];
  levels: readonly StockLevel[];
  locations: readonly StockLocation[];
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const pushWords = usePushWords();
  const titleId = useId();
  const variantOf = (inventoryItemId: string) => {
    const level = levels.find((candidate) => candidate.inventoryItemId === inventoryItemId);
    return variantName(level ?? { inventoryItemId }, level?.sku ?? inventoryItemId);
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId}>
      <Title order={2} size="h5" id={titleId}>
        {t('stock.pushes.title')}
      </Title>
      {adjustments.length === 0 ? (
        <Text size="sm" c="gray.7">
          {t('stock.pushes.empty')}
        </Text>
      ) : (
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {adjustments.slice(0, SHOWN).map((adjustment) => (
            <Paper
              component="li"
              key={adjustment.adjustmentId}
              withBorder
              radius="sm"
              p={6}
              data-testid="stock-push"
              data-status={adjustment.status}
            >
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Text size="sm">
                  <Text span fw={600}>
                    {signed(adjustment.delta)}
                  </Text>{' '}
                  {t(`stock.reasons.${adjustment.reason}`)} · {variantOf(adjustment.inventoryItemId)} ·{' '}
                  {locationName(locations, adjustment.locationId)}
                </Text>
                <Badge variant="light" color={STATE_COLOURS[adjustment.status]} c="gray.9">
                  {t(`stock.pushes.state.${adjustment.status}`)}
                </Badge>
              </Group>
              <Text size="xs" c="gray.7">
                {formatDate(adjustment.createdAt)} · {pushWords(adjustment)}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The push's outcome in a sentence: what Shopify had and has now, or why it did not take it. */
function usePushWords() {
  const { t } = useTranslation();
  return (adjustment: StockAdjustment): string => {
    switch (adjustment.status) {
      case 'pending':
        return t('stock.pushes.pending', { before: adjustment.quantityBefore });
      case 'pushed':
        return t('stock.pushes.pushed', {
          after: adjustment.shopifyAfter ?? adjustment.quantityBefore + adjustment.delta,
        });
      case 'resolved-stale':
        return t('stock.pushes.pushedStale', {
          found: adjustment.shopifyFound ?? '?',
          after: adjustment.shopifyAfter ?? '?',
        });
      case 'failed':
        return adjustment.failureReason === 'CHANGE_FROM_QUANTITY_STALE'
          ? t('stock.pushes.failedMoving', { found: adjustment.shopifyFound ?? '?' })
          : t('stock.pushes.failed', { reason: adjustment.failureReason ?? '—' });
    }
  };
}
