import { EmptyState } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/PageHeader';
import { PublicLayout } from '../../components/PublicLayout';
import { RouterAnchor } from '../../components/RouterAnchor';

/** "No such page", inside whatever frame the address fell in. */
export function NotFoundState() {
  const { t } = useTranslation();
  useDocumentTitle(t('shell.notFoundTitle'));
  return (
    <EmptyState py="xl">
      <EmptyState.Title order={1}>{t('shell.notFoundTitle')}</EmptyState.Title>
      <EmptyState.Description>{t('shell.notFound')}</EmptyState.Description>
      <EmptyState.Actions>
        <RouterAnchor to="/">{t('shell.goHome')}</RouterAnchor>
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function NotFoundPage() {
  return (
    <PublicLayout>
      <NotFoundState />
    </PublicLayout>
  );
}
