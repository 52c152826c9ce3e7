import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AdRecommendation,
  type AdsView,
  hasArrived,
  useAdsRecommendations,
  useAskForRecommendations,
} from '../../api/ads';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { formatFigure, type Metric, TABLE_METRICS } from './figures';

/**
 * The AI's recommendations on the account and range: each with the figures it rests on, as the
 * table shows them. Proposals citing a figure the table does not have never reach the page; the
 * page says how many. A person decides and acts in Meta: Asistone changes nothing there.
 */

const KIND_COLORS: Record<AdRecommendation['kind'], string> = {
  'budget-shift': 'blue',
  pause: 'orange',
  creative: 'grape',
  other: 'gray',
};

/** The figures a recommendation may cite that the page has a name for (every one the table shows, and CPM). */
const NAMED = new Set<string>([...TABLE_METRICS, 'cpm']);

function RecommendationCard({ recommendation, currency }: { recommendation: AdRecommendation; currency: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" component="li" data-testid="ad-recommendation">
      <Stack gap="xs">
        <Group gap="xs" align="center">
          <Badge
            color={KIND_COLORS[recommendation.kind]}
            variant="light"
            c="gray.9"
            data-testid="ad-recommendation-kind"
          >
            {t(`ads.recommendations.kinds.${recommendation.kind}`)}
          </Badge>
          <Title order={3} size="h5">
            {recommendation.title}
          </Title>
        </Group>
        {recommendation.why && <Text size="sm">{recommendation.why}</Text>}
        <Table
          withRowBorders={false}
          verticalSpacing={2}
          aria-label={t('ads.recommendations.evidence', { title: recommendation.title })}
          data-testid="ad-recommendation-evidence"
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('ads.recommendations.entity')}</Table.Th>
              <Table.Th scope="col">{t('ads.recommendations.metric')}</Table.Th>
              <Table.Th scope="col">{t('ads.recommendations.value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {recommendation.evidence.map((figure) => (
              <Table.Tr key={`${figure.id}-${figure.metric}`}>
                <Table.Td>{figure.name}</Table.Td>
                <Table.Td>
                  {NAMED.has(figure.metric) ? t(`ads.metrics.${figure.metric as Metric | 'cpm'}`) : figure.metric}
                </Table.Td>
                <Table.Td>{formatFigure(figure.metric, figure.value, currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

export function AdsRecommendations({
  tenantId,
  view,
  currency,
}: {
  tenantId: string;
  view: AdsView;
  currency: string;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  // When the last request went in: the page waits for recommendations at least that new.
  const [askedAt, setAskedAt] = useState<string | null>(null);
  const recommendations = useAdsRecommendations(tenantId, view.accountId, askedAt);
  const ask = useAskForRecommendations(tenantId);
  const waiting = askedAt !== null && !hasArrived(recommendations.data, askedAt);
  const invalidRange = !view.from || !view.to || view.from > view.to;
  return (
    <SectionCard titleId="ad-recommendations-title" title={t('ads.recommendations.title')} testId="ad-recommendations">
      <Alert color="blue" variant="light">
        {t('ads.recommendations.noChanges')}
      </Alert>
      <Group>
        <Button
          onClick={() =>
            ask.mutate(
              { accountId: view.accountId, from: view.from, to: view.to },
              { onSuccess: ({ createdAt }) => setAskedAt(createdAt) },
            )
          }
          loading={ask.isPending || waiting}
          disabled={invalidRange}
        >
          {t('ads.recommendations.ask')}
        </Button>
      </Group>
      {ask.isError && <ErrorAlert error={ask.error} />}
      <div aria-live="polite">
        {waiting && (
          <Group gap="xs">
            <Loader size="xs" aria-hidden="true" />
            <Text size="sm">{t('ads.recommendations.waiting')}</Text>
          </Group>
        )}
      </div>
      <QueryState query={recommendations}>
        {(data) =>
          data === null ? (
            <Text size="sm">{t('ads.recommendations.none')}</Text>
          ) : (
            <Stack gap="sm" data-testid="ad-recommendations-list">
              <Text size="sm" c="gray.7">
                {t('ads.recommendations.about', { from: data.from, to: data.to, at: formatDate(data.createdAt) })}
              </Text>
              {data.recommendations.length === 0 && <Text size="sm">{t('ads.recommendations.empty')}</Text>}
              {data.recommendations.length > 0 && (
                <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {data.recommendations.map((recommendation) => (
                    <RecommendationCard
                      key={`${recommendation.kind}-${recommendation.title}`}
                      recommendation={recommendation}
                      currency={currency}
                    />
                  ))}
                </Stack>
              )}
              {data.dropped > 0 && (
                <Text size="sm" data-testid="ad-recommendations-dropped">
                  {t('ads.recommendations.dropped', { count: data.dropped })}
                </Text>
              )}
            </Stack>
          )
        }
      </QueryState>
    </SectionCard>
  );
}
