import { Button, Group, Select, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTransferOwnership } from '../../../api/queries';
import type { Member } from '../../../api/types';
import { useDescribeError } from '../../../components/errors';
import { notify } from '../../../components/notify';
import { useBusiness } from '../../../shell/BusinessContext';

/** Owner only: hands the business to another member, after a confirmation. */
export function TransferOwnership({ members }: { members: Member[] }) {
  const { t } = useTranslation();
  const { tenantId, me } = useBusiness();
  const describe = useDescribeError();
  const transfer = useTransferOwnership(tenantId);
  const [userId, setUserId] = useState<string | null>(null);
  const candidates = members.filter((member) => member.userId !== me.user.id);
  const chosen = candidates.find((member) => member.userId === userId);

  const confirm = () =>
    chosen &&
    modals.openConfirmModal({
      title: t('team.transferTitle'),
      children: <Text size="sm">{t('team.transferConfirm', { name: chosen.name })}</Text>,
      labels: { confirm: t('team.transferSubmit'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        transfer.mutate(chosen.userId, {
          onSuccess: () => notify.success(t('team.transferred')),
          onError: (error) => notify.error(describe(error)),
        }),
    });

  return (
    <section aria-labelledby="transfer-title">
      <Title order={2} size="h4" id="transfer-title" mb={4}>
        {t('team.transferTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('team.transferDescription')}
      </Text>
      {candidates.length === 0 ? (
        <Text size="sm">{t('team.noOtherMembers')}</Text>
      ) : (
        <Group align="flex-end" gap="sm">
          <Select
            label={t('team.transferTo')}
            data={candidates.map((member) => ({ value: member.userId, label: `${member.name} (${member.email})` }))}
            value={userId}
            onChange={setUserId}
            w={{ base: '100%', xs: 320 }}
          />
          <Button color="red" variant="outline" disabled={!chosen} loading={transfer.isPending} onClick={confirm}>
            {t('team.transferSubmit')}
          </Button>
        </Group>
      )}
    </section>
  );
}
