import { Button, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdAccountView,
  type AdsInsightsAnswer,
  type AdsView,
  adsKeys,
  isBackfilling,
  useAdsInsights,
  useExportAdsCsv,
} from '../../api/ads';
import { ErrorAlert } from '../../components/ErrorAlert';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { AdsRecommendations } from './AdsRecommendations';
import { type ChartMetric, formatFigure, recentRange } from './figures';
import { InsightsCharts } from './InsightsCharts';
import { InsightsFilters } from './InsightsFilters';
import { InsightsTable } from './InsightsTable';

/** The range's headline figures, in one line above the charts. */
function Totals({ insights }: { insights: AdsInsightsAnswer }) {
  const { t } = useTranslation();
  const { totals, currency } = insights;
  return (
    <Text size="sm" fw={600} data-testid="ads-totals">
      {t('ads.totals', {
        spend: formatFigure('spend', totals.spend, currency),
        roas: formatFigure('roas', totals.roas, currency),
        conversations: totals.conversations,
        orders: totals.orders,
        revenue: formatFigure('revenue', totals.revenue, currency),
      })}
    </Text>
  );
}

function ExportButton({ tenantId, view }: { tenantId: string; view: AdsView }) {
  const { t } = useTranslation();
  const exporter = useExportAdsCsv(tenantId);
  return (
    <Stack gap={4} align="flex-end">
      <Button variant="light" loading={exporter.isPending} onClick={() => exporter.mutate(view)}>
        {t('ads.export')}
      </Button>
      {exporter.isError && <ErrorAlert error={exporter.error} />}
    </Stack>
  );
}

/**
 * One account's figures over a range (the last 30 days at first), with the charts, the table,
 * its export and the recommendations. While the account's history still comes in, the figures
 * are read again every few seconds and once more when it is in.
 */
export function AccountInsights({
  tenantId,
  accounts,
  account,
  onAccount,
}: {
  tenantId: string;
  accounts: AdAccountView[];
  account: AdAccountView;
  onAccount: (accountId: string) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [range, setRange] = useState(() => ({ ...recentRange(29), level: 'campaign' as AdsView['level'] }));
  const [metric, setMetric] = useState<ChartMetric>('spend');
  const view: AdsView = { accountId: account.accountId, ...range };
  const live = isBackfilling(account);
  const insights = useAdsInsights(tenantId, view, live);
  const invalidRange = !view.from || !view.to || view.from > view.to;

  const wasLive = useRef(live);
  useEffect(() => {
    // The history just came in: the figures on screen may have been read before its last days.
    if (wasLive.current && !live) void client.invalidateQueries({ queryKey: [...adsKeys.all(tenantId), 'insights'] });
    wasLive.current = live;
  }, [live, client, tenantId]);

  return (
    <Stack gap="lg">
      <SectionCard
        titleId="ads-insights-title"
        title={t('ads.insightsTitle', { name: account.name })}
        testId="ads-insights"
      >
        <InsightsFilters
          accounts={accounts}
          view={view}
          metric={metric}
          onView={({ accountId, ...next }) => {
            setRange(next);
            if (accountId !== account.accountId) onAccount(accountId);
          }}
          onMetric={setMetric}
        />
        {live && (
          <Text size="sm" c="gray.7">
            {t('ads.historyComing')}
          </Text>
        )}
        {invalidRange ? (
          <Text size="sm" c="red.9" role="alert">
            {t('ads.invalidRange')}
          </Text>
        ) : (
          <QueryState query={insights}>
            {(data) => (
              <Stack gap="md">
                <Group justify="space-between" align="flex-end">
                  <Totals insights={data} />
                  <ExportButton tenantId={tenantId} view={view} />
                </Group>
                <InsightsCharts insights={data} metric={metric} />
                <InsightsTable insights={data} />
              </Stack>
            )}
          </QueryState>
        )}
      </SectionCard>
      <AdsRecommendations key={account.accountId} tenantId={tenantId} view={view} currency={account.currency} />
    </Stack>
  );
}
