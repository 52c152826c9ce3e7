import { Badge, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type PrivacyRequest, usePrivacyRequests } from '../../api/privacy';
import { useFormatDateTime } from '../../components/format';
import { RoleNote } from '../../components/NoAccess';
import { PlainList } from '../../components/PlainList';
import { QueryState } from '../../components/QueryState';
import { type RowColumn, TableOrCards } from '../../components/StackedRows';
import { useBusiness } from '../../shell/BusinessContext';
import { useDataClassLabel, useDescribeActor } from '../contacts/labels';

const DAY_MS = 86_400_000;
/** An open request this close to its deadline is highlighted, so it is answered in time. */
const DUE_SOON_DAYS = 5;

/** The deadline, and for an open request how near it is: past (red) or within five days (yellow). */
function Deadline({ request }: { request: PrivacyRequest }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const left = new Date(request.dueAt).getTime() - Date.now();
  const open = request.status === 'open';
  const urgency = !open ? 'none' : left < 0 ? 'overdue' : left <= DUE_SOON_DAYS * DAY_MS ? 'soon' : 'none';
  return (
    <Stack gap={2} data-testid="request-deadline" data-urgency={urgency}>
      <Text size="sm" fw={urgency === 'none' ? undefined : 600} c={urgency === 'overdue' ? 'red.8' : undefined}>
        {formatDate(request.dueAt)}
      </Text>
      {urgency === 'overdue' && (
        <Badge color="red" variant="light" c="red.9" w="fit-content">
          {t('privacyRequests.overdue')}
        </Badge>
      )}
      {urgency === 'soon' && (
        <Badge color="yellow" variant="light" c="gray.9" w="fit-content">
          {t('privacyRequests.dueSoon', { count: Math.max(1, Math.ceil(left / DAY_MS)) })}
        </Badge>
      )}
    </Stack>
  );
}

function StatusBadge({ status }: { status: PrivacyRequest['status'] }) {
  const { t } = useTranslation();
  const color = status === 'done' ? 'green' : status === 'open' ? 'blue' : 'gray';
  return (
    // Never cut short: the table's narrow column would otherwise clip the word.
    <Badge color={color} variant="light" c="gray.9" styles={{ label: { overflow: 'visible' } }}>
      {t(`privacyRequests.statuses.${status}`)}
    </Badge>
  );
}

/** What a finished request removed or handed over, by data class and count, when and by whom. */
function Receipt({ request }: { request: PrivacyRequest }) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const label = useDataClassLabel();
  const describeActor = useDescribeActor();
  const { receipt } = request;
  // Shopify only forwards a customer's data request: the business answers it (the contact's export completes it).
  if (!receipt && request.source === 'shopify' && request.kind === 'contact-export' && request.status === 'open') {
    return (
      <Text size="sm" data-testid="shopify-data-request">
        {t('privacyRequests.shopifyDataRequest')}
      </Text>
    );
  }
  if (!receipt) return <Text size="sm">{t('privacyRequests.noReceipt')}</Text>;
  // The list is short in a table cell: what was there (the contact's page shows every class).
  const items = receipt.items.filter((item) => item.count > 0);
  return (
    <Stack gap={2} data-testid="request-receipt">
      <Text size="xs" c="gray.7">
        {receipt.receiptId} · {formatDate(receipt.at)} · {describeActor(receipt.by)}
      </Text>
      {items.length > 0 && (
        <PlainList gap={0}>
          {items.map((item) => (
            <Text component="li" size="sm" key={item.dataClass} data-data-class={item.dataClass}>
              {label(item.dataClass)}: {item.count}
            </Text>
          ))}
        </PlainList>
      )}
    </Stack>
  );
}

function useColumns(): RowColumn<PrivacyRequest>[] {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return [
    {
      label: t('privacyRequests.source'),
      value: (row: PrivacyRequest) => t(`privacyRequests.sources.${row.source}`),
    },
    { label: t('privacyRequests.received'), value: (row: PrivacyRequest) => formatDate(row.requestedAt) },
    { label: t('privacyRequests.due'), value: (row: PrivacyRequest) => <Deadline request={row} /> },
    { label: t('privacyRequests.status'), value: (row: PrivacyRequest) => <StatusBadge status={row.status} /> },
    { label: t('privacyRequests.receipt'), value: (row: PrivacyRequest) => <Receipt request={row} /> },
  ];
}

/** A table from `md` up, one card per request below it. */
function RequestsTable({ rows }: { rows: readonly PrivacyRequest[] }) {
  const { t } = useTranslation();
  return (
    <TableOrCards
      label={t('privacyRequests.tableLabel')}
      testId="privacy-requests"
      minWidth={800}
      titleLabel={t('privacyRequests.kind')}
      title={(row) => t(`privacyRequests.kinds.${row.kind}`)}
      titleWeight={500}
      columns={useColumns()}
      rows={rows}
      rowKey={(row) => row.requestId}
      rowData={(row) => ({
        'data-testid': 'privacy-request',
        'data-kind': row.kind,
        'data-status': row.status,
        'data-request-id': row.requestId,
      })}
    />
  );
}

/**
 * Every request about personal data the business has had (from the app, by mail, from ops or
 * from Meta), newest first, with its 30-day deadline and, once done, its receipt. For
 * `data.export` holders (owners and admins); the rest of the team is told who can see them.
 */
export function PrivacyRequests() {
  const { t } = useTranslation();
  const { tenantId, can } = useBusiness();
  const allowed = can('data.export');
  const requests = usePrivacyRequests(tenantId, allowed);
  return (
    <Stack component="section" gap="sm" aria-labelledby="requests-title" data-testid="privacy-requests">
      <Title order={2} size="h4" id="requests-title">
        {t('privacy.requests.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('privacyRequests.description')}
      </Text>
      {!allowed ? (
        <RoleNote>{t('privacyRequests.managersOnly')}</RoleNote>
      ) : (
        <QueryState query={requests}>
          {(rows) =>
            rows.length === 0 ? <Text size="sm">{t('privacyRequests.empty')}</Text> : <RequestsTable rows={rows} />
          }
        </QueryState>
      )}
    </Stack>
  );
}
