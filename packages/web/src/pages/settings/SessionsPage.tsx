import { Badge, Button, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRevokeSession, useSessions } from '../../api/queries';
import type { Session } from '../../api/types';
import { useDescribeError } from '../../components/errors';
import { useFormatDateTime } from '../../components/format';
import { notify } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { StackedRow, StackedRows } from '../../components/StackedRows';
import { useSession } from '../../session/SessionProvider';
import { describeUserAgent } from './userAgent';

/** Settings › Sessions: where the account is signed in; any session can be signed out. */
export function SessionsPage() {
  const { t } = useTranslation();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const { forget } = useSession();
  const navigate = useNavigate();
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();

  const onRevoke = (session: Session) =>
    revoke.mutate(session.id, {
      onSuccess: () => {
        notify.success(t('sessions.revoked'));
        if (session.current) {
          forget();
          navigate('/login', { replace: true });
        }
      },
      onError: (error) => notify.error(describe(error)),
    });

  const deviceName = (session: Session) => describeUserAgent(session.userAgent) ?? t('common.unknown');
  const deviceOf = (session: Session) => (
    <Text size="sm" title={session.userAgent ?? undefined}>
      {deviceName(session)}
      {session.current && (
        // Dark text: no green shade reaches 4.5:1 as small text on the light green of the badge.
        <Badge ml="xs" size="sm" variant="light" color="green" c="gray.9">
          {t('sessions.current')}
        </Badge>
      )}
    </Text>
  );
  const addressOf = (session: Session) => (
    <Text component="span" size="sm" ff="monospace">
      {session.sourceAddress ?? '—'}
    </Text>
  );
  const revokeButton = (session: Session) => (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-label={t('sessions.revokeSession', { device: deviceName(session) })}
      loading={revoke.isPending && revoke.variables === session.id}
      onClick={() => onRevoke(session)}
    >
      {t('sessions.revoke')}
    </Button>
  );

  return (
    <>
      <PageHeader order={2} title={t('sessions.title')} description={t('sessions.description')} />
      <QueryState query={sessions}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">{t('sessions.empty')}</Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={640} visibleFrom="md">
                <Table verticalSpacing="sm" data-testid="sessions-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('sessions.device')}</Table.Th>
                      <Table.Th scope="col">{t('sessions.createdAt')}</Table.Th>
                      <Table.Th scope="col">{t('sessions.lastUsedAt')}</Table.Th>
                      <Table.Th scope="col">{t('sessions.sourceAddress')}</Table.Th>
                      <Table.Th scope="col">{t('common.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((session) => (
                      <Table.Tr key={session.id}>
                        <Table.Td>{deviceOf(session)}</Table.Td>
                        <Table.Td>{formatDate(session.createdAt)}</Table.Td>
                        <Table.Td>{formatDate(session.lastUsedAt)}</Table.Td>
                        <Table.Td>{addressOf(session)}</Table.Td>
                        <Table.Td>{revokeButton(session)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <StackedRows label={t('sessions.title')} testId="session-cards">
                {list.map((session) => (
                  <StackedRow
                    key={session.id}
                    title={deviceOf(session)}
                    fields={[
                      { label: t('sessions.createdAt'), value: formatDate(session.createdAt) },
                      { label: t('sessions.lastUsedAt'), value: formatDate(session.lastUsedAt) },
                      { label: t('sessions.sourceAddress'), value: addressOf(session) },
                    ]}
                    actions={revokeButton(session)}
                  />
                ))}
              </StackedRows>
            </>
          )
        }
      </QueryState>
    </>
  );
}
