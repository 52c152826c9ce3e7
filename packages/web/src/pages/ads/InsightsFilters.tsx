import { Group, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdAccountView, AdLevel, AdsView } from '../../api/ads';
import { CHART_METRICS, type ChartMetric } from './figures';

/** Campaigns first: the level merchants plan their budgets at. */
const LEVEL_ORDER: readonly AdLevel[] = ['campaign', 'adset', 'ad', 'account'];

/**
 * What the figures show: which account (when there are several), the days, the level
 * (campaigns, ad sets, ads or the whole account) and the figure the charts follow.
 */
export function InsightsFilters({
  accounts,
  view,
  metric,
  onView,
  onMetric,
}: {
  accounts: AdAccountView[];
  view: AdsView;
  metric: ChartMetric;
  onView: (next: AdsView) => void;
  onMetric: (next: ChartMetric) => void;
}) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" gap="sm">
      {accounts.length > 1 && (
        <Select
          label={t('ads.filters.account')}
          data={accounts.map((account) => ({ value: account.accountId, label: account.name }))}
          value={view.accountId}
          allowDeselect={false}
          onChange={(value) => value && onView({ ...view, accountId: value })}
          data-testid="ads-account"
        />
      )}
      <TextInput
        type="date"
        label={t('ads.filters.from')}
        value={view.from}
        max={view.to || undefined}
        onChange={(e) => onView({ ...view, from: e.currentTarget.value })}
        data-testid="ads-from"
      />
      <TextInput
        type="date"
        label={t('ads.filters.to')}
        value={view.to}
        min={view.from || undefined}
        onChange={(e) => onView({ ...view, to: e.currentTarget.value })}
        data-testid="ads-to"
      />
      <Select
        label={t('ads.filters.level')}
        data={LEVEL_ORDER.map((value) => ({ value, label: t(`ads.levels.${value}`) }))}
        value={view.level}
        allowDeselect={false}
        onChange={(value) => value && onView({ ...view, level: value as AdLevel })}
        data-testid="ads-level"
      />
      <Select
        label={t('ads.filters.metric')}
        data={CHART_METRICS.map((value) => ({ value, label: t(`ads.metrics.${value}`) }))}
        value={metric}
        allowDeselect={false}
        onChange={(value) => value && onMetric(value as ChartMetric)}
        data-testid="ads-metric"
      />
    </Group>
  );
}
