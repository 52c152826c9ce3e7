import { Alert, Button, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AudienceCost,
  type AudiencePreviewAnswer,
  SKIP_REASONS,
  useAudiencePreview,
} from '../../api/campaign-audience';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SectionCard } from '../../components/SectionCard';
import { AudiencePicker, type AudienceSource } from './AudiencePicker';

/** Money as the merchant reads it, up to four decimals (a marketing message can cost 0.0109 USD). */
function useMoney() {
  const { i18n } = useTranslation();
  return (amount: string, currency: string) =>
    new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'tr-TR', {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    }).format(Number(amount));
}

function CostLine({ cost, eligible }: { cost: AudienceCost | null; eligible: number }) {
  const { t } = useTranslation();
  const money = useMoney();
  if (!cost) {
    return (
      <Alert color="yellow" variant="light">
        {t('campaignAudience.check.noPrice')}
      </Alert>
    );
  }
  return (
    <Stack gap={2}>
      <Text fw={600} data-testid="audience-cost">
        {t('campaignAudience.check.cost', {
          total: money(cost.total, cost.currency),
          count: eligible,
          perMessage: money(cost.perMessage, cost.currency),
        })}
      </Text>
      <Text size="sm" c="dimmed">
        {t('campaignAudience.check.costEstimate')}
      </Text>
    </Stack>
  );
}

/** N will receive it, M will not, each reason in plain words with its count. */
export function AudienceResult({ answer }: { answer: AudiencePreviewAnswer }) {
  const { t } = useTranslation();
  const reasons = SKIP_REASONS.filter((reason) => answer.excluded[reason] > 0);
  return (
    <Stack gap="sm" data-testid="audience-result">
      <Text fw={700} size="lg">
        {t('campaignAudience.check.summary', {
          eligible: answer.eligible,
          excluded: answer.total - answer.eligible,
          total: answer.total,
        })}
      </Text>
      {reasons.length === 0 ? (
        <Text size="sm">{t('campaignAudience.check.nobodyExcluded')}</Text>
      ) : (
        <Table striped withTableBorder aria-label={t('campaignAudience.check.whyNot')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('campaignAudience.check.reason')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('campaignAudience.check.count')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reasons.map((reason) => (
              <Table.Tr key={reason} data-reason={reason}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {t(`campaignAudience.reasons.${reason}`)}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {t(`campaignAudience.explanations.${reason}`)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{answer.excluded[reason]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <CostLine cost={answer.cost} eligible={answer.eligible} />
    </Stack>
  );
}

/**
 * The audience check: pick lists or the inbox's WhatsApp customers, and see who a campaign
 * would reach now, why each of the others would not, and what it would cost. Nothing is sent.
 */
export function AudienceCheck({ tenantId }: { tenantId: string }) {
  const { t } = useTranslation();
  const preview = useAudiencePreview(tenantId);
  const [source, setSource] = useState<AudienceSource>('lists');
  const [listIds, setListIds] = useState<string[]>([]);
  const [labels, setLabels] = useState<string[]>([]);
  const [consentedOnly, setConsentedOnly] = useState(false);
  const [missingList, setMissingList] = useState(false);

  const run = () => {
    if (source === 'lists' && listIds.length === 0) {
      setMissingList(true);
      return;
    }
    setMissingList(false);
    preview.mutate({
      audience:
        source === 'lists'
          ? { kind: 'lists', listIds }
          : {
              kind: 'inbox',
              filter: {
                channels: ['whatsapp'],
                ...(labels.length > 0 && { labels }),
                ...(consentedOnly && { consent: 'granted' as const }),
              },
            },
    });
  };

  return (
    <SectionCard title={t('campaignAudience.check.title')} titleId="audience-check-title" testId="audience-check">
      <AudiencePicker
        tenantId={tenantId}
        wording={{
          source: t('campaignAudience.check.source'),
          fromLists: t('campaignAudience.check.fromLists'),
          fromInbox: t('campaignAudience.check.fromInbox'),
          noLists: t('campaignAudience.check.noLists'),
          lists: t('campaignAudience.check.lists'),
          listsHint: t('campaignAudience.check.listsHint'),
          clearLists: t('campaignAudience.check.clearLists'),
          chooseList: t('campaignAudience.check.chooseList'),
          labels: t('campaignAudience.check.labels'),
          labelsHint: t('campaignAudience.check.labelsHint'),
          consentedOnly: t('campaignAudience.check.consentedOnly'),
        }}
        source={source}
        onSourceChange={(chosen) => {
          setSource(chosen);
          preview.reset();
        }}
        listIds={listIds}
        onListIdsChange={setListIds}
        labels={labels}
        onLabelsChange={setLabels}
        consentedOnly={consentedOnly}
        onConsentedOnlyChange={setConsentedOnly}
        missingList={missingList}
      />
      <div>
        <Button onClick={run} loading={preview.isPending}>
          {t('campaignAudience.check.run')}
        </Button>
      </div>
      {preview.isError && <ErrorAlert error={preview.error} />}
      <div aria-live="polite">{preview.data && <AudienceResult answer={preview.data} />}</div>
    </SectionCard>
  );
}
