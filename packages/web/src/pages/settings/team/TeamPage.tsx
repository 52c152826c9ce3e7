import { Divider, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMembers } from '../../../api/queries';
import { QueryState } from '../../../components/QueryState';
import { useBusiness } from '../../../shell/BusinessContext';
import { InviteForm } from './InviteForm';
import { MembersTable } from './MembersTable';
import { PendingInvites } from './PendingInvites';
import { TransferOwnership } from './TransferOwnership';

/** Settings › Team: members, invitations and (for the owner) ownership transfer. */
export function TeamPage() {
  const { t } = useTranslation();
  const { tenantId, can, membership } = useBusiness();
  const members = useMembers(tenantId);

  return (
    <Stack gap="xl">
      <section aria-labelledby="members-title">
        <Title order={2} size="h4" id="members-title" mb="sm">
          {t('team.membersTitle')}
        </Title>
        <QueryState query={members}>{(list) => <MembersTable members={list} />}</QueryState>
      </section>
      {can('team.manage') && (
        <>
          <Divider />
          <InviteForm />
          <PendingInvites />
        </>
      )}
      {membership.role === 'owner' && members.data && (
        <>
          <Divider />
          <TransferOwnership members={members.data} />
        </>
      )}
    </Stack>
  );
}
