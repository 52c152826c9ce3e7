import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import {
  type CampaignListView,
  LIST_REJECT_REASONS,
  useCampaignList,
  useCampaignListMembers,
  useCampaignListReport,
  useDeleteCampaignList,
} from '../../api/campaign-lists';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { useBusiness } from '../../shell/BusinessContext';
import { STATE_COLORS } from './CampaignsPage';

/**
 * One campaign list: its import's progress (read every second while it runs), what came of the
 * file's rows and why rows were rejected, in plain words, the report to download, the members
 * with masked numbers, and the list's deletion.
 */

const COUNTS = [
  'rows',
  'accepted',
  'merged',
  'rejected',
  'consentGranted',
  'consentWithdrawn',
  'keptWithdrawn',
] as const;

function Counts({ list }: { list: CampaignListView }) {
  const { t } = useTranslation();
  const reasons = LIST_REJECT_REASONS.filter((reason) => (list.rejectedByReason[reason] ?? 0) > 0);
  return (
    <Stack gap="sm">
      <Table withRowBorders={false} data-testid="campaign-list-counts">
        <Table.Tbody>
          {COUNTS.filter((name) => list.source === 'upload' || name === 'rows' || name === 'accepted').map((name) => (
            <Table.Tr key={name}>
              <Table.Th scope="row" fw={500}>
                {t(`campaignLists.counts.${name}`)}
              </Table.Th>
              <Table.Td data-testid={`count-${name}`}>{list.counts[name]}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {reasons.length > 0 && (
        <Stack gap={4} data-testid="campaign-list-reasons">
          <Text size="sm" fw={500}>
            {t('campaignLists.reasons.title')}
          </Text>
          {reasons.map((reason) => (
            <Text size="sm" key={reason}>
              {t(`campaignLists.reasons.${reason}`, { count: list.rejectedByReason[reason] ?? 0 })}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function Report({ tenantId, list }: { tenantId: string; list: CampaignListView }) {
  const { t } = useTranslation();
  const report = useCampaignListReport(tenantId, list.listId);
  if (!list.hasReport) return null;
  return (
    <Stack gap="xs">
      <div>
        <Button variant="light" loading={report.isPending} onClick={() => report.mutate()}>
          {t('campaignLists.report.button')}
        </Button>
      </div>
      {report.isError && <ErrorAlert error={report.error} />}
      {report.data && (
        <Anchor href={report.data.url} download={`${list.name}-rejected-rows.csv`} size="sm" c="blue.9">
          {t('campaignLists.report.download')}
        </Anchor>
      )}
      <Text size="xs" c="dimmed">
        {t('campaignLists.report.hint')}
      </Text>
    </Stack>
  );
}

function Members({ tenantId, listId }: { tenantId: string; listId: string }) {
  const { t } = useTranslation();
  const members = useCampaignListMembers(tenantId, listId, true);
  if (members.isPending) return <Loader size="sm" role="status" aria-label={t('app.loading')} />;
  if (members.isError) return <ErrorAlert error={members.error} />;
  const rows = members.data.pages.flatMap((page) => page.members);
  if (rows.length === 0) return <Text size="sm">{t('campaignLists.members.empty')}</Text>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={500}>
        <Table data-testid="campaign-list-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('campaignLists.members.phone')}</Table.Th>
              <Table.Th>{t('campaignLists.members.name')}</Table.Th>
              <Table.Th>{t('campaignLists.members.consent')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((member) => (
              <Table.Tr key={member.contactId}>
                <Table.Td>
                  <Anchor component={Link} to={`/b/${tenantId}/contacts/${member.contactId}`} c="blue.9">
                    {member.phone ?? t('campaignLists.members.noPhone')}
                  </Anchor>
                </Table.Td>
                <Table.Td>{member.name ?? ''}</Table.Td>
                <Table.Td>{t(`campaignLists.members.fileConsent.${member.fileConsent}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {members.hasNextPage && (
        <div>
          <Button variant="subtle" loading={members.isFetchingNextPage} onClick={() => void members.fetchNextPage()}>
            {t('campaignLists.members.more')}
          </Button>
        </div>
      )}
    </Stack>
  );
}

function DeleteList({ tenantId, list }: { tenantId: string; list: CampaignListView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteCampaignList(tenantId, list.listId);
  const [asked, setAsked] = useState(false);
  return (
    <SectionCard danger titleId="campaign-list-delete-title" title={t('campaignLists.delete.title')}>
      <Text size="sm">{t('campaignLists.delete.description')}</Text>
      {remove.isError && <ErrorAlert error={remove.error} />}
      <Group>
        {asked ? (
          <>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => navigate(`/b/${tenantId}/campaigns`) })}
            >
              {t('campaignLists.delete.confirm')}
            </Button>
            <Button variant="default" onClick={() => setAsked(false)}>
              {t('campaignLists.delete.cancel')}
            </Button>
          </>
        ) : (
          <Button color="red" variant="light" onClick={() => setAsked(true)}>
            {t('campaignLists.delete.button')}
          </Button>
        )}
      </Group>
    </SectionCard>
  );
}

function ListDetails({ tenantId, list }: { tenantId: string; list: CampaignListView }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <Stack gap="lg">
      <PageHeader
        title={list.name}
        description={
          list.source === 'upload'
            ? t('campaignLists.list.fromFile', { file: list.fileName ?? '', time: formatDate(list.createdAt) })
            : t('campaignLists.list.fromInbox', { time: formatDate(list.createdAt) })
        }
      />
      <SectionCard titleId="campaign-list-import-title" title={t('campaignLists.list.import')}>
        <Group gap="xs" aria-live="polite">
          <Badge color={STATE_COLORS[list.state]} variant="light" c="gray.9" data-testid="campaign-list-state">
            {t(`campaignLists.state.${list.state}`)}
          </Badge>
          {list.state === 'importing' && (
            <Text size="sm">{t('campaignLists.list.progress', { rows: list.counts.rows })}</Text>
          )}
        </Group>
        {list.failure && (
          <Alert color="red" variant="light" role="alert">
            {t(`campaignLists.failure.${list.failure}`, { defaultValue: list.failure })}
          </Alert>
        )}
        {list.hint && (
          <Alert color="yellow" variant="light">
            {t('campaignLists.list.encodingHint')}
          </Alert>
        )}
        {list.consentWording && (
          <Text size="sm">{t('campaignLists.list.wording', { wording: list.consentWording })}</Text>
        )}
        <Counts list={list} />
        <Report tenantId={tenantId} list={list} />
      </SectionCard>
      {list.state === 'ready' && (
        <SectionCard titleId="campaign-list-members-title" title={t('campaignLists.members.title')}>
          <Members tenantId={tenantId} listId={list.listId} />
        </SectionCard>
      )}
      {list.state !== 'importing' && <DeleteList tenantId={tenantId} list={list} />}
    </Stack>
  );
}

export function CampaignListPage() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const { listId = '' } = useParams();
  const list = useCampaignList(tenantId, listId);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/b/${tenantId}/campaigns`} size="sm" c="blue.9">
        {t('campaignLists.back')}
      </Anchor>
      {can('campaigns.send') ? (
        <QueryState query={list}>{(data) => <ListDetails tenantId={tenantId} list={data} />}</QueryState>
      ) : (
        <RoleNote>{t('campaignLists.managersOnly')}</RoleNote>
      )}
    </Stack>
  );
}
