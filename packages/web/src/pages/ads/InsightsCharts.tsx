import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdsInsightsAnswer } from '../../api/ads';
import { DailyBars } from '../../components/charts/DailyBars';
import { SeriesLines } from '../../components/charts/SeriesLines';
import { type ChartMetric, daysBetween, formatFigure, perDay } from './figures';

/** One chart with its heading (the heading is also the chart's name for screen readers). */
function Chart({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/**
 * The range at a glance: the picked figure per day for the whole account, ROAS per day beside it
 * (what the spend brought back), and the picked figure over time for the five entities of the
 * level that spent most.
 */
export function InsightsCharts({ insights, metric }: { insights: AdsInsightsAnswer; metric: ChartMetric }) {
  const { t } = useTranslation();
  const days = daysBetween(insights.from, insights.to);
  const metricName = t(`ads.metrics.${metric}`);
  const show = (name: string) => (value: number | null) => formatFigure(name, value, insights.currency);
  const daily = perDay(days, insights.days, metric);
  const roas = perDay(days, insights.days, 'roas');
  const perDayTitle = t('ads.charts.perDay', { metric: metricName });
  const roasTitle = t('ads.charts.roasPerDay');
  const linesTitle = t('ads.charts.perEntity', { metric: metricName, level: t(`ads.levels.${insights.level}`) });
  return (
    <Stack gap="md" data-testid="ads-charts">
      <SimpleGrid cols={{ base: 1, md: metric === 'roas' ? 1 : 2 }} spacing="md">
        <Chart title={perDayTitle}>
          <DailyBars
            days={days}
            values={daily.map((value) => value ?? 0)}
            label={perDayTitle}
            format={(_, index) => show(metric)(daily[index] ?? null)}
            testId="ads-daily-chart"
          />
        </Chart>
        {metric !== 'roas' && (
          <Chart title={roasTitle}>
            <DailyBars
              days={days}
              values={roas.map((value) => value ?? 0)}
              label={roasTitle}
              format={(_, index) => show('roas')(roas[index] ?? null)}
              testId="ads-roas-chart"
            />
          </Chart>
        )}
      </SimpleGrid>
      <Chart title={linesTitle}>
        {insights.series.length === 0 ? (
          <Text size="sm">{t('ads.charts.noSeries')}</Text>
        ) : (
          <SeriesLines
            days={days}
            series={insights.series.map((line) => ({
              id: line.id,
              name: line.name,
              values: perDay(days, line.days, metric),
            }))}
            label={linesTitle}
            format={(value) => show(metric)(value)}
            testId="ads-series-chart"
          />
        )}
      </Chart>
    </Stack>
  );
}
