import { Alert, Badge, Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  type Subprocessor,
  type TransferAgreementsRequest,
  useOpenAgreementsRequest,
  useRequestAgreements,
  useSubprocessors,
} from '../../api/privacy';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { SectionCard } from '../../components/SectionCard';
import { type RowColumn, TableOrCards } from '../../components/StackedRows';
import { useBusiness } from '../../shell/BusinessContext';
import { AccountDangerZone } from './AccountDangerZone';
import { PrivacyRequests } from './PrivacyRequests';

/** The API answers every text in both languages; the page shows the one on screen. */
function useLocalized() {
  const { i18n } = useTranslation();
  return (text: { tr: string; en: string }) => (i18n.language === 'en' ? text.en : text.tr);
}

function useColumns(): RowColumn<Subprocessor>[] {
  const { t } = useTranslation();
  const localized = useLocalized();
  const status = (row: Subprocessor) =>
    row.active ? (
      <Badge color="green" variant="light" c="gray.9">
        {t('privacy.subprocessors.active')}
      </Badge>
    ) : (
      <Text size="sm" c="dimmed">
        {t('privacy.subprocessors.inactiveSince', { since: row.since ? localized(row.since) : '' })}
      </Text>
    );
  return [
    { label: t('privacy.subprocessors.purpose'), value: (row: Subprocessor) => localized(row.purpose) },
    { label: t('privacy.subprocessors.data'), value: (row: Subprocessor) => localized(row.data) },
    { label: t('privacy.subprocessors.location'), value: (row: Subprocessor) => localized(row.location) },
    {
      label: t('privacy.subprocessors.transfer'),
      value: (row: Subprocessor) =>
        row.transferOutsideTurkiyeAndEea
          ? t('privacy.subprocessors.transferYes')
          : t('privacy.subprocessors.transferNo'),
    },
    {
      label: t('privacy.subprocessors.safeguard'),
      value: (row: Subprocessor) => t(`privacy.safeguards.${row.safeguard}`),
    },
    { label: t('privacy.subprocessors.status'), value: status },
  ];
}

/** A table from `md` up, cards below it: a seven-column table would not fit a phone. */
function SubprocessorTable({ rows }: { rows: readonly Subprocessor[] }) {
  const { t } = useTranslation();
  return (
    <TableOrCards
      label={t('privacy.subprocessors.tableLabel')}
      testId="subprocessors"
      minWidth={900}
      titleLabel={t('privacy.subprocessors.name')}
      title={(row) => row.name}
      columns={useColumns()}
      rows={rows}
      rowKey={(row) => row.id}
      rowData={(row) => ({ 'data-subprocessor': row.id })}
    />
  );
}

function RecordedRequest({ request }: { request: TransferAgreementsRequest }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <Alert color="blue" variant="light" data-testid="agreements-request" aria-live="polite">
      <Stack gap={4}>
        <Text size="sm">
          {t('privacy.agreements.requested', { date: formatDate(request.requestedAt), due: formatDate(request.dueAt) })}
        </Text>
        <Text size="sm">{t('privacy.agreements.ownerMailed')}</Text>
        <Text size="xs" c="dimmed">
          {t('privacy.agreements.requestNumber', { id: request.id })}
        </Text>
      </Stack>
    </Alert>
  );
}

/** Owners and admins ask for the transfer agreements; the open request shows with its deadline. */
function TransferAgreements() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const allowed = can('data.export');
  const open = useOpenAgreementsRequest(tenantId, allowed);
  const ask = useRequestAgreements(tenantId);
  return (
    <SectionCard titleId="agreements-title" title={t('privacy.agreements.title')}>
      <Text size="sm">{t('privacy.agreements.description')}</Text>
      {!allowed ? (
        <RoleNote>{t('privacy.agreements.managersOnly')}</RoleNote>
      ) : (
        <QueryState query={open}>
          {(request) =>
            request ? (
              <RecordedRequest request={request} />
            ) : (
              <div>
                <Button onClick={() => ask.mutate()} loading={ask.isPending}>
                  {t('privacy.agreements.request')}
                </Button>
              </div>
            )
          }
        </QueryState>
      )}
      {ask.isError && <ErrorAlert error={ask.error} />}
    </SectionCard>
  );
}

/**
 * The privacy area: who processes the business's data and where (the contract's one
 * declaration), the transfer agreements, and the place where data requests and their receipts
 * will be listed.
 */
export function PrivacyPage() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const subprocessors = useSubprocessors(tenantId);
  return (
    <>
      <PageHeader title={t('privacy.title')} description={t('privacy.description')} />
      <Stack gap="xl">
        <Stack component="section" gap="sm" aria-labelledby="subprocessors-title">
          <Title order={2} size="h4" id="subprocessors-title">
            {t('privacy.subprocessors.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('privacy.subprocessors.description')}
          </Text>
          <QueryState query={subprocessors}>{(data) => <SubprocessorTable rows={data.subprocessors} />}</QueryState>
        </Stack>
        <TransferAgreements />
        <PrivacyRequests />
        <AccountDangerZone />
      </Stack>
    </>
  );
}
