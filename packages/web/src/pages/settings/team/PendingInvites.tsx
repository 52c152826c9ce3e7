import { Badge, Button, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePendingInvites, useRevokeInvite } from '../../../api/queries';
import type { PendingInvite } from '../../../api/types';
import { useDescribeError } from '../../../components/errors';
import { useFormatDateTime } from '../../../components/format';
import { notify } from '../../../components/notify';
import { QueryState } from '../../../components/QueryState';
import { StackedRow, StackedRows } from '../../../components/StackedRows';
import { useBusiness } from '../../../shell/BusinessContext';

/** Invitations not accepted yet; each can be revoked. */
export function PendingInvites() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const invites = usePendingInvites(tenantId);
  const revoke = useRevokeInvite(tenantId);
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();

  const roleOf = (invite: PendingInvite) => (
    <Badge variant="light" color="gray" c="gray.9">
      {t(`roles.${invite.role}`)}
    </Badge>
  );
  const removeButton = (invite: PendingInvite) => (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-label={t('team.removeInvite', { email: invite.email })}
      loading={revoke.isPending && revoke.variables === invite.id}
      onClick={() =>
        revoke.mutate(invite.id, {
          onSuccess: () => notify.success(t('team.inviteRevoked')),
          onError: (error) => notify.error(describe(error)),
        })
      }
    >
      {t('common.remove')}
    </Button>
  );

  return (
    <section aria-labelledby="pending-title">
      <Title order={2} size="h4" id="pending-title" mb="sm">
        {t('team.pendingTitle')}
      </Title>
      <QueryState query={invites}>
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('team.pendingEmpty')}
            </Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={520} visibleFrom="md">
                <Table verticalSpacing="xs" data-testid="pending-invites">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('common.email')}</Table.Th>
                      <Table.Th scope="col">{t('common.role')}</Table.Th>
                      <Table.Th scope="col">{t('team.expiresAt')}</Table.Th>
                      <Table.Th scope="col">{t('common.actions')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((invite) => (
                      <Table.Tr key={invite.id}>
                        <Table.Td>{invite.email}</Table.Td>
                        <Table.Td>{roleOf(invite)}</Table.Td>
                        <Table.Td>{formatDate(invite.expiresAt)}</Table.Td>
                        <Table.Td>{removeButton(invite)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <StackedRows label={t('team.pendingTitle')} testId="pending-invite-cards">
                {list.map((invite) => (
                  <StackedRow
                    key={invite.id}
                    title={
                      <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                        {invite.email}
                      </Text>
                    }
                    fields={[
                      { label: t('common.role'), value: roleOf(invite) },
                      { label: t('team.expiresAt'), value: formatDate(invite.expiresAt) },
                    ]}
                    actions={removeButton(invite)}
                  />
                ))}
              </StackedRows>
            </>
          )
        }
      </QueryState>
    </section>
  );
}
