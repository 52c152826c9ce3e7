import { ASSIGNABLE_ROLES, type AssignableRole } from '@asistone/contract/roles';
import { Badge, Button, Group, Select, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import { useChangeRole, useRemoveMember } from '../../../api/queries';
import type { Member } from '../../../api/types';
import { useDescribeError } from '../../../components/errors';
import { useFormatDateTime } from '../../../components/format';
import { notify } from '../../../components/notify';
import { StackedRow, StackedRows } from '../../../components/StackedRows';
import { useBusiness } from '../../../shell/BusinessContext';

/** Members with their roles; managers change roles and remove members (never the owner). */
export function MembersTable({ members }: { members: Member[] }) {
  const { t } = useTranslation();
  const { tenantId, me, can } = useBusiness();
  const formatDate = useFormatDateTime();
  const describe = useDescribeError();
  const changeRole = useChangeRole(tenantId);
  const removeMember = useRemoveMember(tenantId);
  const canManage = can('team.manage');
  const roleOptions = ASSIGNABLE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));

  const onError = (error: unknown) => notify.error(describe(error));

  const confirmRemove = (member: Member) =>
    modals.openConfirmModal({
      title: t('team.removeTitle'),
      children: <Text size="sm">{t('team.removeConfirm', { name: member.name })}</Text>,
      labels: { confirm: t('common.remove'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        removeMember.mutate(member.userId, {
          onSuccess: () => notify.success(t('team.removed')),
          onError,
        }),
    });

  const roleOf = (member: Member, editable: boolean) =>
    editable ? (
      <Select
        size="xs"
        w={150}
        aria-label={t('team.changeRole', { name: member.name })}
        data={roleOptions}
        value={member.role}
        allowDeselect={false}
        onChange={(role) =>
          role &&
          changeRole.mutate(
            { userId: member.userId, role: role as AssignableRole },
            {
              onSuccess: () => notify.success(t('team.roleChanged')),
              onError,
            },
          )
        }
      />
    ) : (
      <Badge variant="light" color={member.role === 'owner' ? 'blue' : 'gray'} c="gray.9">
        {t(`roles.${member.role}`)}
      </Badge>
    );

  const removeButton = (member: Member) => (
    <Button
      size="xs"
      variant="subtle"
      color="red"
      aria-label={t('team.removeMember', { name: member.name })}
      onClick={() => confirmRemove(member)}
    >
      {t('common.remove')}
    </Button>
  );

  const rows = members.map((member) => {
    const isSelf = member.userId === me.user.id;
    return { member, isSelf, editable: canManage && member.role !== 'owner' && !isSelf };
  });

  const nameOf = (member: Member, isSelf: boolean) => (
    <>
      <Text size="sm" fw={600}>
        {member.name}
        {isSelf && (
          <Badge ml="xs" size="xs" variant="light" color="gray" c="gray.8">
            {t('common.you')}
          </Badge>
        )}
      </Text>
      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {member.email}
      </Text>
    </>
  );

  return (
    <>
      <Table.ScrollContainer minWidth={560} visibleFrom="md">
        <Table verticalSpacing="sm" data-testid="members-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('team.member')}</Table.Th>
              <Table.Th scope="col">{t('common.role')}</Table.Th>
              <Table.Th scope="col">{t('team.joinedAt')}</Table.Th>
              {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(({ member, isSelf, editable }) => (
              <Table.Tr key={member.userId}>
                <Table.Td>{nameOf(member, isSelf)}</Table.Td>
                <Table.Td>{roleOf(member, editable)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDate(member.joinedAt)}</Text>
                </Table.Td>
                {canManage && <Table.Td>{editable && <Group gap="xs">{removeButton(member)}</Group>}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <StackedRows label={t('team.membersTitle')} testId="members-cards">
        {rows.map(({ member, isSelf, editable }) => (
          <StackedRow
            key={member.userId}
            title={nameOf(member, isSelf)}
            fields={[
              { label: t('common.role'), value: roleOf(member, editable) },
              { label: t('team.joinedAt'), value: formatDate(member.joinedAt) },
            ]}
            actions={editable ? removeButton(member) : undefined}
          />
        ))}
      </StackedRows>
    </>
  );
}
