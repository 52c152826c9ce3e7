import { Alert, Anchor, Badge, Button, Group, Loader, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  type AttributionGroup,
  type CampaignAction,
  type CampaignProgress,
  RECIPIENT_STATES,
  type RecipientState,
  useCampaignAction,
  useCampaignAttribution,
  useCampaignFailures,
  useCampaignProgress,
  useCampaignRecipients,
  useCampaignTimeline,
  useExportCampaignResults,
} from '../../api/campaign-results';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { CAMPAIGN_STATE_COLORS } from './CampaignsList';
import { FUNNEL_STAGES, FunnelChart, STAGE_COLORS } from './FunnelChart';

/**
 * One campaign's results: its state with pause, resume and cancel, the progress bar (read every
 * two seconds while it sends), the funnel as counts and over time, why messages failed in
 * WhatsApp's words, the recipients by state, the CSV export, and what the recipients bought
 * against the holdout.
 */

const ACTIONS: Record<string, CampaignAction[]> = {
  sending: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  scheduled: ['cancel'],
};

function Actions({ tenantId, progress }: { tenantId: string; progress: CampaignProgress }) {
  const { t } = useTranslation();
  const action = useCampaignAction(tenantId, progress.campaignId);
  const [confirming, setConfirming] = useState(false);
  const actions = ACTIONS[progress.state] ?? [];
  if (actions.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {actions.map((name) =>
          name === 'cancel' && !confirming ? (
            <Button key={name} color="red" variant="light" onClick={() => setConfirming(true)}>
              {t('campaignResults.actions.cancel')}
            </Button>
          ) : (
            <Button
              key={name}
              color={name === 'cancel' ? 'red' : undefined}
              variant={name === 'cancel' ? 'filled' : 'light'}
              loading={action.isPending && action.variables === name}
              onClick={() => action.mutate(name, { onSettled: () => setConfirming(false) })}
            >
              {t(name === 'cancel' ? 'campaignResults.actions.confirmCancel' : `campaignResults.actions.${name}`)}
            </Button>
          ),
        )}
      </Group>
      {action.isError && <ErrorAlert error={action.error} />}
    </Stack>
  );
}

function ProgressCard({ tenantId, progress }: { tenantId: string; progress: CampaignProgress }) {
  const { t } = useTranslation();
  const { counts } = progress;
  const funnel = [...FUNNEL_STAGES];
  return (
    <SectionCard titleId="campaign-progress-title" title={t('campaignResults.progress.title')}>
      <Group gap="xs" aria-live="polite">
        <Badge color={CAMPAIGN_STATE_COLORS[progress.state]} variant="light" c="gray.9" data-testid="campaign-state">
          {t(`campaigns.states.${progress.state}`)}
        </Badge>
        {progress.pauseReason && <Text size="sm">{t(`campaignResults.pauseReasons.${progress.pauseReason}`)}</Text>}
      </Group>
      <Progress
        value={progress.percentDone}
        size="lg"
        // Mantine puts role=progressbar and aria-valuenow on the bar itself, named by this label.
        aria-label={t('campaignResults.progress.bar')}
        data-testid="campaign-progress"
      />
      <Text size="sm">
        {t('campaignResults.progress.done', { percent: progress.percentDone, audience: counts.audience })}
      </Text>
      <Table withRowBorders={false} data-testid="campaign-funnel" aria-label={t('campaignResults.funnel.title')}>
        <Table.Tbody>
          {funnel.map((stage) => (
            <Table.Tr key={stage}>
              <Table.Th scope="row" fw={500}>
                <span style={{ color: STAGE_COLORS[stage] }}>■</span> {t(`campaignResults.states.${stage}`)}
              </Table.Th>
              <Table.Td data-testid={`funnel-${stage}`}>{counts[stage]}</Table.Td>
            </Table.Tr>
          ))}
          {(['queued', 'sending', 'holdout', 'skipped'] as const).map((state) => (
            <Table.Tr key={state}>
              <Table.Th scope="row" fw={400}>
                {t(`campaignResults.states.${state}`)}
              </Table.Th>
              <Table.Td data-testid={`funnel-${state}`}>{counts[state]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Actions tenantId={tenantId} progress={progress} />
    </SectionCard>
  );
}

function Timeline({ tenantId, campaignId, live }: { tenantId: string; campaignId: string; live: boolean }) {
  const { t } = useTranslation();
  const timeline = useCampaignTimeline(tenantId, campaignId, live);
  return (
    <SectionCard titleId="campaign-timeline-title" title={t('campaignResults.funnel.title')}>
      <QueryState query={timeline}>
        {(buckets) =>
          buckets.length === 0 ? (
            <Text size="sm">{t('campaignResults.funnel.empty')}</Text>
          ) : (
            <FunnelChart buckets={buckets} label={t('campaignResults.funnel.chart')} />
          )
        }
      </QueryState>
    </SectionCard>
  );
}

function Failures({ tenantId, campaignId, live }: { tenantId: string; campaignId: string; live: boolean }) {
  const { t } = useTranslation();
  const failures = useCampaignFailures(tenantId, campaignId, live);
  return (
    <SectionCard titleId="campaign-failures-title" title={t('campaignResults.failures.title')}>
      <QueryState query={failures}>
        {(rows) =>
          rows.length === 0 ? (
            <Text size="sm">{t('campaignResults.failures.empty')}</Text>
          ) : (
            <Table data-testid="campaign-failures" aria-label={t('campaignResults.failures.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('campaignResults.failures.code')}</Table.Th>
                  <Table.Th scope="col">{t('campaignResults.failures.reason')}</Table.Th>
                  <Table.Th scope="col">{t('campaignResults.failures.count')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.code}>
                    <Table.Td>{row.code}</Table.Td>
                    <Table.Td>{row.title ?? ''}</Table.Td>
                    <Table.Td>{row.count}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryState>
    </SectionCard>
  );
}

function Recipients({ tenantId, campaignId }: { tenantId: string; campaignId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const [state, setState] = useState<RecipientState | 'all'>('all');
  const recipients = useCampaignRecipients(tenantId, campaignId, state === 'all' ? null : state);
  const exporter = useExportCampaignResults(tenantId, campaignId);
  const rows = recipients.data?.pages.flatMap((page) => page.recipients) ?? [];
  const lastStep = (row: (typeof rows)[number]) =>
    row.failedAt ?? row.repliedAt ?? row.readAt ?? row.deliveredAt ?? row.sentAt;
  return (
    <SectionCard titleId="campaign-recipients-title" title={t('campaignResults.recipients.title')}>
      <Group justify="space-between" align="end">
        <Select
          label={t('campaignResults.recipients.filter')}
          data-testid="campaign-recipients-filter"
          allowDeselect={false}
          value={state}
          onChange={(value) => setState((value ?? 'all') as RecipientState | 'all')}
          data={[
            { value: 'all', label: t('campaignResults.recipients.all') },
            ...RECIPIENT_STATES.map((value) => ({ value, label: t(`campaignResults.states.${value}`) })),
          ]}
        />
        <Button variant="light" loading={exporter.isPending} onClick={() => exporter.mutate()}>
          {t('campaignResults.export.button')}
        </Button>
      </Group>
      {exporter.isError && <ErrorAlert error={exporter.error} />}
      <Text size="xs" c="dimmed">
        {t('campaignResults.export.hint')}
      </Text>
      {recipients.isPending ? (
        <Loader size="sm" role="status" aria-label={t('app.loading')} />
      ) : recipients.isError ? (
        <ErrorAlert error={recipients.error} />
      ) : rows.length === 0 ? (
        <Text size="sm">{t('campaignResults.recipients.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table data-testid="campaign-recipients" aria-label={t('campaignResults.recipients.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('campaignResults.recipients.phone')}</Table.Th>
                <Table.Th scope="col">{t('campaignResults.recipients.name')}</Table.Th>
                <Table.Th scope="col">{t('campaignResults.recipients.state')}</Table.Th>
                <Table.Th scope="col">{t('campaignResults.recipients.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => {
                const at = lastStep(row);
                return (
                  <Table.Tr key={row.contactId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/b/${tenantId}/contacts/${row.contactId}`} c="blue.9">
                        {row.phone ?? t('campaignResults.recipients.noPhone')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{row.name ?? ''}</Table.Td>
                    <Table.Td>
                      {t(`campaignResults.states.${row.state}`)}
                      {row.failureCode !== null &&
                        ` (${row.failureCode}${row.failureTitle ? `: ${row.failureTitle}` : ''})`}
                    </Table.Td>
                    <Table.Td>{at ? formatDate(at) : ''}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {recipients.hasNextPage && (
        <div>
          <Button
            variant="subtle"
            loading={recipients.isFetchingNextPage}
            onClick={() => void recipients.fetchNextPage()}
          >
            {t('campaignResults.recipients.more')}
          </Button>
        </div>
      )}
    </SectionCard>
  );
}

const percent = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);

function GroupCells({ group }: { group: AttributionGroup | null }) {
  return (
    <>
      <Table.Td>{group?.n ?? 0}</Table.Td>
      <Table.Td>{group?.buyers ?? 0}</Table.Td>
      <Table.Td>{group?.orders ?? 0}</Table.Td>
      <Table.Td>{group?.revenue.map((money) => `${money.amount} ${money.currency}`).join(', ') || '0'}</Table.Td>
      <Table.Td>{percent(group?.conversionRate ?? null)}</Table.Td>
    </>
  );
}

function Attribution({ tenantId, campaignId }: { tenantId: string; campaignId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const attribution = useCampaignAttribution(tenantId, campaignId);
  return (
    <SectionCard titleId="campaign-attribution-title" title={t('campaignResults.attribution.title')}>
      <QueryState query={attribution}>
        {(data) =>
          data.status === 'pending' ? (
            <Text size="sm">{t('campaignResults.attribution.pending')}</Text>
          ) : (
            <Stack gap="xs" data-testid="campaign-attribution">
              {data.windowStart && data.windowEnd && (
                <Text size="sm">
                  {t('campaignResults.attribution.window', {
                    from: formatDate(data.windowStart),
                    to: formatDate(data.windowEnd),
                  })}
                </Text>
              )}
              <Table.ScrollContainer minWidth={500}>
                <Table aria-label={t('campaignResults.attribution.title')}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('campaignResults.attribution.group')}</Table.Th>
                      <Table.Th scope="col">{t('campaignResults.attribution.people')}</Table.Th>
                      <Table.Th scope="col">{t('campaignResults.attribution.buyers')}</Table.Th>
                      <Table.Th scope="col">{t('campaignResults.attribution.orders')}</Table.Th>
                      <Table.Th scope="col">{t('campaignResults.attribution.revenue')}</Table.Th>
                      <Table.Th scope="col">{t('campaignResults.attribution.conversion')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    <Table.Tr>
                      <Table.Th scope="row">{t('campaignResults.attribution.recipients')}</Table.Th>
                      <GroupCells group={data.recipients} />
                    </Table.Tr>
                    <Table.Tr>
                      <Table.Th scope="row">{t('campaignResults.attribution.holdout')}</Table.Th>
                      <GroupCells group={data.holdout} />
                    </Table.Tr>
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {data.lift ? (
                <Text size="sm" data-testid="campaign-lift">
                  {t('campaignResults.attribution.lift', {
                    points: (data.lift.absolute * 100).toFixed(1),
                    relative: data.lift.relative === null ? '–' : `${(data.lift.relative * 100).toFixed(0)}%`,
                  })}
                </Text>
              ) : (
                <Alert color="gray" variant="light" data-testid="campaign-lift">
                  {t('campaignResults.attribution.notEnough')}
                </Alert>
              )}
              <Text size="xs" c="dimmed">
                {t('campaignResults.attribution.note')}
              </Text>
            </Stack>
          )
        }
      </QueryState>
    </SectionCard>
  );
}

function Results({ tenantId, progress }: { tenantId: string; progress: CampaignProgress }) {
  const { t } = useTranslation();
  const live = progress.state === 'sending';
  return (
    <Stack gap="lg">
      <PageHeader title={progress.name} description={t('campaignResults.description')} />
      <ProgressCard tenantId={tenantId} progress={progress} />
      <Timeline tenantId={tenantId} campaignId={progress.campaignId} live={live} />
      <Failures tenantId={tenantId} campaignId={progress.campaignId} live={live} />
      <Recipients tenantId={tenantId} campaignId={progress.campaignId} />
      <Attribution tenantId={tenantId} campaignId={progress.campaignId} />
    </Stack>
  );
}

export function CampaignResultsPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { campaignId = '' } = useParams();
  const progress = useCampaignProgress(tenantId, campaignId);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/b/${tenantId}/campaigns`} size="sm" c="blue.9">
        {t('campaignResults.back')}
      </Anchor>
      {can('campaigns.send') ? (
        <QueryState query={progress}>{(data) => <Results tenantId={tenantId} progress={data} />}</QueryState>
      ) : (
        <RoleNote>{t('campaignResults.managersOnly')}</RoleNote>
      )}
    </Stack>
  );
}
