import type { DataDeletionStatus } from '@asistone/contract/data-deletion';
import { Alert, Center, Code, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { request, seg } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';

/**
 * `/data-deletion/:code`: the link Meta shows a person who removed the app in their Facebook or
 * Instagram settings. Public (they have no account here); it shows how far the deletion is and
 * nothing else, refreshed every 10 seconds until done.
 */
export function DataDeletionStatusPage() {
  const { t, i18n } = useTranslation();
  const code = useParams().code ?? '';
  const status = useQuery({
    queryKey: ['data-deletion', code],
    queryFn: () => request<DataDeletionStatus>(`/privacy/data-deletion/${seg(code)}`, { auth: false }),
    refetchInterval: (query) => (query.state.data?.status === 'done' ? false : 10_000),
    retry: false,
  });
  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'long', timeStyle: 'short' });

  return (
    <PublicLayout>
      <Stack>
        <PageHeader title={t('dataDeletion.title')} />
        <Text size="sm">
          {t('dataDeletion.code')}: <Code>{code}</Code>
        </Text>
        {status.isPending ? (
          <Center py="md">
            <Loader size="sm" aria-label={t('dataDeletion.loading')} />
          </Center>
        ) : status.isError ? (
          <Alert color="red" variant="light" role="alert" c="red.9">
            {t('dataDeletion.notFound')}
          </Alert>
        ) : status.data.status === 'done' ? (
          <Alert color="green" variant="light" role="status" c="green.9" data-testid="data-deletion-done">
            {t('dataDeletion.done', { date: date(status.data.completedAt ?? status.data.receivedAt) })}
          </Alert>
        ) : (
          <Alert color="blue" variant="light" role="status" c="blue.9" data-testid="data-deletion-received">
            {t('dataDeletion.received', { date: date(status.data.receivedAt) })}
          </Alert>
        )}
      </Stack>
    </PublicLayout>
  );
}
