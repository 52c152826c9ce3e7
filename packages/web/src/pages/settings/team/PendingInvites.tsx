import { Badge, Button, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePendingInvites, useRevokeInvite } from '../../../api/queries';
import { useDescribeError } from '../../../components/errors';
import { useFormatDateTime } from '../../../components/format';
import { notify } from '../../../components/notify';
import { QueryState } from '../../../components/QueryState';
import { useBusiness } from '../../../shell/BusinessContext';

/** Invitations not accepted yet; each can be revoked. */
export function PendingInvites() {
  const { t } = useTranslation();
  const { tenantId } = useBusiness();
  const invites = usePendingInvites(tenantId);
  const revoke = useRevokeInvite(tenantId);
  const describe = useDescribeError();
  const formatDate = useFormatDateTime();

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
            <Table.ScrollContainer minWidth={520}>
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
                      <Table.Td>
                        <Badge variant="light" color="gray" c="gray.9">
                          {t(`roles.${invite.role}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{formatDate(invite.expiresAt)}</Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t('team.revokeInvite', { email: invite.email })}
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
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </section>
  );
}
